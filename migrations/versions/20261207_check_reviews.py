"""check reviews and initiative uses: Sở Nội vụ's "đã đối chiếu" or override of single criteria
checks, kept on the nomination; the nomination each initiative justified (one initiative, one
award)

Revision ID: 20261207_check_reviews
Revises: 20261207_return_requests
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.models.base import UTCDateTime

revision: str = "20261207_check_reviews"
down_revision: str | None = "20261207_return_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(
            sa.Column(
                "check_reviews",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="{}",
                nullable=False,
            )
        )
    op.create_table(
        "initiative_uses",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiatives.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["nomination_id"], ["nominations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("initiative_id"),
    )
    op.create_index(
        "ix_initiative_uses_nomination_id", "initiative_uses", ["nomination_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_initiative_uses_nomination_id", table_name="initiative_uses")
    op.drop_table("initiative_uses")
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("check_reviews")
