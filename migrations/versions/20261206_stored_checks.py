"""stored checks: a nomination keeps its criteria checks as last computed (NULL once an input
of the criteria changes), so reads do not evaluate the criteria again

Revision ID: 20261206_stored_checks
Revises: 20261206_webhooks
Create Date: 2026-12-06 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_stored_checks"
down_revision: str | None = "20261206_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(
            sa.Column(
                "criteria_checks",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column("checks_stamp", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("checks_stamp")
        batch.drop_column("criteria_checks")
