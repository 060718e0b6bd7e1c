"""return requests: a dossier keeps its last return to the unit (when, the reason, and the
papers to add per nominee) as fields of its own, for the dossier read and the công văn trả
hồ sơ, instead of only in the history

Revision ID: 20261207_return_requests
Revises: 20261207_role_grants
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261207_return_requests"
down_revision: str | None = "20261207_role_grants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("return_reason", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column(
                "return_requests",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("return_requests")
        batch.drop_column("return_reason")
        batch.drop_column("returned_at")
