"""The rule values tdkt reads, what each key means, its bounds, and the values shipped with the
service — the one place they are written down. A shipped value is used for its key and date
until Sở Nội vụ stores one there.

Keys:
- the legal clocks, in working days: `return_working_days`, `supplement_working_days`,
  `appraisal_working_days`;
- the council's quorums, in percent: `quorum_percent` (any meeting), `award_quorum_percent`
  (a meeting that votes on awards), and the clusters' `cluster_quorum_percent`,
  `cluster_vote_threshold_percent`;
- `council_vote_threshold_percent.<award type>`: the share of all council members that must
  approve a nomination for that award type (tỷ lệ biểu quyết);
- `base_salary`: the mức lương cơ sở, in đồng;
- `prize_multiple.<award type>.<individual|collective>`: the tiền thưởng, in multiples of it.

Start dates. The clocks, quorums and thresholds were shipped undated; they are dated 01/01/2024,
the day Luật Thi đua, khen thưởng 2022 took effect (the earliest day tdkt applies its rules to);
a day before the first value of such a key reads that first value. The money keys have no value
before their first date (a paper then says the amount is missing).

The prize multiples were not found in any stored text of Nghị định 152/2025/NĐ-CP (searched
again in 2026-12: public pages, documentation and code). What was found is Điều 54 of the decree
it replaced, Nghị định 98/2023/NĐ-CP (in force from 2024-01-01), quoted by a commune's page
(phuongduc.thuathienhue.gov.vn, "Mức tiền thưởng danh hiệu thi đua từ ngày 01/01/2024"):
Chiến sĩ thi đua cấp tỉnh 03 lần, Tập thể lao động xuất sắc 1,5 lần, cờ thi đua của tỉnh 08
lần the mức lương cơ sở — the shipped values agree. The Bằng khen multiples (1 for a person, 2
for a collective) are those of Nghị định 91/2017/NĐ-CP; the matching article of 98/2023 was not
found. From 01/07/2025 (Nghị định 152/2025/NĐ-CP in force) the Bằng khen of a province pays
1,5 times for a person: Điều 54 khoản 1 of 152/2025 as quoted by the press
(giadinh.suckhoedoisong.vn, 11/08/2025; laodong.vn) — the decree's own text was not found. A
collective's is shipped at twice that (3), the rule 152/2025 states for Huân chương (Điều 51
khoản 2); Điều 54 khoản 2 was not read. They stay `verified = false` until Sở Nội vụ confirms
or corrects them.

No legal text fixes the council's quorums and vote thresholds (80% for Cờ thi đua, 90% for
Chiến sĩ thi đua, the 2/3 and 80% quorums): they are the province's council rules, to be set
from the Quy chế hoạt động của Hội đồng when it is issued (plan task I.7). They are shipped
unverified, with that basis.
"""

from dataclasses import dataclass
from datetime import date

from app.core.errors import Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.services.award_types.catalogue import AWARD_TYPES

SHIPPED_FROM = date(2024, 1, 1)  # Luật Thi đua, khen thưởng 2022 in force
LEGAL_BASIS = "Nghị định 152/2025/NĐ-CP; Luật Thi đua, khen thưởng 2022"
COUNCIL_RULES = (
    "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng tỉnh (Kế hoạch 2026, nhiệm vụ I.7): "
    "chưa ban hành; Sở Nội vụ cập nhật số liệu, căn cứ và ngày hiệu lực khi quy chế được ban hành"
)
UNVERIFIED_BASIS = (
    "Chưa đối chiếu với Nghị định 152/2025/NĐ-CP (điều quy định mức tiền thưởng); giá trị khởi "
    "tạo theo mức của Nghị định 91/2017/NĐ-CP, Điều 70, 71. Sở Nội vụ xác nhận hoặc sửa."
)
# No stored text gives a household's multiple (neither 152/2025 nor an earlier decree was found
# on it): the person's is the starting value, said so, until Sở Nội vụ sets it.
HOUSEHOLD_BASIS = (
    "Chưa tìm thấy văn bản quy định mức tiền thưởng cho hộ gia đình (Nghị định 152/2025/NĐ-CP "
    "chưa đối chiếu được); giá trị khởi tạo bằng mức của cá nhân. Sở Nội vụ xác nhận hoặc sửa."
)
TITLE_BASIS = (
    "Chưa đối chiếu với Nghị định 152/2025/NĐ-CP (điều quy định mức tiền thưởng); giá trị khởi "
    "tạo bằng mức của Nghị định 98/2023/NĐ-CP, Điều 54 (danh hiệu thi đua, từ 01/01/2024). Sở "
    "Nội vụ xác nhận hoặc sửa."
)

