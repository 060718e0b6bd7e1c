"""round nomination counts: a round's nominations counted by award type, status, kind and
appraisal conclusion, kept by triggers

The round report's nomination figures read these few hundred rows instead of grouping the
round's nominations (100,000 index probes per round at 2 million nominations). Triggers keep
them in the statement that changes a nomination or moves a dossier to another round, so no
writer can leave them stale: the ORM, a bulk UPDATE and a cascade alike.

A dossier's deletion first deletes its nominations (while the dossier, and so its round, can
still be read), which the foreign key's cascade would otherwise do after it.

On SQLite a batch migration that copies `nominations` or `dossiers` to a new table drops
their triggers: such a migration must create them again (`create_triggers`); the report's
tests fail otherwise.

Revision ID: 20261210_round_nomination_counts
Revises: 20261209_households_rest
Create Date: 2026-12-10 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261210_round_nomination_counts"
down_revision: str | None = "20261209_households_rest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "round_id, award_type_code, status, nominee_kind, conclusion"
FILL = f"""
INSERT INTO round_nomination_counts ({KEY}, n)
SELECT d.round_id, n.award_type_code, n.status, n.nominee_kind,
       coalesce(n.appraisal_conclusion, ''), count(*)
FROM nominations n JOIN dossiers d ON d.id = n.dossier_id
WHERE d.round_id IS NOT NULL
GROUP BY d.round_id, n.award_type_code, n.status, n.nominee_kind,
         coalesce(n.appraisal_conclusion, '')
"""  # noqa: S608 (constants above)

# PostgreSQL: one function per table. `step` adds (1) or takes away (-1) a nomination's
# counts; a dossier moved between rounds takes its nominations' counts with it.
PG = [
    f"""
