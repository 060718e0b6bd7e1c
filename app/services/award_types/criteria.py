"""Kiểm tra tiêu chuẩn khen thưởng: run an award type's criteria data on a nominee's facts.

Each criterion is a dict whose `rule` names an evaluator in `RULES`, so when Sở Nội vụ edits the
criteria of an award type the checks follow without a code change. A check passes only when the
data proves the criterion, fails only when the data disproves it, and is otherwise `unknown`
with a message naming what is missing (domain.md: never `pass` on missing data).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core import nominee_kinds
from app.core.nominee_kinds import NomineeKind
from app.services.award_types.catalogue import GENERAL_CRITERIA, AwardTypeSpec, award_type_name

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

RATING_NAMES = {
    "htxs": "Hoàn thành xuất sắc nhiệm vụ",
    "httt": "Hoàn thành tốt nhiệm vụ",
    "ht": "Hoàn thành nhiệm vụ",
    "kht": "Không hoàn thành nhiệm vụ",
}
SCOPE_RANKS = {"grassroots": 1, "provincial": 2, "national": 3}
SCOPE_NAMES = {"grassroots": "cấp cơ sở", "provincial": "cấp tỉnh", "national": "toàn quốc"}
# Đột xuất and chuyên đề awards are never the basis of a higher award for công trạng (NĐ 98/2023
# Điều 4 khoản 3, kept by NĐ 152/2025): neither consecutive nor single prior-award criteria
# count them.
COUNTING_KINDS = frozenset({"regular"})


@dataclass(frozen=True)
class AwardRecord:
    """Một lần được khen của đối tượng: kê khai (`declared`) or recorded/imported (`history`)."""

    award_type_code: str
    year: int
    source: str
    kind: str = "regular"
    decision_no: str | None = None


@dataclass(frozen=True)
class YearRating:
    """Xếp loại năm: htxs | httt | ht | kht."""

    year: int
    rating: str
    decision_no: str | None = None


@dataclass(frozen=True)
class ClusterPlace:
    """A collective's place in its cụm/khối's year, as the cluster's recorded result has it."""

    cluster_name: str
    year: int
    rank: int
    total: str
    leader: bool


@dataclass(frozen=True)
class NomineeFacts:
    """What the system knows about one nominee (cá nhân, tập thể or hộ gia đình) for a
    nomination."""

    nominee_kind: str
    year: int
    awards: tuple[AwardRecord, ...]
    ratings: tuple[YearRating, ...] = ()
    initiatives: tuple[dict, ...] = ()
    under_discipline: bool | None = None
    open_complaint: bool = False
    is_cluster_leader: bool | None = None
    # Why `under_discipline` (which record), and the first year that counts again after a
    # discipline ended: years before it never make a consecutive run (NĐ 152/2025).
    discipline_reason: str | None = None
    counting_from: int | None = None
    cluster_place: ClusterPlace | None = None


@dataclass(frozen=True)
class Check:
    """Kết quả một tiêu chí: `rule` is stable snake_case, `message` is Vietnamese."""

    rule: str
    result: str
    message: str
    legal_basis: str | None = None
    # The initiatives a passing check stood on: one initiative justifies one award only.
    initiative_ids: tuple[int, ...] = ()
    # The initiatives a failing check would have stood on, had another nomination not held them.
    held_elsewhere: tuple[int, ...] = ()


Criterion = Mapping[str, Any]
Evaluator = Callable[[Criterion, NomineeFacts], Check]
RULES: dict[str, Evaluator] = {}


def _rule(name: str) -> Callable[[Evaluator], Evaluator]:
    def register(fn: Evaluator) -> Evaluator:
        RULES[name] = fn
        return fn

    return register


def consecutive_years(years: Iterable[int], ending: int, interval: int = 1) -> int:
    """How many consecutive years (`interval` apart) end at `ending`, e.g. 2023-2025 → 3."""
    if interval < 1:
        # An interval of 0 would count the same year forever.
        raise ValueError("interval must be at least 1")
    present = set(years)
    count = 0
    while count < len(present) and ending - count * interval in present:
        count += 1
    return count


