"""editable facts: yearly ratings, discipline records and initiatives carry a version (their
ETag), so they are edited and deleted with If-Match

Revision ID: 20261207_editable_facts
Revises: 20261207_check_reviews
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_editable_facts"
down_revision: str | None = "20261207_check_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("yearly_ratings", "discipline_records", "initiatives")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
