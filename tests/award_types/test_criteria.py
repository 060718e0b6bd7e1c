import copy

import pytest

from app.services.award_types.catalogue import get_award_type
from app.services.award_types.criteria import (
    AwardRecord,
    NomineeFacts,
    YearRating,
    consecutive_years,
    evaluate,
)

CSTDCS = "chien_si_thi_dua_co_so"
CSTD_TINH = get_award_type("chien_si_thi_dua_cap_tinh")
BANG_KHEN = get_award_type("bang_khen_chu_tich_ubnd_tinh")


def _facts(kind="individual", year=2026, awards=(), **extra) -> NomineeFacts:
    return NomineeFacts(nominee_kind=kind, year=year, awards=tuple(awards), **extra)


def _cstdcs(*years, source="history", kind="regular"):
    return [AwardRecord(CSTDCS, y, source, kind) for y in years]


def _check(checks, rule):
    (found,) = [c for c in checks if c.rule == rule]
    return found


def test_consecutive_years():
    assert consecutive_years([2023, 2024, 2025], 2025) == 3
    assert consecutive_years([2022, 2024, 2025], 2025) == 2
    assert consecutive_years([2023, 2024], 2025) == 0
    assert consecutive_years([], 2025) == 0
    assert consecutive_years([2019, 2022, 2025], 2025, interval=3) == 3


def test_consecutive_years_refuses_an_interval_that_never_moves():
    with pytest.raises(ValueError):
        consecutive_years([2025], 2025, interval=0)


def test_third_consecutive_cstdcs_passes():
    checks = evaluate(CSTD_TINH, _facts(awards=_cstdcs(2023, 2024, 2025)))
    check = _check(checks, "consecutive_cstdcs_3")
    assert check.result == "pass"
    assert "2023, 2024, 2025" in check.message


def test_declared_awards_count_but_are_marked():
    awards = _cstdcs(2023, 2024) + _cstdcs(2025, source="declared")
    check = _check(evaluate(CSTD_TINH, _facts(awards=awards)), "consecutive_cstdcs_3")
    assert check.result == "pass"
    assert "theo kê khai" in check.message


def test_gap_does_not_pass():
    check = _check(
        evaluate(CSTD_TINH, _facts(awards=_cstdcs(2022, 2024, 2025))), "consecutive_cstdcs_3"
    )
    assert check.result == "unknown"
    assert "2023" in check.message


def test_gap_with_a_disproving_rating_fails():
    facts = _facts(awards=_cstdcs(2022, 2024, 2025), ratings=(YearRating(2023, "ht"),))
    check = _check(evaluate(CSTD_TINH, facts), "consecutive_cstdcs_3")
    assert check.result == "fail"
    assert "2023" in check.message


def test_thematic_award_does_not_count():
    awards = _cstdcs(2023, 2024) + _cstdcs(2025, kind="thematic")
    check = _check(evaluate(CSTD_TINH, _facts(awards=awards)), "consecutive_cstdcs_3")
    assert check.result != "pass"
    assert "2025" in check.message


def test_no_data_is_unknown_naming_the_years():
    checks = evaluate(CSTD_TINH, _facts())
    check = _check(checks, "consecutive_cstdcs_3")
    assert check.result == "unknown"
    assert "2023, 2024, 2025" in check.message
    assert _check(checks, "initiative_provincial").result == "unknown"
    assert _check(checks, "no_discipline").result == "unknown"
    assert not any(c.result == "pass" and c.rule.startswith("consecutive") for c in checks)


def test_initiative_of_provincial_scope_passes():
    facts = _facts(initiatives=({"year": 2025, "scope": "provincial"},))
    assert _check(evaluate(CSTD_TINH, facts), "initiative_provincial").result == "pass"
    facts = _facts(initiatives=({"year": 2025, "scope": "grassroots"},))
    assert _check(evaluate(CSTD_TINH, facts), "initiative_provincial").result == "unknown"


def test_wrong_recipient_kind_fails():
    check = _check(evaluate(CSTD_TINH, _facts(kind="collective")), "recipient_kind")
    assert check.result == "fail"
    assert "cá nhân" in check.message
    both = _check(evaluate(BANG_KHEN, _facts(kind="collective")), "recipient_kind")
    assert both.result == "pass"


