"""rule_values: the legal clocks and quorum shares as data Sở Nội vụ may amend

The five rows below are the values in force when this revision was written (a migration is a
record of its day); the running service falls back to its own defaults for a missing row.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGAL_BASIS = "Nghị định 152/2025/NĐ-CP; Luật Thi đua, khen thưởng 2022"
ROWS = [
    ("return_working_days", 5, "working_days", "Hạn trả lại hồ sơ chưa hợp lệ (ngày làm việc)"),
    ("supplement_working_days", 5, "working_days", "Hạn bổ sung hồ sơ (ngày làm việc)"),
    ("appraisal_working_days", 20, "working_days", "Thời hạn thẩm định hồ sơ (ngày làm việc)"),
    ("quorum_percent", 66.67, "percent", "Tỷ lệ thành viên Hội đồng dự họp tối thiểu (%)"),
    (
        "award_quorum_percent",
        80,
        "percent",
        "Tỷ lệ thành viên Hội đồng dự phiên xét khen thưởng tối thiểu (%)",
    ),
]


def upgrade() -> None:
    table = op.create_table(
        "rule_values",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
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
        sa.CheckConstraint("unit IN ('working_days', 'percent')", name=op.f("ck_rule_values_unit")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rule_values")),
    )
    op.bulk_insert(
        table,
        [
            {"key": k, "value": v, "unit": u, "name": n, "legal_basis": LEGAL_BASIS}
            for k, v, u, n in ROWS
        ],
    )


def downgrade() -> None:
    op.drop_table("rule_values")
