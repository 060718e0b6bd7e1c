"""Danh mục danh hiệu thi đua và hình thức khen thưởng shipped with tdkt (see domain.md).

This is seed data: Sở Nội vụ edits the stored copy (thresholds, required documents, criteria)
when decrees change, so nothing here is read as a constant by the workflow. Criteria are data
read by `app.services.award_types.criteria`; each entry names an evaluator in its `rule` key.
Optional keys common to every entry: `check` (the stable name of the resulting check,
otherwise derived), `applies_to` (a nominee kind, a list of them, or "both") and `note`
(legal wording for people).
"""

import copy
from dataclasses import asdict, dataclass
from typing import Any

from app.core import nominee_kinds
from app.core.nominee_kinds import RATED_KINDS, NomineeKind

DOCUMENT_TYPES: dict[str, str] = {
    "to_trinh": "Tờ trình",
    "bien_ban_hop": "Biên bản họp Hội đồng TĐKT cơ sở / xét khen",
    "bao_cao_thanh_tich": "Báo cáo thành tích",
    "minh_chung_sang_kien": "Minh chứng sáng kiến / đề tài",
    "ket_qua_binh_xet": "Kết quả bình xét / bảng điểm cụm, khối",
    "van_ban_xac_nhan": "Văn bản xác nhận / ý kiến của cơ quan có thẩm quyền",
    "other": "Khác",
}

LEVELS = ("grassroots", "provincial", "state")
RECIPIENTS = nominee_kinds.RECIPIENTS

# Nghị định 152/2025/NĐ-CP, Điều 4: apply to every award type, so they are not repeated per row.
GENERAL_CRITERIA: tuple[dict[str, Any], ...] = (
    {
        "rule": "no_discipline",
        # Discipline is recorded for people and collectives; a household's conduct is in the
        # commune's confirmation its own criterion asks for.
        "applies_to": list(RATED_KINDS),
        "legal_basis": "Nghị định 152/2025/NĐ-CP, Điều 4 (không khen thưởng khi đang bị kỷ luật, "
        "điều tra, thanh tra; thời gian kỷ luật không tính vào thời gian xét)",
        "effective_from": "2025-07-01",
    },
    {
        "rule": "no_open_complaint",
        "legal_basis": "Luật Thi đua, khen thưởng 2022, Điều 5 (nguyên tắc khen thưởng)",
        "effective_from": "2024-01-01",
    },
)


@dataclass(frozen=True)
class CouncilVote:
    """Biểu quyết của Hội đồng TĐKT tỉnh; the share is of all members, not of those present.
    `threshold_percent` is only the shipped value of the rule value
    `council_vote_threshold_percent.<code>` (the council's own rules, dated, amended by Sở Nội
    vụ); the award type stores whether the council votes, not the share."""

    required: bool
    threshold_percent: int | None = None
    base: str = "all_members"


