"""unit titles: award history entered by units (grassroots titles with their decision) waits
for Sở Nội vụ's confirmation

Revision ID: 20261207_unit_titles
Revises: 20261207_editable_facts
Create Date: 2026-12-07 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261207_unit_titles"
down_revision: str | None = "20261207_editable_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("award_history") as batch:
        batch.add_column(
            sa.Column("confirmed_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_award_history_confirmed_by_id_users", "users", ["confirmed_by_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_award_history_created_by_id_users", "users", ["created_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("award_history") as batch:
        batch.drop_constraint("fk_award_history_created_by_id_users", type_="foreignkey")
        batch.drop_constraint("fk_award_history_confirmed_by_id_users", type_="foreignkey")
        batch.drop_column("created_by_id")
        batch.drop_column("confirmed_by_id")
        batch.drop_column("confirmed_at")
