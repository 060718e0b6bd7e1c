"""dated rule values: rule values that change on a date and may carry money — the mức lương
cơ sở (đồng) and the multiples of it paid with each award (tiền thưởng) — read as the row of
a key with the latest effective date not after the day asked

Revision ID: 20261207_dated_rule_values
Revises: 20261207_unit_titles
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261207_dated_rule_values"
down_revision: str | None = "20261207_unit_titles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dated_rule_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("unit IN ('dong', 'multiple')", name=op.f("ck_dated_rule_values_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dated_rule_values")),
        sa.UniqueConstraint(
            "key", "effective_from", name=op.f("uq_dated_rule_values_key_effective_from")
        ),
    )
    op.create_index(op.f("ix_dated_rule_values_key"), "dated_rule_values", ["key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dated_rule_values_key"), table_name="dated_rule_values")
    op.drop_table("dated_rule_values")
