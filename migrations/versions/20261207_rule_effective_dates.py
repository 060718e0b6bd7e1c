"""rule value effective dates: each rule value carries the day it takes effect and the value
that holds until then (the council's quorums are set from its rules when they are issued)

Revision ID: 20261207_rule_effective_dates
Revises: 20261207_updated_at_everywhere
Create Date: 2026-12-07 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_rule_effective_dates"
down_revision: str | None = "20261207_updated_at_everywhere"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_BASIS = "Nghị định 152/2025/NĐ-CP; Luật Thi đua, khen thưởng 2022"
# No legal text fixes the council's quorums; a row Sở Nội vụ never amended says so.
COUNCIL_RULES = (
    "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng tỉnh (Kế hoạch 2026, nhiệm vụ I.7): "
    "chưa ban hành; Sở Nội vụ cập nhật số liệu, căn cứ và ngày hiệu lực khi quy chế được ban hành"
)


def upgrade() -> None:
    with op.batch_alter_table("rule_values") as batch:
        batch.add_column(sa.Column("effective_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("previous_value", sa.Float(), nullable=True))
    rules = sa.table("rule_values", sa.column("key"), sa.column("legal_basis"),
                     sa.column("version"))  # fmt: skip
    op.execute(
        rules.update()
        .where(
            rules.c.key.in_(("quorum_percent", "award_quorum_percent")),
            rules.c.legal_basis == OLD_BASIS,
            rules.c.version == 1,
        )
        .values(legal_basis=COUNCIL_RULES)
    )


def downgrade() -> None:
    rules = sa.table("rule_values", sa.column("legal_basis"))
    op.execute(
        rules.update().where(rules.c.legal_basis == COUNCIL_RULES).values(legal_basis=OLD_BASIS)
    )
    with op.batch_alter_table("rule_values") as batch:
        batch.drop_column("previous_value")
        batch.drop_column("effective_from")
