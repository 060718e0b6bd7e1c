"""households rest: a household's address kept with its award history, and the legal basis of
the household criterion said as it was read

`award_history.nominee_address` (thôn/bản, xã) comes from the household's nomination or the
imported table. The `household_contribution` criterion of Bằng khen của Chủ tịch UBND tỉnh cited
"Điều 74 khoản 3" from memory; no stored text of that clause was found, so it now cites what was
read (Luật 2022, Điều 2 and Điều 3 khoản 2, 3) and says the rest awaits Sở Nội vụ. Only a
criterion Sở Nội vụ never amended (stored exactly as shipped) is changed.

Revision ID: 20261209_households_rest
Revises: 20261209_dossier_nominations
Create Date: 2026-12-09 01:00:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import JSONType

revision: str = "20261209_households_rest"
down_revision: str | None = "20261209_dossier_nominations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANG_KHEN_TINH = "bang_khen_chu_tich_ubnd_tinh"
CHECK = "household_contribution"
# Frozen here, so later catalogue edits do not change what this revision wrote.
OLD_BASIS = "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 3"
NEW_BASIS = (
    "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 2 và Điều 3 khoản 2, 3 (hộ gia đình "
    "là đối tượng được khen thưởng). Chưa đối chiếu được khoản của Điều 74 quy định Bằng khen"
    " cấp tỉnh cho hộ gia đình và các điều về hộ gia đình của Nghị định 152/2025/NĐ-CP: Sở "
    "Nội vụ xác nhận hoặc sửa căn cứ này."
)

# The criteria of Bằng khen tỉnh as shipped before this revision: a row stored otherwise was
# amended by Sở Nội vụ and is left alone.
SHIPPED = json.loads(
    '[{"rule": "any_of", "check": "bang_khen_individual", "applies_to": "individual", "options": [{"rule": "all_of", "check": "htxs_2_and_initiatives_2", "options": [{"rule": "consecutive_rating", "ratings": ["htxs"], "years": 2}, {"rule": "initiative", "min_scope": "grassroots", "count": 2, "within_years": 2}], "legal_basis": "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 1 điểm c", "effective_from": "2024-01-01"}, {"rule": "prior_consecutive", "award_type_code": "chien_si_thi_dua_co_so", "years": 2, "legal_basis": "Nghị định 152/2025/NĐ-CP, hướng dẫn Điều 74 Luật 2022", "effective_from": "2025-07-01"}, {"rule": "manual", "check": "bang_khen_other_grounds", "message": "Thành tích xuất sắc trong phong trào thi đua do tỉnh phát động, thành tích có phạm vi ảnh hưởng trong tỉnh, hoặc thành tích đột xuất: đối chiếu báo cáo thành tích.", "legal_basis": "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 1 điểm a, b, d", "effective_from": "2024-01-01"}], "legal_basis": "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 1", "effective_from": "2024-01-01"}, {"rule": "consecutive_rating", "check": "collective_htxs_2", "applies_to": "collective", "ratings": ["htxs"], "award_type_codes": ["tap_the_lao_dong_xuat_sac"], "years": 2, "legal_basis": "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 2 điểm b", "effective_from": "2024-01-01"}, {"rule": "manual", "check": "household_contribution", "applies_to": "household", "message": "Hộ gia đình: đối chiếu văn bản xác nhận của UBND cấp xã về việc hộ gương mẫu chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước và về giá trị đóng góp công sức, đất đai, tài sản cho địa phương, xã hội (giấy tờ “Văn bản xác nhận”).", "legal_basis": "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 3", "effective_from": "2024-01-01"}]'
)


def _rebase(replacing: str, by: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT criteria FROM award_types WHERE code = :code"), {"code": BANG_KHEN_TINH}
    ).all()
    for (stored,) in rows:
        stored = json.loads(stored) if isinstance(stored, str) else (stored or [])
        if stored == _with_basis(SHIPPED, replacing):
            bind.execute(
                sa.text("UPDATE award_types SET criteria = :c WHERE code = :code").bindparams(
                    sa.bindparam("c", type_=JSONType)
                ),
                {"c": _with_basis(SHIPPED, by), "code": BANG_KHEN_TINH},
            )


def _with_basis(criteria: list, basis: str) -> list:
    return [{**c, "legal_basis": basis} if c.get("check") == CHECK else c for c in criteria]


def upgrade() -> None:
    with op.batch_alter_table("award_history") as batch:
        batch.add_column(sa.Column("nominee_address", sa.String(length=300), nullable=True))
    _rebase(OLD_BASIS, NEW_BASIS)


def downgrade() -> None:
    _rebase(NEW_BASIS, OLD_BASIS)
    with op.batch_alter_table("award_history") as batch:
        batch.drop_column("nominee_address")