def evaluate(award: AwardTypeSpec | Mapping, facts: NomineeFacts) -> list[Check]:
    """Run the general rules and the award type's criteria on `facts`."""
    checks = [_recipient_kind(award, facts)]
    for criterion in (*GENERAL_CRITERIA, *(_field(award, "criteria") or ())):
        if _applies(criterion, facts):
            checks.append(evaluate_criterion(criterion, facts))
    return checks


def evaluate_criterion(criterion: Criterion, facts: NomineeFacts) -> Check:
    evaluator = RULES.get(criterion.get("rule", ""))
    if evaluator is None:
        name = criterion.get("check") or criterion.get("rule") or "unknown_rule"
        check = Check(name, UNKNOWN, f"Tiêu chí “{name}” chưa được hỗ trợ kiểm tra tự động.")
    else:
        check = evaluator(criterion, facts)
    basis = criterion.get("legal_basis")
    if basis and criterion.get("effective_from"):
        day = criterion["effective_from"]
        basis = f"{basis} (hiệu lực từ {day[8:10]}/{day[5:7]}/{day[:4]})"
    return replace(check, legal_basis=basis) if basis else check


def _field(award: AwardTypeSpec | Mapping, name: str) -> Any:
    return award.get(name) if isinstance(award, Mapping) else getattr(award, name, None)


def _applies(criterion: Criterion, facts: NomineeFacts) -> bool:
    """`applies_to` is a kind, "both" (individuals and collectives), a list of kinds, or absent
    (every kind)."""
    target = criterion.get("applies_to")
    if target is None:
        return True
    if target == "both":
        return facts.nominee_kind in nominee_kinds.RATED_KINDS
    if isinstance(target, list | tuple):
        return facts.nominee_kind in target
    return target == facts.nominee_kind


def _name(criterion: Criterion, default: str) -> str:
    return criterion.get("check") or default


def _abbr(code: str) -> str:
    """`chien_si_thi_dua_co_so` → `cstdcs`: short, stable part of a derived check name."""
    return "".join(word[0] for word in code.split("_") if word)


def _years_text(years: Iterable[int]) -> str:
    """ "năm 2025" or "các năm 2023, 2024"."""
    ordered = sorted(years)
    prefix = "năm" if len(ordered) == 1 else "các năm"
    return f"{prefix} {', '.join(str(y) for y in ordered)}"


def _codes(criterion: Criterion) -> list[str]:
    codes = list(criterion.get("award_type_codes") or ())
    if criterion.get("award_type_code"):
        codes.insert(0, criterion["award_type_code"])
    return codes


def _recipient_kind(award: AwardTypeSpec | Mapping, facts: NomineeFacts) -> Check:
    accepted = nominee_kinds.accepted_kinds(
        _field(award, "recipient") or "", bool(_field(award, "accepts_households"))
    )
    name = _field(award, "name") or _field(award, "code")
    kind = NomineeKind.display_of(facts.nominee_kind)
    kind = kind.lower() if kind else facts.nominee_kind
    if facts.nominee_kind in accepted:
        return Check("recipient_kind", PASS, f"{name} xét tặng cho {kind}.")
    allowed = nominee_kinds.names(accepted) if accepted else "không đối tượng nào"
    return Check("recipient_kind", FAIL, f"{name} chỉ xét tặng cho {allowed}, không cho {kind}.")


@_rule("no_discipline")
def _no_discipline(criterion: Criterion, facts: NomineeFacts) -> Check:
    name = _name(criterion, "no_discipline")
    if facts.under_discipline is None:
        return Check(
            name, UNKNOWN, "Chưa có thông tin về việc bị kỷ luật, điều tra, thanh tra, kiểm tra."
        )
    if facts.under_discipline:
        reason = facts.discipline_reason or "Đang bị kỷ luật hoặc đang bị điều tra, thanh tra"
        return Check(name, FAIL, f"{reason}: chưa được xét khen thưởng.")
    return Check(
        name, PASS, "Không có kỷ luật, điều tra, thanh tra nào đang có hiệu lực trong dữ liệu."
    )


