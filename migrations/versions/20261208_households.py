"""households: hộ gia đình as a third kind of nominee (Luật Thi đua, khen thưởng 2022, Điều 2)

Nominations and award history accept `nominee_kind = 'household'`; a nomination keeps the
household's address (thôn/bản, xã); an award type says whether it is given to households, and
Bằng khen của Chủ tịch UBND tỉnh is, with the household criterion appended to its criteria.

Revision ID: 20261208_households
Revises: 20261208_webhook_event_types
Create Date: 2026-12-08 01:00:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import JSONType

revision: str = "20261208_households"
down_revision: str | None = "20261208_webhook_event_types"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "nominee_kind IN ('individual', 'collective')"
NEW_KINDS = "nominee_kind IN ('individual', 'collective', 'household')"
BANG_KHEN_TINH = "bang_khen_chu_tich_ubnd_tinh"
# Frozen here, so later catalogue edits do not change what this revision wrote.
HOUSEHOLD_CRITERION = {
    "rule": "manual",
    "check": "household_contribution",
    "applies_to": "household",
    "message": "Hộ gia đình: đối chiếu văn bản xác nhận của UBND cấp xã về việc hộ gương mẫu "
    "chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước và về giá trị đóng góp "
    "công sức, đất đai, tài sản cho địa phương, xã hội (giấy tờ “Văn bản xác nhận”).",
    "legal_basis": "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 3",
    "effective_from": "2024-01-01",
}


def _kinds(table: str, kinds: str) -> None:
    name = "nominee_kind"  # named ck_<table>_nominee_kind by the naming convention
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(name, type_="check")
        batch.create_check_constraint(name, kinds)


def _criteria(change) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT criteria FROM award_types WHERE code = :code"), {"code": BANG_KHEN_TINH}
    ).all()
    for (stored,) in rows:
        stored = json.loads(stored) if isinstance(stored, str) else (stored or [])
        bind.execute(
            sa.text("UPDATE award_types SET criteria = :c WHERE code = :code").bindparams(
                sa.bindparam("c", type_=JSONType)
            ),
            {"c": change(stored), "code": BANG_KHEN_TINH},
        )


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(sa.Column("nominee_address", sa.String(length=300), nullable=True))
    _kinds("nominations", NEW_KINDS)
    _kinds("award_history", NEW_KINDS)
    with op.batch_alter_table("award_types") as batch:
        batch.add_column(
            sa.Column("accepts_households", sa.Boolean(), server_default="0", nullable=False)
        )
    award_types = sa.table("award_types", sa.column("code"), sa.column("accepts_households"))
    op.execute(
        award_types.update()
        .where(award_types.c.code == BANG_KHEN_TINH)
        .values(accepts_households=True)
    )
    _criteria(
        lambda criteria: (
            criteria
            if any(c.get("applies_to") == "household" for c in criteria)
            else [*criteria, HOUSEHOLD_CRITERION]
        )
    )


def downgrade() -> None:
    _criteria(lambda criteria: [c for c in criteria if c.get("applies_to") != "household"])
    op.execute("DELETE FROM award_history WHERE nominee_kind = 'household'")
    op.execute("DELETE FROM nominations WHERE nominee_kind = 'household'")
    with op.batch_alter_table("award_types") as batch:
        batch.drop_column("accepts_households")
    _kinds("award_history", OLD_KINDS)
    _kinds("nominations", OLD_KINDS)
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("nominee_address")
