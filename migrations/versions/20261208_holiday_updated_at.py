"""updated_at on Sở Nội vụ's calendar amendments, so /holidays answers `updated_since=`

An amendment made before has no better moment than now: a client's next sync takes it once.

Revision ID: 20261208_holiday_updated_at
Revises: 20261208_task_documents
Create Date: 2026-12-08 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261208_holiday_updated_at"
down_revision: str | None = "20261208_task_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable first (SQLite cannot add a column defaulting to CURRENT_TIMESTAMP), filled,
    # then NOT NULL with its default (a table rebuild on SQLite).
    op.add_column("holidays", sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True)))
    op.execute("UPDATE holidays SET updated_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table("holidays", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at",
            existing_type=app.models.base.UTCDateTime(timezone=True),
            nullable=False,
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
        )


def downgrade() -> None:
    with op.batch_alter_table("holidays", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