BASE_SALARY = "base_salary"
PRIZE = "prize_multiple"
THRESHOLD = "council_vote_threshold_percent"
KINDS = {kind.value: kind.label for kind in NomineeKind}
UNITS = ("working_days", "percent", "dong", "multiple")
BOUNDS = {
    "working_days": (1, 60),
    "percent": (50, 100),
    "dong": (1, 1_000_000_000),
    "multiple": (0, 100),
}
# Units whose values are whole numbers (days, đồng).
WHOLE = ("working_days", "dong")

_NAMES = {spec.code: spec.name for spec in AWARD_TYPES}


@dataclass(frozen=True)
class Default:
    key: str
    effective_from: date
    value: float
    unit: str
    name: str
    legal_basis: str
    verified: bool


def prize_key(award_type_code: str, nominee_kind: str) -> str:
    return f"{PRIZE}.{award_type_code}.{nominee_kind}"


def threshold_key(award_type_code: str) -> str:
    return f"{THRESHOLD}.{award_type_code}"


_FIXED: dict[str, tuple[str, str, str]] = {  # key: (unit, name, legal basis)
    "return_working_days": (
        "working_days", "Hạn trả lại hồ sơ chưa hợp lệ (ngày làm việc)", LEGAL_BASIS,
    ),
    "supplement_working_days": (
        "working_days", "Hạn bổ sung hồ sơ (ngày làm việc)", LEGAL_BASIS,
    ),
    "appraisal_working_days": (
        "working_days", "Thời hạn thẩm định hồ sơ (ngày làm việc)", LEGAL_BASIS,
    ),
    "quorum_percent": (
        "percent", "Tỷ lệ thành viên Hội đồng dự họp tối thiểu (%)", COUNCIL_RULES,
    ),
    "award_quorum_percent": (
        "percent", "Tỷ lệ thành viên Hội đồng dự phiên xét khen thưởng tối thiểu (%)",
        COUNCIL_RULES,
    ),
    "cluster_quorum_percent": (
        "percent", "Tỷ lệ đơn vị thành viên cụm, khối dự hội nghị bình xét tối thiểu (%)",
        LEGAL_BASIS,
    ),
    "cluster_vote_threshold_percent": (
        "percent",
        "Tỷ lệ phiếu đồng ý trên tổng số đơn vị thành viên cụm, khối để được suy tôn (%)",
        LEGAL_BASIS,
    ),
}  # fmt: skip
_FIXED_VALUES = {
    "return_working_days": 5,
    "supplement_working_days": 5,
    "appraisal_working_days": 20,
    "quorum_percent": 66.67,
    "award_quorum_percent": 80,
    "cluster_quorum_percent": 66.67,
    "cluster_vote_threshold_percent": 50,
}
DECREE_152_FROM = date(2025, 7, 1)  # Nghị định 152/2025/NĐ-CP in force
BANG_KHEN_152_BASIS = (
    "Nghị định 152/2025/NĐ-CP, Điều 54 khoản 1 điểm b (bằng khen của bộ, ban, ngành, tỉnh: 1,5 "
    "lần mức lương cơ sở), từ 01/7/2025 — theo trích dẫn điều khoản trên báo chí, chưa đối chiếu "
    "văn bản gốc. Sở Nội vụ xác nhận hoặc sửa."
)
BANG_KHEN_152_COLLECTIVE_BASIS = (
    "Nghị định 152/2025/NĐ-CP, Điều 54 (tập thể): chưa đọc được khoản 2; giá trị khởi tạo gấp "
    "hai lần mức của cá nhân (1,5), như Điều 51 khoản 2 quy định cho Huân chương, từ 01/7/2025. "
    "Sở Nội vụ xác nhận hoặc sửa."
)
# From 152/2025 on, where its level differs from the shipped one (same shape as below).
_MULTIPLES_152 = (
    ("bang_khen_chu_tich_ubnd_tinh", "individual", 1.5, BANG_KHEN_152_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "collective", 3.0, BANG_KHEN_152_COLLECTIVE_BASIS),
)
_MULTIPLES = (  # (award type, nominee kind, multiple of the base salary, where it comes from)
    ("chien_si_thi_dua_cap_tinh", "individual", 3.0, TITLE_BASIS),
    ("co_thi_dua_ubnd_tinh", "collective", 8.0, TITLE_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "individual", 1.0, UNVERIFIED_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "collective", 2.0, UNVERIFIED_BASIS),
    ("tap_the_lao_dong_xuat_sac", "collective", 1.5, TITLE_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "household", 1.0, HOUSEHOLD_BASIS),
)


