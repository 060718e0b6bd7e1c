"""dossier_counters: one row per year with the last dossier number handed out

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 00:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dossier_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_dossier_counters")),
    )


def downgrade() -> None:
    op.drop_table("dossier_counters")