@_rule("no_open_complaint")
def _no_open_complaint(criterion: Criterion, facts: NomineeFacts) -> Check:
    name = _name(criterion, "no_open_complaint")
    if facts.open_complaint:
        return Check(name, FAIL, "Có đơn thư khiếu nại, tố cáo chưa được giải quyết.")
    return Check(name, PASS, "Không có đơn thư khiếu nại, tố cáo đang giải quyết.")


@_rule("cluster_leader")
def _cluster_leader(criterion: Criterion, facts: NomineeFacts) -> Check:
    name = _name(criterion, "cluster_leader")
    place = facts.cluster_place
    if place is not None:
        where = f"{place.cluster_name} năm {place.year}: xếp thứ {place.rank} ({place.total} điểm)"
        if place.leader:
            return Check(name, PASS, f"Đơn vị dẫn đầu {where}, theo kết quả bình xét đã ghi.")
        return Check(name, FAIL, f"Không phải đơn vị dẫn đầu {where}.")
    if facts.is_cluster_leader is None:
        return Check(name, UNKNOWN, f"Chưa có kết quả bình xét cụm, khối thi đua năm {facts.year}.")
    if facts.is_cluster_leader:
        return Check(name, PASS, f"Dẫn đầu cụm, khối thi đua năm {facts.year}.")
    return Check(name, FAIL, f"Không dẫn đầu cụm, khối thi đua năm {facts.year}.")


@_rule("public_disclosure")
def _public_disclosure(criterion: Criterion, facts: NomineeFacts) -> Check:
    days = criterion.get("working_days", 10)
    return Check(
        _name(criterion, "public_disclosure"),
        UNKNOWN,
        f"Phải công khai ít nhất {days} ngày làm việc trước phiên họp Hội đồng TĐKT tỉnh; "
        "được kiểm tra khi xếp lịch phiên họp.",
    )


@_rule("unit_council_vote")
def _unit_council_vote(criterion: Criterion, facts: NomineeFacts) -> Check:
    percent = criterion.get("unit_council_threshold_percent", 80)
    return Check(
        _name(criterion, "unit_council_vote"),
        UNKNOWN,
        f"Cần ít nhất {percent}% tổng số thành viên Hội đồng TĐKT cơ sở đồng ý; "
        "đối chiếu biên bản họp.",
    )


@_rule("manual")
def _manual(criterion: Criterion, facts: NomineeFacts) -> Check:
    message = criterion.get("message") or criterion.get("note") or "Cần kiểm tra trên hồ sơ."
    return Check(_name(criterion, "manual"), UNKNOWN, message)


def _required_years(criterion: Criterion, year: int) -> list[int]:
    ending = year - criterion.get("ending_offset", 1)
    interval = criterion.get("interval", 1)
    # A count edited to 0 would make the criterion vacuous; one year is the least it can mean.
    times = max(1, criterion.get("years", 1))
    return sorted(ending - i * interval for i in range(times))


def _proved_years(
    facts: NomineeFacts, codes: list[str], ratings: list[str], by_year: dict[int, str]
) -> dict[int, str]:
    """Year → source of its proof; recorded history and ratings outrank a declaration. Years
    before `counting_from` (a discipline ended after them) prove nothing."""
    found = {year: "history" for year, rating in by_year.items() if rating in ratings}
    for record in facts.awards:
        if record.award_type_code in codes and record.kind in COUNTING_KINDS:
            if found.get(record.year) != "history":
                found[record.year] = record.source
    start = facts.counting_from
    return {y: source for y, source in found.items() if start is None or y >= start}


def _consecutive_subject(codes: list[str], ratings: list[str]) -> str:
    parts = [award_type_name(code) for code in codes]
    parts += [f"xếp loại “{RATING_NAMES.get(r, r)}”" for r in ratings]
    return " hoặc ".join(parts)