CREATE FUNCTION round_nomination_count_step(
    dossier integer, code text, state text, kind text, concl text, step integer
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r integer;
BEGIN
    SELECT round_id INTO r FROM dossiers WHERE id = dossier;
    IF r IS NULL THEN RETURN; END IF;
    INSERT INTO round_nomination_counts ({KEY}, n)
    VALUES (r, code, state, kind, coalesce(concl, ''), step)
    ON CONFLICT ({KEY}) DO UPDATE SET n = round_nomination_counts.n + step;
END $$
""",  # noqa: S608 (constants above)
    """
CREATE FUNCTION nominations_round_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM round_nomination_count_step(OLD.dossier_id, OLD.award_type_code, OLD.status,
            OLD.nominee_kind, OLD.appraisal_conclusion, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM round_nomination_count_step(NEW.dossier_id, NEW.award_type_code, NEW.status,
            NEW.nominee_kind, NEW.appraisal_conclusion, 1);
    END IF;
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER nominations_round_counts
AFTER INSERT OR DELETE OR UPDATE OF dossier_id, award_type_code, status, nominee_kind,
    appraisal_conclusion ON nominations
FOR EACH ROW EXECUTE FUNCTION nominations_round_counts()
""",
    f"""
CREATE FUNCTION dossiers_round_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM nominations WHERE dossier_id = OLD.id;
        RETURN OLD;
    END IF;
    IF OLD.round_id IS NOT NULL THEN
        UPDATE round_nomination_counts c SET n = c.n - g.n
        FROM (SELECT award_type_code, status, nominee_kind,
                     coalesce(appraisal_conclusion, '') AS conclusion, count(*) AS n
              FROM nominations WHERE dossier_id = NEW.id GROUP BY 1, 2, 3, 4) g
        WHERE c.round_id = OLD.round_id AND c.award_type_code = g.award_type_code
          AND c.status = g.status AND c.nominee_kind = g.nominee_kind
          AND c.conclusion = g.conclusion;
    END IF;
    IF NEW.round_id IS NOT NULL THEN
        INSERT INTO round_nomination_counts ({KEY}, n)
        SELECT NEW.round_id, award_type_code, status, nominee_kind,
               coalesce(appraisal_conclusion, ''), count(*)
        FROM nominations WHERE dossier_id = NEW.id GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT ({KEY}) DO UPDATE SET n = round_nomination_counts.n + excluded.n;
    END IF;
    RETURN NULL;
END $$
""",  # noqa: S608 (constants above)
    """
CREATE TRIGGER dossiers_round_counts_moved AFTER UPDATE OF round_id ON dossiers
FOR EACH ROW WHEN (OLD.round_id IS DISTINCT FROM NEW.round_id)
EXECUTE FUNCTION dossiers_round_counts()
""",
    """
CREATE TRIGGER dossiers_round_counts_deleted BEFORE DELETE ON dossiers
FOR EACH ROW EXECUTE FUNCTION dossiers_round_counts()
""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS dossiers_round_counts_deleted ON dossiers",
    "DROP TRIGGER IF EXISTS dossiers_round_counts_moved ON dossiers",
    "DROP TRIGGER IF EXISTS nominations_round_counts ON nominations",
    "DROP FUNCTION IF EXISTS dossiers_round_counts()",
    "DROP FUNCTION IF EXISTS nominations_round_counts()",
    "DROP FUNCTION IF EXISTS round_nomination_count_step(integer, text, text, text, text, integer)",
]


def _sqlite_add(row: str, step: str = "1") -> str:
    return f"""
    INSERT INTO round_nomination_counts ({KEY}, n)
    SELECT round_id, {row}.award_type_code, {row}.status, {row}.nominee_kind,
           coalesce({row}.appraisal_conclusion, ''), {step}
    FROM dossiers WHERE id = {row}.dossier_id AND round_id IS NOT NULL
    ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n;"""  # noqa: S608 (constants above)


SQLITE = [
    f"""
CREATE TRIGGER nominations_round_counts_inserted AFTER INSERT ON nominations
BEGIN {_sqlite_add("NEW")}
END
""",
    f"""
CREATE TRIGGER nominations_round_counts_deleted AFTER DELETE ON nominations
BEGIN {_sqlite_add("OLD", "-1")}
END
""",
    f"""
CREATE TRIGGER nominations_round_counts_updated
AFTER UPDATE OF dossier_id, award_type_code, status, nominee_kind, appraisal_conclusion
ON nominations
BEGIN {_sqlite_add("OLD", "-1")} {_sqlite_add("NEW")}
END
""",
    f"""
CREATE TRIGGER dossiers_round_counts_moved AFTER UPDATE OF round_id ON dossiers
WHEN OLD.round_id IS NOT NEW.round_id
BEGIN
    UPDATE round_nomination_counts SET n = n - (
        SELECT count(*) FROM nominations m WHERE m.dossier_id = NEW.id
          AND m.award_type_code = round_nomination_counts.award_type_code
          AND m.status = round_nomination_counts.status
          AND m.nominee_kind = round_nomination_counts.nominee_kind
          AND coalesce(m.appraisal_conclusion, '') = round_nomination_counts.conclusion)
    WHERE round_id = OLD.round_id;
    INSERT INTO round_nomination_counts ({KEY}, n)
    SELECT NEW.round_id, award_type_code, status, nominee_kind,
           coalesce(appraisal_conclusion, ''), count(*)
    FROM nominations WHERE dossier_id = NEW.id AND NEW.round_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n;
END
""",  # noqa: S608 (constants above)
    """
CREATE TRIGGER dossiers_round_counts_deleted BEFORE DELETE ON dossiers
BEGIN DELETE FROM nominations WHERE dossier_id = OLD.id; END
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS dossiers_round_counts_deleted",
    "DROP TRIGGER IF EXISTS dossiers_round_counts_moved",
    "DROP TRIGGER IF EXISTS nominations_round_counts_updated",
    "DROP TRIGGER IF EXISTS nominations_round_counts_deleted",
    "DROP TRIGGER IF EXISTS nominations_round_counts_inserted",
]


def create_triggers() -> None:
    for statement in PG if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def drop_triggers() -> None:
    for statement in PG_DROP if op.get_bind().dialect.name == "postgresql" else SQLITE_DROP:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "round_nomination_counts",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("award_type_code", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nominee_kind", sa.String(length=20), nullable=False),
        sa.Column("conclusion", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_nomination_counts_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "round_id",
            "award_type_code",
            "status",
            "nominee_kind",
            "conclusion",
            name=op.f("pk_round_nomination_counts"),
        ),
    )
    op.execute(FILL)
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table("round_nomination_counts")
