"""unit title edits: award history rows carry a version, so a unit corrects or deletes the
grassroots titles it entered with If-Match

Revision ID: 20261208_unit_title_edits
Revises: 20261208_households
Create Date: 2026-12-08 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261208_unit_title_edits"
down_revision: str | None = "20261208_households"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("award_history") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("award_history") as batch:
        batch.drop_column("version")