@_rule("prior_consecutive")
@_rule("consecutive_rating")
def _consecutive(criterion: Criterion, facts: NomineeFacts) -> Check:
    codes, ratings = _codes(criterion), list(criterion.get("ratings") or ())
    required = _required_years(criterion, facts.year)
    by_year = {r.year: r.rating for r in facts.ratings}
    sources = _proved_years(facts, codes, ratings, by_year)
    name = _name(criterion, _consecutive_default_name(criterion, codes, ratings))
    subject = _consecutive_subject(codes, ratings)
    ending, interval = required[-1], criterion.get("interval", 1)
    if consecutive_years(sources, ending, interval) >= len(required):
        message = _consecutive_pass_message(subject, required, sources)
        return Check(name, PASS, message + _evidence_text(facts, codes, ratings, required))
    if facts.counting_from is not None and required[0] < facts.counting_from:
        return Check(
            name,
            FAIL,
            f"Không đủ {subject} {_years_text(required)}: thời gian trước khi hết kỷ luật "
            f"không được tính, các năm liên tục tính lại từ năm {facts.counting_from}.",
        )
    disproved = _disproved_years(criterion, required, sources, by_year)
    if disproved:
        detail = "; ".join(f"năm {y}: {RATING_NAMES.get(r, r)}" for y, r in disproved)
        return Check(name, FAIL, f"Không đạt {subject} {_years_text(required)} ({detail}).")
    missing = [y for y in required if y not in sources]
    return Check(name, UNKNOWN, _consecutive_unknown_message(subject, required, missing))


def _evidence_text(
    facts: NomineeFacts, codes: list[str], ratings: list[str], years: list[int]
) -> str:
    """ " Căn cứ: năm 2024: HTXS (QĐ 5/QĐ-UBND); …" — the records that proved each year."""
    parts = []
    for year in years:
        rating = next((r for r in facts.ratings if r.year == year and r.rating in ratings), None)
        award = next(
            (a for a in facts.awards
             if a.year == year and a.award_type_code in codes and a.kind in COUNTING_KINDS),
            None,
        )  # fmt: skip
        if rating is not None:
            parts.append(f"năm {year}: {rating.rating.upper()}" + _decision(rating.decision_no))
        elif award is not None:
            parts.append(f"năm {year}: {award_type_name(award.award_type_code)}"
                         + _decision(award.decision_no))  # fmt: skip
    return f" Căn cứ: {'; '.join(parts)}." if parts else ""


def _decision(number: str | None) -> str:
    return f" (QĐ {number})" if number else ""


def _consecutive_default_name(criterion: Criterion, codes: list[str], ratings: list[str]) -> str:
    subject = _abbr(codes[0]) if codes else "_".join(ratings) or "years"
    return f"consecutive_{subject}_{criterion.get('years', 1)}"


def _disproved_years(
    criterion: Criterion, required: list[int], sources: dict[int, str], by_year: dict[int, str]
) -> list[tuple[int, str]]:
    """Required years whose known rating rules the award out (e.g. `ht` where HTXS is needed)."""
    allowed = criterion.get("requires_rating") or criterion.get("ratings")
    if not allowed:
        return []
    return [
        (y, by_year[y])
        for y in required
        if y not in sources and y in by_year and by_year[y] not in allowed
    ]


def _consecutive_pass_message(subject: str, required: list[int], sources: dict[int, str]) -> str:
    declared = [y for y in required if sources[y] == "declared"]
    message = f"Đạt {subject} {_years_text(required)}"
    if declared:
        message += f" ({_years_text(declared)} theo kê khai, chưa đối chiếu quyết định)"
    return message + "."


def _consecutive_unknown_message(subject: str, required: list[int], missing: list[int]) -> str:
    found = [y for y in required if y not in missing]
    message = f"Chưa có dữ liệu {subject} {_years_text(missing)}"
    if found:
        message += f" (đã có {_years_text(found)})"
    return message + "."


