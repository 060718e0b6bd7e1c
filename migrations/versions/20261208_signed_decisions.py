"""signed decisions: a recorded decision carries its signed PDF (bản quyết định đã ký), stored
under a generated name as the papers of a dossier are

Revision ID: 20261208_signed_decisions
Revises: 20261207_cluster_settings
Create Date: 2026-12-08 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261208_signed_decisions"
down_revision: str | None = "20261207_cluster_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("signed_pdf_filename", sa.String(255), nullable=True))
        batch.add_column(sa.Column("signed_pdf_size", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("signed_pdf_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("signed_pdf_storage_name", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("signed_pdf_uploaded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("signed_pdf_uploaded_by_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint(
            "uq_decisions_signed_pdf_storage_name", ["signed_pdf_storage_name"]
        )
        batch.create_foreign_key(
            "fk_decisions_signed_pdf_uploaded_by_id_users",
            "users",
            ["signed_pdf_uploaded_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint("fk_decisions_signed_pdf_uploaded_by_id_users", type_="foreignkey")
        batch.drop_constraint("uq_decisions_signed_pdf_storage_name", type_="unique")
        for column in ("uploaded_by_id", "uploaded_at", "storage_name", "sha256", "size",
                       "filename"):  # fmt: skip
            batch.drop_column(f"signed_pdf_{column}")