def test_open_complaint_and_discipline_fail():
    checks = evaluate(CSTD_TINH, _facts(open_complaint=True, under_discipline=True))
    assert _check(checks, "no_open_complaint").result == "fail"
    assert _check(checks, "no_discipline").result == "fail"
    clean = evaluate(CSTD_TINH, _facts(under_discipline=False))
    assert _check(clean, "no_open_complaint").result == "pass"
    assert _check(clean, "no_discipline").result == "pass"


def test_bang_khen_individual_with_two_previous_cstdcs_passes():
    checks = evaluate(BANG_KHEN, _facts(awards=_cstdcs(2024, 2025)))
    assert _check(checks, "bang_khen_individual").result == "pass"
    assert not [c for c in checks if c.rule == "collective_htxs_2"]


def test_bang_khen_individual_by_htxs_and_initiatives():
    facts = _facts(
        ratings=(YearRating(2024, "htxs"), YearRating(2025, "htxs")),
        initiatives=({"year": 2024, "scope": "grassroots"}, {"year": 2025, "scope": "provincial"}),
    )
    assert _check(evaluate(BANG_KHEN, facts), "bang_khen_individual").result == "pass"


def test_bang_khen_individual_without_data_is_unknown():
    check = _check(evaluate(BANG_KHEN, _facts()), "bang_khen_individual")
    assert check.result == "unknown"


def test_bang_khen_collective_htxs_two_years():
    ratings = (YearRating(2024, "htxs"), YearRating(2025, "htxs"))
    checks = evaluate(BANG_KHEN, _facts(kind="collective", ratings=ratings))
    assert _check(checks, "collective_htxs_2").result == "pass"
    assert not [c for c in checks if c.rule == "bang_khen_individual"]
    mixed = _facts(
        kind="collective",
        ratings=(YearRating(2024, "htxs"),),
        awards=[AwardRecord("tap_the_lao_dong_xuat_sac", 2025, "history")],
    )
    assert _check(evaluate(BANG_KHEN, mixed), "collective_htxs_2").result == "pass"
    below = _facts(kind="collective", ratings=(YearRating(2024, "htxs"), YearRating(2025, "httt")))
    assert _check(evaluate(BANG_KHEN, below), "collective_htxs_2").result == "fail"


def test_edited_criteria_change_the_result():
    edited = copy.deepcopy(CSTD_TINH.to_dict())
    edited["criteria"][0]["years"] = 2
    facts = _facts(awards=_cstdcs(2024, 2025))
    assert _check(evaluate(CSTD_TINH, facts), "consecutive_cstdcs_3").result == "unknown"
    assert _check(evaluate(edited, facts), "consecutive_cstdcs_2").result == "pass"


def test_cluster_leader():
    co = get_award_type("co_thi_dua_ubnd_tinh")
    for leader, result in ((True, "pass"), (False, "fail"), (None, "unknown")):
        facts = _facts(kind="collective", is_cluster_leader=leader)
        assert _check(evaluate(co, facts), "cluster_leader").result == result


def test_public_disclosure_is_left_to_the_meeting():
    for code in ("huan_chuong_lao_dong_hang_ba", "anh_hung_lao_dong"):
        check = _check(evaluate(get_award_type(code), _facts()), "public_disclosure")
        assert check.result == "unknown"
        assert "10 ngày làm việc" in check.message


def test_bang_khen_thu_tuong_follows_luat_2022_dieu_73_1_b():
    # Bằng khen tỉnh in 2020, then 2021–2025 "hoàn thành tốt nhiệm vụ trở lên" (not HTXS each
    # year) with 3 times Chiến sĩ thi đua cơ sở in them.
    spec = get_award_type("bang_khen_thu_tuong")
    ratings = tuple(
        YearRating(y, r)
        for y, r in zip(range(2021, 2026), "httt htxs httt htxs htxs".split(), strict=True)
    )
    awards = [AwardRecord("bang_khen_chu_tich_ubnd_tinh", 2020, "history", decision_no="9/QĐ")]
    facts = _facts(ratings=ratings, awards=[*awards, *_cstdcs(2022, 2024, 2025)])
    checks = evaluate(spec, facts)
    assert _check(checks, "prior_bang_khen_tinh").result == "pass"
    assert "9/QĐ" in _check(checks, "prior_bang_khen_tinh").message
    assert _check(checks, "consecutive_httt_5").result == "pass"
    assert _check(checks, "cstdcs_3_in_5").result == "pass"
    assert "Luật Thi đua, khen thưởng 2022" in _check(checks, "cstdcs_3_in_5").legal_basis
    assert "Điều 73 khoản 1 điểm b" in _check(checks, "cstdcs_3_in_5").legal_basis
    # One year rated only "hoàn thành nhiệm vụ" breaks the five years.
    weak = tuple(YearRating(y, "ht" if y == 2023 else "htxs") for y in range(2021, 2026))
    broken = evaluate(spec, _facts(ratings=weak, awards=awards))
    assert _check(broken, "consecutive_httt_5").result == "fail"
    # Two years rated "hoàn thành nhiệm vụ" leave room for at most 3 CSTĐCS... three do not.
    three_weak = tuple(YearRating(y, "ht" if y in (2021, 2022, 2023) else "htxs")
                       for y in range(2021, 2026))  # fmt: skip
    assert _check(evaluate(spec, _facts(ratings=three_weak)), "cstdcs_3_in_5").result == "fail"
    too_recent = _facts(awards=[AwardRecord("bang_khen_chu_tich_ubnd_tinh", 2023, "history")])
    assert _check(evaluate(spec, too_recent), "prior_bang_khen_tinh").result == "unknown"


