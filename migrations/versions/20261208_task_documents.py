"""task documents: a task keeps the number of the paper issued to carry it out, and each
progress report may give it, for the task export

Revision ID: 20261208_task_documents
Revises: 20261208_absence_reasons
Create Date: 2026-12-08 02:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261208_task_documents"
down_revision: str | None = "20261208_absence_reasons"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("issued_document_no", sa.String(100), nullable=True))
    with op.batch_alter_table("task_reports") as batch:
        batch.add_column(sa.Column("document_no", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task_reports") as batch:
        batch.drop_column("document_no")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("issued_document_no")