@_rule("prior_award")
def _prior_award(criterion: Criterion, facts: NomineeFacts) -> Check:
    """An earlier regular award: đột xuất and chuyên đề awards are no basis for a higher one."""
    codes = _codes(criterion)
    earliest, latest = _award_window(criterion, facts.year)
    subject = " hoặc ".join(award_type_name(code) for code in codes)
    name = _name(criterion, f"prior_{_abbr(codes[0]) if codes else 'award'}")
    hits = [
        r
        for r in facts.awards
        if r.award_type_code in codes and (earliest or r.year) <= r.year <= latest
    ]
    counting = [r for r in hits if r.kind in COUNTING_KINDS]
    if not counting:
        excluded = (
            f" ({_years_text(r.year for r in hits)} là khen đột xuất/chuyên đề, không làm căn "
            "cứ khen thưởng cao hơn)" if hits else ""
        )  # fmt: skip
        return Check(
            name, UNKNOWN, f"Chưa có dữ liệu {subject} {_window_text(earliest, latest)}{excluded}."
        )
    best = max(counting, key=lambda r: (r.source == "history", r.year))
    source = " (theo kê khai)" if best.source == "declared" else _decision(best.decision_no)
    return Check(name, PASS, f"Đã được tặng {subject} năm {best.year}{source}.")


def _award_window(criterion: Criterion, year: int) -> tuple[int | None, int]:
    earliest_offset = criterion.get("earliest_year_offset")
    earliest = None if earliest_offset is None else year - earliest_offset
    return earliest, year - criterion.get("latest_year_offset", 1)


def _window_text(earliest: int | None, latest: int) -> str:
    if earliest is None:
        return f"từ năm {latest} trở về trước"
    if earliest == latest:
        return f"năm {latest}"
    return f"các năm {earliest}–{latest}"


@_rule("award_count")
def _award_count(criterion: Criterion, facts: NomineeFacts) -> Check:
    """At least `count` regular awards of the codes in the window (e.g. 3 times Chiến sĩ thi đua
    cơ sở within the last 5 years). A year whose rating is outside `requires_rating` cannot
    have held the title: when too few years remain possible, the check fails."""
    codes = _codes(criterion)
    needed = max(1, criterion.get("count", 1))
    earliest, latest = _award_window(criterion, facts.year)
    earliest = latest if earliest is None else earliest
    start = max(earliest, facts.counting_from or earliest)
    subject = " hoặc ".join(award_type_name(code) for code in codes)
    name = _name(criterion, f"count_{_abbr(codes[0]) if codes else 'award'}_{needed}")
    window = _window_text(earliest, latest)
    years = {
        r.year: r for r in facts.awards
        if r.award_type_code in codes and r.kind in COUNTING_KINDS and start <= r.year <= latest
    }  # fmt: skip
    if len(years) >= needed:
        used = sorted(years)[-needed:]
        proof = "; ".join(
            f"năm {y}" + (" (theo kê khai)" if years[y].source == "declared"
                          else _decision(years[y].decision_no))
            for y in used
        )  # fmt: skip
        return Check(name, PASS, f"Đã được tặng {needed} lần {subject} {window}: {proof}.")
    allowed = criterion.get("requires_rating")
    rated = {r.year: r.rating for r in facts.ratings}
    impossible = [
        y for y in range(start, latest + 1)
        if y not in years and allowed and y in rated and rated[y] not in allowed
    ]  # fmt: skip
    possible = (latest - start + 1) - len(impossible)
    if possible < needed:
        reason = "; ".join(f"năm {y}: {RATING_NAMES.get(rated[y], rated[y])}" for y in impossible)
        if start > earliest:
            reason = f"chỉ tính từ năm {start} sau khi hết kỷ luật" + (
                f"; {reason}" if reason else ""
            )
        return Check(name, FAIL, f"Không thể đủ {needed} lần {subject} {window} ({reason}).")
    return Check(
        name, UNKNOWN,
        f"Chưa có dữ liệu đủ {needed} lần {subject} {window} (đã có {len(years)}).",
    )  # fmt: skip