def _prize_name(code: str, kind: str) -> str:
    return f"Tiền thưởng {_NAMES[code]} ({KINDS[kind]}), lần mức lương cơ sở"


def _threshold_name(code: str) -> str:
    return f"Tỷ lệ thành viên Hội đồng biểu quyết đồng ý để đề nghị {_NAMES[code]} (%)"


DEFAULTS: tuple[Default, ...] = (
    *(
        Default(key, SHIPPED_FROM, _FIXED_VALUES[key], unit, name, basis,
                verified=basis != COUNCIL_RULES)
        for key, (unit, name, basis) in _FIXED.items()
    ),
    # The shares the catalogue ships for each award type the council votes on.
    *(
        Default(threshold_key(spec.code), SHIPPED_FROM, spec.council_vote.threshold_percent,
                "percent", _threshold_name(spec.code), COUNCIL_RULES, verified=False)
        for spec in AWARD_TYPES
        if spec.council_vote.threshold_percent is not None
    ),
    Default(
        BASE_SALARY, date(2024, 7, 1), 2_340_000, "dong", "Mức lương cơ sở (đồng/tháng)",
        "Nghị định 73/2024/NĐ-CP, Điều 3 (từ ngày 01 tháng 7 năm 2024)", verified=True,
    ),
    *(
        Default(prize_key(code, kind), date(2024, 1, 1), multiple, "multiple",
                _prize_name(code, kind), basis, verified=False)
        for code, kind, multiple, basis in _MULTIPLES
    ),
    *(
        Default(prize_key(code, kind), DECREE_152_FROM, multiple, "multiple",
                _prize_name(code, kind), basis, verified=False)
        for code, kind, multiple, basis in _MULTIPLES_152
    ),
)  # fmt: skip
# Keys that hold from their first value backwards (a rule, not an amount of money).
UNDATED_BEFORE = frozenset(_FIXED) | {d.key for d in DEFAULTS if d.key.startswith(THRESHOLD)}


def spec_of_key(key: str) -> tuple[str, str]:
    """(unit, name) of a key tdkt reads; any other key is a 422 `unknown_rule_value`."""
    if key in _FIXED:
        unit, name, _ = _FIXED[key]
        return unit, name
    if key == BASE_SALARY:
        return "dong", "Mức lương cơ sở (đồng/tháng)"
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == PRIZE and parts[1] in _NAMES and parts[2] in KINDS:
        return "multiple", _prize_name(parts[1], parts[2])
    if len(parts) == 2 and parts[0] == THRESHOLD and parts[1] in _NAMES:
        return "percent", _threshold_name(parts[1])
    raise Unprocessable(
        f"Không có số liệu “{key}”. Dùng một trong {', '.join(_FIXED)}, `{BASE_SALARY}`, "
        f"`{PRIZE}.<mã danh hiệu>.<individual|collective>` hoặc `{THRESHOLD}.<mã danh hiệu>`.",
        code="unknown_rule_value",
    )


def check_value(unit: str, value: float) -> None:
    """Within the unit's bounds, whole where the unit counts whole days or đồng; else 422."""
    low, high = BOUNDS[unit]
    if unit in WHOLE and not float(value).is_integer():
        what = (
            "Thời hạn tính bằng số nguyên ngày làm việc."
            if unit == "working_days"
            else ("Số tiền tính bằng số nguyên đồng.")
        )
        raise Unprocessable(what, code="rule_value_not_integer")
    if not low <= value <= high:
        label = {"working_days": "ngày làm việc", "percent": "%", "dong": "đồng"}.get(unit, "lần")
        raise Unprocessable(
            f"Giá trị phải trong khoảng {low:,}–{high:,} {label}.".replace(",", "."),
            code="rule_value_out_of_range",
            minimum=low,
            maximum=high,
        )
