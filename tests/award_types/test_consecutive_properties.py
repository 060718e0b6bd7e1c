"""Property-based tests of the consecutive-year rules: gaps, discipline resets, đột xuất
exclusion and the boundary years, over any history hypothesis can think of."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.award_types.catalogue import get_award_type
from app.services.award_types.criteria import AwardRecord, NomineeFacts, YearRating, evaluate

CSTDCS = "chien_si_thi_dua_co_so"
CSTD_TINH = get_award_type("chien_si_thi_dua_cap_tinh")
BK_TTG = get_award_type("bang_khen_thu_tuong")
YEAR = 2026
KINDS = st.sampled_from(["regular", "regular", "unscheduled", "thematic"])
HISTORY = st.lists(st.tuples(st.integers(2015, 2027), KINDS), max_size=12)


def _check(award, facts, rule):
    (found,) = [c for c in evaluate(award, facts) if c.rule == rule]
    return found


def _facts(history, **extra) -> NomineeFacts:
    awards = tuple(AwardRecord(CSTDCS, y, "history", kind) for y, kind in history)
    return NomineeFacts(nominee_kind="individual", year=YEAR, awards=awards, **extra)


@settings(max_examples=200, deadline=None)
@given(HISTORY)
def test_three_consecutive_cstdcs_pass_exactly_when_the_three_years_before_are_regular(history):
    regular = {y for y, kind in history if kind == "regular"}

    check = _check(CSTD_TINH, _facts(history), "consecutive_cstdcs_3")

    assert (check.result == "pass") == ({2023, 2024, 2025} <= regular)
    # Nothing in the history disproves a year: missing years stay unknown, never fail.
    assert check.result in ("pass", "unknown")


@settings(max_examples=200, deadline=None)
@given(HISTORY, st.integers(2015, 2025))
def test_after_a_discipline_only_later_years_count(history, ended):
    regular = {y for y, kind in history if kind == "regular"}

    check = _check(CSTD_TINH, _facts(history, counting_from=ended + 1), "consecutive_cstdcs_3")

    if ended >= 2023:
        assert check.result == "fail" and f"tính lại từ năm {ended + 1}" in check.message
    else:
        assert (check.result == "pass") == ({2023, 2024, 2025} <= regular)


@settings(max_examples=200, deadline=None)
@given(HISTORY)
def test_unscheduled_and_thematic_awards_never_make_a_check_pass(history):
    only_exceptional = [(y, kind) for y, kind in history if kind != "regular"]

    for award, rule in ((CSTD_TINH, "consecutive_cstdcs_3"), (BK_TTG, "cstdcs_3_in_5")):
        assert _check(award, _facts(only_exceptional), rule).result != "pass"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["htxs", "httt", "ht", "kht"]), min_size=5, max_size=5))
def test_five_ratings_decide_the_five_year_check_either_way(ratings):
    rated = tuple(YearRating(2021 + i, r) for i, r in enumerate(ratings))
    facts = NomineeFacts(nominee_kind="individual", year=YEAR, awards=(), ratings=rated)

    check = _check(BK_TTG, facts, "consecutive_httt_5")

    good = all(r in ("htxs", "httt") for r in ratings)
    assert check.result == ("pass" if good else "fail")


@settings(max_examples=100, deadline=None)
@given(st.integers(2000, 2030))
def test_the_window_is_the_years_before_the_round_and_not_the_rounds_own(year):
    # Three regular titles ending the year before the round pass; ending in the round's year
    # (one too late) or two years before (one too early) do not.
    def result(last):
        history = [(y, "regular") for y in (last - 2, last - 1, last)]
        facts = NomineeFacts(
            nominee_kind="individual", year=year,
            awards=tuple(AwardRecord(CSTDCS, y, "history", k) for y, k in history),
        )  # fmt: skip
        return _check(CSTD_TINH, facts, "consecutive_cstdcs_3").result

    assert result(year - 1) == "pass"
    assert result(year) != "pass"
    assert result(year - 2) != "pass"