@_rule("initiative")
def _initiative(criterion: Criterion, facts: NomineeFacts) -> Check:
    """Enough initiatives of the scope in the window. One already used as the basis of
    another nomination's award (`used_by`) does not count again; when only such ones would
    have made the number, the check fails and names the nomination that used them."""
    min_scope = criterion.get("min_scope", "grassroots")
    needed = criterion.get("count", 1)
    within = criterion.get("within_years")
    earliest = facts.year - within if within else None
    matching = [
        i for i in facts.initiatives if _initiative_counts(i, min_scope, earliest, facts.year)
    ]
    free = [i for i in matching if not i.get("used_by")]
    used = [i for i in matching if i.get("used_by")]
    name = _name(criterion, f"initiative_{min_scope}" + (f"_{needed}" if needed > 1 else ""))
    subject = f"sáng kiến, đề tài phạm vi {SCOPE_NAMES.get(min_scope, min_scope)} trở lên"
    period = f" trong các năm {earliest}–{facts.year}" if earliest else ""
    if len(free) >= needed:
        chosen = free[:needed]
        cited = "; ".join(
            f"“{i.get('title')}” ({i.get('year')}{_decision(i.get('decision_no'))})"
            for i in chosen if i.get("title")
        )  # fmt: skip
        cited = f" Căn cứ: {cited}." if cited else ""
        ids = tuple(i["id"] for i in chosen if isinstance(i.get("id"), int))
        return Check(name, PASS, f"Có {len(free)} {subject}{period}.{cited}", initiative_ids=ids)
    taken = "; ".join(f"“{i.get('title')}” đã làm căn cứ cho {i['used_by']}" for i in used)
    if used and len(matching) >= needed:
        return Check(
            name, FAIL,
            f"Không đủ {needed} {subject}{period} chưa dùng làm căn cứ khen thưởng: {taken}; "
            "mỗi sáng kiến, đề tài chỉ làm căn cứ cho một lần khen thưởng.",
            held_elsewhere=tuple(i["id"] for i in used if isinstance(i.get("id"), int)),
        )  # fmt: skip
    return Check(
        name,
        UNKNOWN,
        f"Chưa có dữ liệu đủ {needed} {subject}{period} (đã có {len(free)})"
        + (f"; {taken}" if taken else "")
        + ".",
    )


def _initiative_counts(item: Mapping, min_scope: str, earliest: int | None, year: int) -> bool:
    if SCOPE_RANKS.get(item.get("scope"), 0) < SCOPE_RANKS.get(min_scope, 1):
        return False
    if earliest is None:
        return True
    return isinstance(item.get("year"), int) and earliest <= item["year"] <= year


@_rule("any_of")
def _any_of(criterion: Criterion, facts: NomineeFacts) -> Check:
    checks = _sub_checks(criterion, facts)
    name = _name(criterion, "any_of")
    passed = [c for c in checks if c.result == PASS]
    if passed:
        return Check(name, PASS, passed[0].message, initiative_ids=passed[0].initiative_ids)
    result = FAIL if checks and all(c.result == FAIL for c in checks) else UNKNOWN
    return Check(name, result, " Hoặc: ".join(c.message for c in checks),
                 held_elsewhere=_held(checks) if result == FAIL else ())  # fmt: skip


@_rule("all_of")
def _all_of(criterion: Criterion, facts: NomineeFacts) -> Check:
    checks = _sub_checks(criterion, facts)
    name = _name(criterion, "all_of")
    if not checks:
        return Check(name, UNKNOWN, "Không có tiêu chí con nào áp dụng.")
    for result in (FAIL, UNKNOWN):
        relevant = [c for c in checks if c.result == result]
        if relevant:
            return Check(name, result, " ".join(c.message for c in relevant),
                         held_elsewhere=_held(relevant))  # fmt: skip
    ids = tuple(dict.fromkeys(i for c in checks for i in c.initiative_ids))
    return Check(name, PASS, " ".join(c.message for c in checks), initiative_ids=ids)


def _held(checks: list[Check]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(i for c in checks for i in c.held_elsewhere))


def _sub_checks(criterion: Criterion, facts: NomineeFacts) -> list[Check]:
    options = criterion.get("options") or ()
    return [evaluate_criterion(o, facts) for o in options if _applies(o, facts)]
