import json

from app.services.award_types.catalogue import (
    AWARD_TYPES,
    AWARD_TYPES_BY_CODE,
    DOCUMENT_TYPES,
    LEVELS,
    RECIPIENTS,
    award_type_name,
    get_award_type,
)
from app.services.award_types.criteria import RULES

EXPECTED_CODES = {
    "chien_si_thi_dua_co_so",
    "lao_dong_tien_tien",
    "tap_the_lao_dong_tien_tien",
    "tap_the_lao_dong_xuat_sac",
    "bang_khen_chu_tich_ubnd_tinh",
    "chien_si_thi_dua_cap_tinh",
    "co_thi_dua_ubnd_tinh",
    "bang_khen_thu_tuong",
    "co_thi_dua_chinh_phu",
    "chien_si_thi_dua_toan_quoc",
    "huan_chuong_lao_dong_hang_ba",
    "anh_hung_lao_dong",
}


def _criteria_rules(criteria):
    for criterion in criteria:
        yield criterion["rule"]
        yield from _criteria_rules(criterion.get("options", ()))


def test_catalogue_has_the_twelve_codes_once():
    codes = [spec.code for spec in AWARD_TYPES]
    assert len(codes) == 12
    assert set(codes) == EXPECTED_CODES


def test_council_thresholds():
    thresholds = {
        spec.code: spec.council_vote.threshold_percent
        for spec in AWARD_TYPES
        if spec.council_vote.required
    }
    assert thresholds == {
        "chien_si_thi_dua_cap_tinh": 90,
        "chien_si_thi_dua_toan_quoc": 90,
        "anh_hung_lao_dong": 90,
        "co_thi_dua_ubnd_tinh": 80,
        "co_thi_dua_chinh_phu": 80,
        "bang_khen_thu_tuong": 80,
        "huan_chuong_lao_dong_hang_ba": 80,
    }
    for spec in AWARD_TYPES:
        assert spec.council_vote.base == "all_members"
        if not spec.council_vote.required:
            assert spec.council_vote.threshold_percent is None


def test_grassroots_unit_council_is_not_the_provincial_vote():
    spec = get_award_type("chien_si_thi_dua_co_so")
    assert spec.level == "grassroots"
    assert spec.council_vote.required is False
    unit_vote = [c for c in spec.criteria if c["rule"] == "unit_council_vote"]
    assert unit_vote[0]["unit_council_threshold_percent"] == 80


def test_fields_use_known_values():
    for spec in AWARD_TYPES:
        assert spec.level in LEVELS
        assert spec.recipient in RECIPIENTS
        assert spec.decided_by and spec.name and spec.legal_basis
        assert set(spec.required_documents) <= set(DOCUMENT_TYPES)
        assert set(_criteria_rules(spec.criteria)) <= set(RULES), spec.code


def test_required_documents():
    base = {"to_trinh", "bien_ban_hop", "bao_cao_thanh_tich"}
    for spec in AWARD_TYPES:
        docs = set(spec.required_documents)
        if spec.level == "grassroots":
            assert docs == {"to_trinh", "bien_ban_hop"}
        else:
            assert base <= docs, spec.code
    for code in ("chien_si_thi_dua_cap_tinh", "chien_si_thi_dua_toan_quoc"):
        assert "minh_chung_sang_kien" in AWARD_TYPES_BY_CODE[code].required_documents
    assert "ket_qua_binh_xet" in AWARD_TYPES_BY_CODE["co_thi_dua_ubnd_tinh"].required_documents


def test_public_disclosure_for_huan_chuong_and_anh_hung():
    disclosed = {spec.code for spec in AWARD_TYPES if spec.needs_public_disclosure}
    assert disclosed == {"huan_chuong_lao_dong_hang_ba", "anh_hung_lao_dong"}
    for code in disclosed:
        assert AWARD_TYPES_BY_CODE[code].disclosure_working_days == 10
        assert "public_disclosure" in set(_criteria_rules(AWARD_TYPES_BY_CODE[code].criteria))


def test_document_types():
    assert DOCUMENT_TYPES["to_trinh"] == "Tờ trình"
    assert set(DOCUMENT_TYPES) == {
        "to_trinh",
        "bien_ban_hop",
        "bao_cao_thanh_tich",
        "minh_chung_sang_kien",
        "ket_qua_binh_xet",
        "van_ban_xac_nhan",
        "other",
    }


def test_to_dict_is_json_ready_and_detached():
    spec = get_award_type("chien_si_thi_dua_cap_tinh")
    data = spec.to_dict()
    json.dumps(data, ensure_ascii=False)
    # The threshold is shipped as a rule value, not stored on the award type.
    assert data["council_vote"] == {"required": True, "base": "all_members"}
    assert isinstance(data["required_documents"], list)
    data["criteria"][0]["years"] = 99
    assert spec.criteria[0]["years"] == 3


def test_lookup_helpers():
    assert get_award_type("khong_co") is None
    assert award_type_name("chien_si_thi_dua_co_so") == "Chiến sĩ thi đua cơ sở"
    assert award_type_name("khong_co") == "khong_co"