@dataclass(frozen=True)
class AwardTypeSpec:
    """Một danh hiệu thi đua / hình thức khen thưởng."""

    code: str
    name: str
    level: str
    recipient: str
    decided_by: str
    council_vote: CouncilVote
    required_documents: tuple[str, ...]
    criteria: tuple[dict[str, Any], ...]
    legal_basis: str
    needs_public_disclosure: bool = False
    disclosure_working_days: int | None = None
    accepts_households: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready deep copy (lists, not tuples), e.g. to seed the database."""
        data = asdict(self)
        data["council_vote"].pop("threshold_percent")  # a rule value, not the award type's
        data["required_documents"] = list(self.required_documents)
        data["criteria"] = copy.deepcopy(list(self.criteria))
        return data


_LEGAL_BASIS = "Luật Thi đua, khen thưởng 2022 (06/2022/QH15); Nghị định 152/2025/NĐ-CP"
_GRASSROOTS_DOCS = ("to_trinh", "bien_ban_hop")
_BASE_DOCS = ("to_trinh", "bien_ban_hop", "bao_cao_thanh_tich")
_NO_VOTE = CouncilVote(required=False)
_CSTDCS = "chien_si_thi_dua_co_so"
# LĐTT, the floor of CSTĐCS, needs at least "hoàn thành tốt nhiệm vụ": a lower rating of a year
# proves there was no CSTĐCS that year.
_CSTDCS_RATINGS = ["htxs", "httt"]
# Where each criterion comes from, and from when it applies. Luật 06/2022/QH15 took effect on
# 01/01/2024; Nghị định 152/2025/NĐ-CP (replacing 98/2023) on 01/07/2025.
_LUAT = "Luật Thi đua, khen thưởng 2022 (06/2022/QH15)"
_LUAT_FROM = "2024-01-01"
_ND152 = "Nghị định 152/2025/NĐ-CP"
_ND152_FROM = "2025-07-01"


def _law(article: str, **criterion: Any) -> dict[str, Any]:
    """A criterion from Luật Thi đua, khen thưởng 2022, `article` as "Điều 73 khoản 1 điểm b"."""
    return {**criterion, "legal_basis": f"{_LUAT}, {article}", "effective_from": _LUAT_FROM}


def _decree(article: str, **criterion: Any) -> dict[str, Any]:
    return {**criterion, "legal_basis": f"{_ND152}, {article}", "effective_from": _ND152_FROM}


_DISCLOSURE = _decree(
    "quy định công khai danh sách trước khi trình khen thưởng cấp Nhà nước",
    rule="public_disclosure",
    working_days=10,
)
_BK_TTG = "bang_khen_thu_tuong"
_BK_TINH = "bang_khen_chu_tich_ubnd_tinh"
_CSTD_TINH = "chien_si_thi_dua_cap_tinh"
_TTLDXS = "tap_the_lao_dong_xuat_sac"
_CO_TINH = "co_thi_dua_ubnd_tinh"


def _grassroots(code: str, name: str, recipient: str, criteria: tuple = ()) -> AwardTypeSpec:
    return AwardTypeSpec(
        code=code,
        name=name,
        level="grassroots",
        recipient=recipient,
        decided_by="Thủ trưởng cơ quan, đơn vị",
        council_vote=_NO_VOTE,
        required_documents=_GRASSROOTS_DOCS,
        criteria=criteria,
        legal_basis=_LEGAL_BASIS,
    )


_GRASSROOTS_TYPES = (
    _grassroots(
        _CSTDCS,
        "Chiến sĩ thi đua cơ sở",
        "individual",
        (
            # Voted by the unit's own council, not the provincial one: only its minutes show it.
            _law(
                "Điều 23 khoản 1 (tỷ lệ do Nghị định hướng dẫn)",
                rule="unit_council_vote",
                unit_council_threshold_percent=80,
                base="all_members",
            ),
        ),
    ),
    _grassroots("lao_dong_tien_tien", "Lao động tiên tiến", "individual"),
    _grassroots("tap_the_lao_dong_tien_tien", "Tập thể lao động tiên tiến", "collective"),
)

_PROVINCIAL_TYPES = (
    AwardTypeSpec(
        code="tap_the_lao_dong_xuat_sac",
        name="Tập thể lao động xuất sắc",
        level="provincial",
        recipient="collective",
        decided_by="Chủ tịch UBND tỉnh",
        council_vote=_NO_VOTE,
        required_documents=_BASE_DOCS,
        criteria=(
            # A round of year Y weighs the results of year Y-1, as for every consecutive criterion.
            _law(
                "Điều 27 khoản 1 điểm a",
                rule="consecutive_rating",
                check="rating_htxs",
                ratings=["htxs"],
                years=1,
            ),
            _law(
                "Điều 27 khoản 1 điểm b",
                rule="manual",
                check="members_all_completed",
                message="Cần đối chiếu hồ sơ: 100% cá nhân trong tập thể hoàn thành nhiệm vụ "
                "được giao.",
            ),
            _law(
                "Điều 27 khoản 1 điểm b",
                rule="manual",
                check="members_ldtt_70_percent",
                message="Cần đối chiếu hồ sơ: ít nhất 70% cá nhân đạt Lao động tiên tiến.",
            ),
            _law(
                "Điều 27 khoản 1 điểm c",
                rule="manual",
                check="member_cstdcs",
                message="Cần đối chiếu hồ sơ: có cá nhân đạt Chiến sĩ thi đua cơ sở.",
            ),
        ),
        legal_basis=_LEGAL_BASIS,
    ),
    AwardTypeSpec(
        code="bang_khen_chu_tich_ubnd_tinh",
        name="Bằng khen của Chủ tịch UBND tỉnh",
        level="provincial",
        recipient="both",
        decided_by="Chủ tịch UBND tỉnh",
        council_vote=_NO_VOTE,
        required_documents=_BASE_DOCS,
        criteria=(
            _law(
                "Điều 74 khoản 1",
                rule="any_of",
                check="bang_khen_individual",
                applies_to="individual",
                options=[
                    # Điều 74.1.c: 02 năm liên tục HTXS, trong đó có 02 sáng kiến được công nhận
                    # ở cơ sở — hoặc 02 đề tài khoa học được nghiệm thu (both are recorded as
                    # initiatives, of kind `initiative` or `research`).
                    _law(
                        "Điều 74 khoản 1 điểm c",
                        rule="all_of",
                        check="htxs_2_and_initiatives_2",
                        options=[
                            {"rule": "consecutive_rating", "ratings": ["htxs"], "years": 2},
                            {
                                "rule": "initiative",
                                "min_scope": "grassroots",
                                "count": 2,
                                "within_years": 2,
                            },
                        ],
                    ),
                    # Kept from the provincial practice (two consecutive CSTĐCS imply two
                    # years of HTXS with a recognised initiative each).
                    _decree(
                        "hướng dẫn Điều 74 Luật 2022",
                        rule="prior_consecutive",
                        award_type_code=_CSTDCS,
                        years=2,
                    ),
                    _law(
                        "Điều 74 khoản 1 điểm a, b, d",
                        rule="manual",
                        check="bang_khen_other_grounds",
                        message="Thành tích xuất sắc trong phong trào thi đua do tỉnh phát động, "
                        "thành tích có phạm vi ảnh hưởng trong tỉnh, hoặc thành tích đột xuất: "
                        "đối chiếu báo cáo thành tích.",
                    ),
                ],
            ),
            _law(
                # TTLĐXS presupposes HTXS, so either proves the year.
                "Điều 74 khoản 2 điểm b",
                rule="consecutive_rating",
                check="collective_htxs_2",
                applies_to="collective",
                ratings=["htxs"],
                award_type_codes=[_TTLDXS],
                years=2,
            ),
            # Hộ gia đình: what decides it is the commune's confirmation of the household's
            # conduct and of the value it gave; tdkt keeps neither, so the check names the paper.
            _law(
                "Điều 74 khoản 3",
                rule="manual",
                check="household_contribution",
                applies_to=NomineeKind.HOUSEHOLD.value,
                message="Hộ gia đình: đối chiếu văn bản xác nhận của UBND cấp xã về việc hộ "
                "gương mẫu chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước và "
                "về giá trị đóng góp công sức, đất đai, tài sản cho địa phương, xã hội (giấy tờ "
                "“Văn bản xác nhận”).",
            ),
        ),
        legal_basis=_LEGAL_BASIS,
        accepts_households=True,
    ),
    AwardTypeSpec(
        code="chien_si_thi_dua_cap_tinh",
        name="Chiến sĩ thi đua cấp tỉnh",
        level="provincial",
        recipient="individual",
        decided_by="Chủ tịch UBND tỉnh",
        council_vote=CouncilVote(required=True, threshold_percent=90),
        required_documents=(*_BASE_DOCS, "minh_chung_sang_kien"),
        criteria=(
            _law(
                "Điều 22",
                rule="prior_consecutive",
                award_type_code=_CSTDCS,
                years=3,
                requires_rating=_CSTDCS_RATINGS,
            ),
            _law(
                "Điều 22",
                rule="initiative",
                min_scope="provincial",
                count=1,
                within_years=3,
            ),
        ),
        legal_basis=_LEGAL_BASIS,
    ),
    AwardTypeSpec(
        code="co_thi_dua_ubnd_tinh",
        name="Cờ thi đua của UBND tỉnh",
        level="provincial",
        recipient="collective",
        decided_by="UBND tỉnh",
        council_vote=CouncilVote(required=True, threshold_percent=80),
        required_documents=(*_BASE_DOCS, "ket_qua_binh_xet"),
        criteria=(_law("Điều 26 khoản 2", rule="cluster_leader"),),
        legal_basis=_LEGAL_BASIS,
    ),
)

_STATE_TYPES = (
    AwardTypeSpec(
        code="bang_khen_thu_tuong",
        name="Bằng khen của Thủ tướng Chính phủ",
        level="state",
        recipient="both",
        decided_by="Thủ tướng Chính phủ",
        # 80 is only a shipped default: the share is configurable and Sở Nội vụ amends it.
        council_vote=CouncilVote(required=True, threshold_percent=80),
        required_documents=_BASE_DOCS,
        criteria=(
            # Cá nhân: Bằng khen cấp tỉnh, then 05 years in a row "hoàn thành tốt nhiệm vụ trở
            # lên" with 03 times Chiến sĩ thi đua cơ sở in them.
            _law(
                "Điều 73 khoản 1 điểm b",
                rule="prior_award",
                check="prior_bang_khen_tinh",
                applies_to="individual",
                award_type_code=_BK_TINH,
                latest_year_offset=6,
                note="Đã được tặng Bằng khen cấp tỉnh, 05 năm tiếp theo trở lên liên tục hoàn "
                "thành tốt nhiệm vụ trở lên, trong đó có 03 lần Chiến sĩ thi đua cơ sở.",
            ),
            _law(
                "Điều 73 khoản 1 điểm b",
                rule="consecutive_rating",
                check="consecutive_httt_5",
                applies_to="individual",
                ratings=["htxs", "httt"],
                award_type_codes=[_CSTDCS, _CSTD_TINH],
                years=5,
            ),
            _law(
                "Điều 73 khoản 1 điểm b",
                rule="award_count",
                check="cstdcs_3_in_5",
                applies_to="individual",
                award_type_code=_CSTDCS,
                count=3,
                earliest_year_offset=5,
                latest_year_offset=1,
                requires_rating=_CSTDCS_RATINGS,
            ),
            # Tập thể: Bằng khen cấp tỉnh, then 05 years in a row HTXS with 01 Cờ thi đua cấp
            # tỉnh or 02 times Tập thể lao động xuất sắc in them.
            _law(
                "Điều 73 khoản 2 điểm b",
                rule="prior_award",
                check="collective_prior_bang_khen_tinh",
                applies_to="collective",
                award_type_code=_BK_TINH,
                latest_year_offset=6,
            ),
            _law(
                "Điều 73 khoản 2 điểm b",
                rule="consecutive_rating",
                check="collective_htxs_5",
                applies_to="collective",
                ratings=["htxs"],
                award_type_codes=[_TTLDXS],
                years=5,
            ),
            _law(
                "Điều 73 khoản 2 điểm b",
                rule="any_of",
                check="collective_flag_or_ttldxs_2",
                applies_to="collective",
                options=[
                    {
                        "rule": "award_count",
                        "award_type_code": _CO_TINH,
                        "count": 1,
                        "earliest_year_offset": 5,
                        "latest_year_offset": 1,
                    },
                    {
                        "rule": "award_count",
                        "award_type_code": _TTLDXS,
                        "count": 2,
                        "earliest_year_offset": 5,
                        "latest_year_offset": 1,
                    },
                ],
            ),
        ),
        legal_basis=_LEGAL_BASIS,
    ),
    AwardTypeSpec(
        code="co_thi_dua_chinh_phu",
        name="Cờ thi đua của Chính phủ",
        level="state",
        recipient="collective",
        decided_by="Thủ tướng Chính phủ",
        council_vote=CouncilVote(required=True, threshold_percent=80),
        required_documents=_BASE_DOCS,
        criteria=(
            _law(
                "Điều 25",
                rule="any_of",
                check="meets_co_thi_dua_ubnd_tinh",
                options=[
                    {"rule": "cluster_leader"},
                    {
                        "rule": "prior_award",
                        "award_type_code": _CO_TINH,
                        "latest_year_offset": 0,
                        "earliest_year_offset": 0,
                    },
                ],
            ),
        ),
        legal_basis=_LEGAL_BASIS,
    ),
    AwardTypeSpec(
        code="chien_si_thi_dua_toan_quoc",
        name="Chiến sĩ thi đua toàn quốc",
        level="state",
        recipient="individual",
        decided_by="Thủ tướng Chính phủ",
        council_vote=CouncilVote(required=True, threshold_percent=90),
        required_documents=(*_BASE_DOCS, "minh_chung_sang_kien"),
        criteria=(
            # CSTĐ cấp tỉnh is earned per 3-year cycle, so consecutive "times" are 3 years apart.
            _law(
                "Điều 21",
                rule="prior_consecutive",
                award_type_code=_CSTD_TINH,
                years=2,
                interval=3,
            ),
            _law(
                "Điều 21",
                rule="initiative",
                min_scope="national",
                count=1,
                within_years=6,
            ),
        ),
        legal_basis=_LEGAL_BASIS,
    ),
    AwardTypeSpec(
        code="huan_chuong_lao_dong_hang_ba",
        name="Huân chương Lao động hạng Ba",
        level="state",
        recipient="both",
        decided_by="Chủ tịch nước",
        # 80 is only a shipped default: the share is configurable and Sở Nội vụ amends it.
        council_vote=CouncilVote(required=True, threshold_percent=80),
        required_documents=_BASE_DOCS,
        criteria=(
            # Cá nhân (cán bộ, công chức, viên chức): Bằng khen Thủ tướng, then 05 years in a
            # row HTXS with 02 times Chiến sĩ thi đua cấp tỉnh or 02 provincial initiatives in
            # them; or a long career (quá trình cống hiến) per Nghị định 152.
            _law(
                "Điều 44 khoản 1",
                rule="any_of",
                check="hcld3_individual",
                applies_to="individual",
                options=[
                    _law(
                        "Điều 44 khoản 1 điểm a",
                        rule="all_of",
                        check="hcld3_bang_khen_ttg_then_5_years",
                        options=[
                            {
                                "rule": "prior_award",
                                "award_type_code": _BK_TTG,
                                "latest_year_offset": 6,
                            },
                            {"rule": "consecutive_rating", "ratings": ["htxs"], "years": 5},
                            {
                                "rule": "any_of",
                                "options": [
                                    {
                                        "rule": "award_count",
                                        "award_type_code": _CSTD_TINH,
                                        "count": 2,
                                        "earliest_year_offset": 5,
                                        "latest_year_offset": 1,
                                    },
                                    {
                                        "rule": "initiative",
                                        "min_scope": "provincial",
                                        "count": 2,
                                        "within_years": 5,
                                    },
                                ],
                            },
                        ],
                    ),
                    _decree(
                        "quy định về khen thưởng quá trình cống hiến",
                        rule="manual",
                        check="hcld3_dedication",
                        message="Quá trình cống hiến: đối chiếu thời gian giữ chức vụ lãnh đạo, "
                        "quản lý theo Nghị định 152/2025/NĐ-CP.",
                    ),
                ],
            ),
            # Tập thể: Bằng khen Thủ tướng, then 05 years in a row HTXS with 01 Cờ thi đua cấp
            # tỉnh or 02 times Tập thể lao động xuất sắc in them.
            _law(
                "Điều 44 khoản 4",
                rule="all_of",
                check="hcld3_collective",
                applies_to="collective",
                options=[
                    {"rule": "prior_award", "award_type_code": _BK_TTG, "latest_year_offset": 6},
                    {
                        "rule": "consecutive_rating",
                        "ratings": ["htxs"],
                        "award_type_codes": [_TTLDXS],
                        "years": 5,
                    },
                    {
                        "rule": "any_of",
                        "options": [
                            {
                                "rule": "award_count",
                                "award_type_code": _CO_TINH,
                                "count": 1,
                                "earliest_year_offset": 5,
                                "latest_year_offset": 1,
                            },
                            {
                                "rule": "award_count",
                                "award_type_code": _TTLDXS,
                                "count": 2,
                                "earliest_year_offset": 5,
                                "latest_year_offset": 1,
                            },
                        ],
                    },
                ],
            ),
            _DISCLOSURE,
        ),
        legal_basis=_LEGAL_BASIS,
        needs_public_disclosure=True,
        disclosure_working_days=10,
    ),
    AwardTypeSpec(
        code="anh_hung_lao_dong",
        name="Anh hùng Lao động",
        level="state",
        recipient="both",
        decided_by="Chủ tịch nước",
        council_vote=CouncilVote(required=True, threshold_percent=90),
        required_documents=_BASE_DOCS,
        criteria=(_DISCLOSURE,),
        legal_basis=_LEGAL_BASIS,
        needs_public_disclosure=True,
        disclosure_working_days=10,
    ),
)

AWARD_TYPES: tuple[AwardTypeSpec, ...] = _GRASSROOTS_TYPES + _PROVINCIAL_TYPES + _STATE_TYPES

AWARD_TYPES_BY_CODE: dict[str, AwardTypeSpec] = {spec.code: spec for spec in AWARD_TYPES}


def get_award_type(code: str) -> AwardTypeSpec | None:
    return AWARD_TYPES_BY_CODE.get(code)


def award_type_name(code: str) -> str:
    """The Vietnamese name of a shipped award type, or the code itself when unknown."""
    spec = AWARD_TYPES_BY_CODE.get(code)
    return spec.name if spec else code
