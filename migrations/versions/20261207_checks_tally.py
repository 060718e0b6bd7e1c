"""checks tally: beside its stored criteria checks, a nomination keeps how they came out
("<day> <pass> <fail> <unknown>", and "frozen" for the checks frozen at its conclusion), so that a list of dossiers shows the counts without reading
every nomination's checks

Revision ID: 20261207_checks_tally
Revises: 20261207_dated_rule_values
Create Date: 2026-12-07 00:00:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_checks_tally"
down_revision: str | None = "20261207_dated_rule_values"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESULTS = ("pass", "fail", "unknown")
BATCH = 1000


def _tally(stored) -> str | None:
    if isinstance(stored, str):
        stored = json.loads(stored)
    if not stored or "on" not in stored:
        return None
    results = [c.get("result") for c in stored.get("checks", [])]
    counts = (str(results.count(r)) for r in RESULTS)
    return " ".join([stored["on"], *counts, *(["frozen"] if stored.get("frozen_on") else [])])


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(sa.Column("checks_tally", sa.String(length=40), nullable=True))
    # The checks already stored get their tally (bulk-loaded rows have none to tally).
    bind = op.get_bind()
    nominations = sa.table(
        "nominations",
        sa.column("id", sa.Integer),
        sa.column("criteria_checks", sa.JSON),
        sa.column("checks_tally", sa.String),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(nominations.c.id, nominations.c.criteria_checks)
            .where(nominations.c.id > last, nominations.c.criteria_checks.is_not(None))
            .order_by(nominations.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        updates = [
            {"row_id": row.id, "tally": tally}
            for row in rows
            if (tally := _tally(row.criteria_checks)) is not None
        ]
        if updates:
            bind.execute(
                nominations.update()
                .where(nominations.c.id == sa.bindparam("row_id"))
                .values(checks_tally=sa.bindparam("tally")),
                updates,
            )


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("checks_tally")
