"""updated_at on the rows that lacked it, so every list can answer `updated_since=`

Award history, yearly ratings, discipline records, initiatives, round extensions, task reports
and webhook deliveries get the column every other resource has; existing rows take the moment
they were created (a delivery: its last attempt), the closest truth there is.

Revision ID: 20261207_updated_at_everywhere
Revises: 20261207_checks_tally
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261207_updated_at_everywhere"
down_revision: str | None = "20261207_checks_tally"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → the SQL of the moment an existing row last changed
BACKFILL = {
    "award_history": "created_at",
    "yearly_ratings": "COALESCE(confirmed_at, created_at)",
    "discipline_records": "created_at",
    "initiatives": "created_at",
    "round_extensions": "created_at",
    "task_reports": "created_at",
    "webhook_deliveries": "COALESCE(last_attempt_at, created_at)",
}


def upgrade() -> None:
    for table, source in BACKFILL.items():
        # Nullable first (SQLite cannot add a column defaulting to CURRENT_TIMESTAMP), filled,
        # then NOT NULL with its default (a table rebuild on SQLite).
        op.add_column(table, sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True)))
        op.execute(f"UPDATE {table} SET updated_at = {source}")  # noqa: S608 (constants above)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "updated_at",
                existing_type=app.models.base.UTCDateTime(timezone=True),
                nullable=False,
                server_default=sa.text("(CURRENT_TIMESTAMP)"),
            )


def downgrade() -> None:
    for table in reversed(BACKFILL):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")
