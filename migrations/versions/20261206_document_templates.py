"""document_templates: the versions of the Word templates Sở Nội vụ uploads (version 0, the
shipped template, is not stored)

Revision ID: 20261206_document_templates
Revises: 20261206_nominee_facts
Create Date: 2026-12-06 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261206_document_templates"
down_revision: str | None = "20261206_nominee_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("reverted_from", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_document_templates_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_templates")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_document_templates_name_version")),
    )
    op.create_index(
        op.f("ix_document_templates_name"), "document_templates", ["name"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_document_templates_name"), table_name="document_templates")
    op.drop_table("document_templates")