def test_unscheduled_awards_are_no_basis_for_a_higher_one():
    spec = get_award_type("bang_khen_thu_tuong")
    sudden = [AwardRecord("bang_khen_chu_tich_ubnd_tinh", 2019, "history", "unscheduled")]
    check = _check(evaluate(spec, _facts(awards=sudden)), "prior_bang_khen_tinh")
    assert check.result == "unknown"
    assert "đột xuất" in check.message


def test_huan_chuong_lao_dong_hang_ba_follows_dieu_44():
    spec = get_award_type("huan_chuong_lao_dong_hang_ba")
    ratings = tuple(YearRating(y, "htxs") for y in range(2021, 2026))
    ttg = [AwardRecord("bang_khen_thu_tuong", 2020, "history")]
    provincial = [AwardRecord("chien_si_thi_dua_cap_tinh", y, "history") for y in (2022, 2025)]
    passed = evaluate(spec, _facts(ratings=ratings, awards=[*ttg, *provincial]))
    assert _check(passed, "hcld3_individual").result == "pass"
    one_short = evaluate(spec, _facts(ratings=ratings, awards=[*ttg, *provincial[:1]]))
    assert _check(one_short, "hcld3_individual").result == "unknown"
    team = _facts(kind="collective", ratings=ratings,
                  awards=[*ttg, AwardRecord("co_thi_dua_ubnd_tinh", 2023, "history")])  # fmt: skip
    assert _check(evaluate(spec, team), "hcld3_collective").result == "pass"
    weak_team = _facts(kind="collective", awards=ttg,
                       ratings=tuple(YearRating(y, "httt") for y in range(2021, 2026)))  # fmt: skip
    assert _check(evaluate(spec, weak_team), "hcld3_collective").result == "fail"


def test_tap_the_lao_dong_xuat_sac_asks_for_every_member_completing_the_task():
    spec = get_award_type("tap_the_lao_dong_xuat_sac")
    check = _check(evaluate(spec, _facts(kind="collective")), "members_all_completed")
    assert check.result == "unknown" and "100% cá nhân" in check.message
    assert "Điều 27" in check.legal_basis


def test_toan_quoc_counts_provincial_cycles():
    spec = get_award_type("chien_si_thi_dua_toan_quoc")
    awards = [AwardRecord("chien_si_thi_dua_cap_tinh", y, "history") for y in (2022, 2025)]
    facts = _facts(awards=awards, initiatives=({"year": 2024, "scope": "national"},))
    checks = evaluate(spec, facts)
    assert _check(checks, "consecutive_cstdct_2").result == "pass"
    assert _check(checks, "initiative_national").result == "pass"


def test_unknown_rule_in_edited_data_is_unknown_not_an_error():
    award = {"code": "x", "name": "X", "recipient": "both", "criteria": [{"rule": "moi"}]}
    check = _check(evaluate(award, _facts()), "moi")
    assert check.result == "unknown"


def test_every_shipped_type_evaluates():
    from app.services.award_types.catalogue import AWARD_TYPES

    for spec in AWARD_TYPES:
        kinds = ("individual", "collective") if spec.recipient == "both" else (spec.recipient,)
        for kind in kinds:
            for check in evaluate(spec, _facts(kind=kind)):
                assert check.result in {"pass", "fail", "unknown"}
                assert check.message
                if check.rule not in {"recipient_kind", "no_open_complaint"}:
                    assert check.result != "pass", (spec.code, check)
