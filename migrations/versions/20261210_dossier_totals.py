"""dossier totals: how many dossiers there are of each year, kept by triggers

The unfiltered dossier list of Sở Nội vụ says its exact `total`; counting it visited every
dossier (a parallel index-only scan of 666,666 entries, 60-190 ms at 2 million nominations).
The sum of these few rows is the same number. Triggers keep them in the statement that adds
or removes a dossier or changes its year, whatever wrote it. Dossier creation already takes
the year's row of `dossier_counters`, so the year's row here adds no new wait.

On SQLite a batch migration that copies `dossiers` to a new table drops its triggers: such a
migration must create them again (`create_triggers`); the list's tests fail otherwise.

Revision ID: 20261210_dossier_totals
Revises: 20261210_dossier_search_words
Create Date: 2026-12-10 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261210_dossier_totals"
down_revision: str | None = "20261210_dossier_search_words"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL = "INSERT INTO dossier_totals (year, n) SELECT year, count(*) FROM dossiers GROUP BY year"
PG = [
    """
CREATE FUNCTION dossier_totals_step(of_year integer, step integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dossier_totals (year, n) VALUES (of_year, step)
    ON CONFLICT (year) DO UPDATE SET n = dossier_totals.n + step;
END $$
""",
    """
CREATE FUNCTION dossiers_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM dossier_totals_step(OLD.year, -1); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM dossier_totals_step(NEW.year, 1); END IF;
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER dossiers_totals AFTER INSERT OR DELETE OR UPDATE OF year ON dossiers
FOR EACH ROW EXECUTE FUNCTION dossiers_totals()
""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS dossiers_totals ON dossiers",
    "DROP FUNCTION IF EXISTS dossiers_totals()",
    "DROP FUNCTION IF EXISTS dossier_totals_step(integer, integer)",
]
_ADD = """
    INSERT INTO dossier_totals (year, n) VALUES ({row}.year, {step})
    ON CONFLICT (year) DO UPDATE SET n = n + excluded.n;"""
SQLITE = [
    "CREATE TRIGGER dossiers_totals_inserted AFTER INSERT ON dossiers BEGIN"
    + _ADD.format(row="NEW", step=1)
    + " END",
    "CREATE TRIGGER dossiers_totals_deleted AFTER DELETE ON dossiers BEGIN"
    + _ADD.format(row="OLD", step=-1)
    + " END",
    "CREATE TRIGGER dossiers_totals_updated AFTER UPDATE OF year ON dossiers BEGIN"
    + _ADD.format(row="OLD", step=-1)
    + _ADD.format(row="NEW", step=1)
    + " END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS dossiers_totals_updated",
    "DROP TRIGGER IF EXISTS dossiers_totals_deleted",
    "DROP TRIGGER IF EXISTS dossiers_totals_inserted",
]


def create_triggers() -> None:
    for statement in PG if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def drop_triggers() -> None:
    for statement in PG_DROP if op.get_bind().dialect.name == "postgresql" else SQLITE_DROP:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "dossier_totals",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_dossier_totals")),
    )
    op.execute(FILL)
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table("dossier_totals")
