"""cluster settings: deputies verify sheets, the head defines the scoring table

Revision ID: 20261207_cluster_settings
Revises: 20261207_cluster_votes
Create Date: 2026-12-06 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_cluster_settings"
down_revision: str | None = "20261207_cluster_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clusters") as batch:
        batch.add_column(
            sa.Column("deputies_verify", sa.Boolean(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("head_defines_table", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("clusters") as batch:
        batch.drop_column("head_defines_table")
        batch.drop_column("deputies_verify")
