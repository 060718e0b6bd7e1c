"""Kiểm tra tiêu chuẩn for nominations: the award type's criteria (as Sở Nội vụ keeps them)
run on what the nominee declared and on the recorded award history.

Checks are stored on the nomination (`criteria_checks`, with the day they were computed for:
discipline runs by date) and forgotten when an input changes (services/nominees/
criteria_inputs.py), so a read costs nothing for them. Those not stored, or stored another day,
are computed for a whole page at once, in the same few queries whatever its size (the award
types, the history of every nominee on the page, their ratings, discipline records and
initiatives), and stored by a request that may write.

Beside the checks the stored value keeps how each declared prior award stands against the
history (`confirmed`, with the matching record, or `declared` only), and for a concluded
nomination the day its checks were frozen (`frozen_on`): they stay as they were concluded.
"""

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.core.db import READ_ONLY
from app.core.nominee_kinds import NomineeKind
from app.models import (
    AwardHistory,
    AwardType,
    Cluster,
    ClusterStanding,
    Collective,
    Nomination,
)
from app.services.award_types import award_types_by_code
from app.services.award_types.criteria import (
    AwardRecord,
    Check,
    ClusterPlace,
    NomineeFacts,
    evaluate,
)
from app.services.dossiers import rules
from app.services.nominees import facts
from app.services.nominees.criteria_inputs import CONCLUDED


def _history_matches(row: AwardHistory, nomination: Nomination) -> bool:
    """Individuals by folded name and unit; collectives by their row in the register, never by
    their unit alone (a hospital's awards are not its sở's)."""
    if row.nominee_kind != nomination.nominee_kind:
        return False
    if nomination.nominee_kind == NomineeKind.COLLECTIVE:
        return row.collective_id is not None and row.collective_id == nomination.collective_id
    return row.nominee_key == nomination.nominee_key and row.unit_id == nomination.nominee_unit_id


async def load_history(
    session: AsyncSession, nominations: Iterable[Nomination]
) -> list[AwardHistory]:
    """Every history row that may belong to one of `nominations`, in one query.

    The nominees are named by a subquery over their dossiers, not by a list of names: a page of
    large dossiers would otherwise bind more parameters than PostgreSQL takes (32,767).
    """
    dossier_ids = {n.dossier_id for n in nominations}
    if not dossier_ids:
        return []
    mine = Nomination.dossier_id.in_(dossier_ids)
    names = select(Nomination.nominee_key).where(mine)
    collectives = select(Nomination.collective_id).where(
        mine, Nomination.collective_id.is_not(None)
    )
    # Two indexed lookups joined by UNION, not an OR of the two subqueries: PostgreSQL cannot
    # use an index for `key IN (...) OR collective IN (...)` and scanned the whole history
    # (1 M rows at national scale). UNION, not UNION ALL: a row found both ways comes once.
    found = union(
        select(AwardHistory.id).where(AwardHistory.nominee_key.in_(names)),
        select(AwardHistory.id).where(AwardHistory.collective_id.in_(collectives)),
    ).subquery()
    stmt = select(AwardHistory).where(AwardHistory.id.in_(select(found.c.id)))
    return list(await session.scalars(stmt))


def facts_for(
    nomination: Nomination,
    year: int,
    history: Iterable[AwardHistory],
    known: facts.KnownFacts | None = None,
    today: date | None = None,
    places: dict[tuple[int | None, int], ClusterPlace] | None = None,
) -> NomineeFacts:
    """What the criteria see of a nominee: recorded history first, then declarations, and the
    ratings, initiatives and discipline recorded for it."""
    declared = [
        AwardRecord(
            str(p.get("award_type_code")), int(p.get("year") or 0), "declared",
            decision_no=p.get("decision_no"),
        )
        for p in nomination.prior_awards or []
    ]  # fmt: skip
    recorded = [
        AwardRecord(row.award_type_code, row.year, "history", row.kind, row.decision_no)
        for row in history
        if _history_matches(row, nomination)
    ]
    extra = facts.extras(nomination, known or facts.KnownFacts(), today or rules.today())
    return NomineeFacts(
        nominee_kind=nomination.nominee_kind,
        year=year,
        awards=(*recorded, *declared),
        ratings=extra.ratings,
        initiatives=extra.initiatives,
        under_discipline=extra.under_discipline if known is not None else None,
        discipline_reason=extra.discipline_reason,
        counting_from=extra.counting_from,
        cluster_place=(places or {}).get((nomination.collective_id, year)),
    )


def _criteria_of(row: AwardType | None, code: str) -> dict[str, Any]:
    if row is None:
        return {"code": code, "name": code, "recipient": "both", "criteria": []}
    return {
        "code": row.code,
        "name": row.name,
        "recipient": row.recipient,
        "accepts_households": row.accepts_households,
        "criteria": row.criteria,
    }


async def checks_for(
    session: AsyncSession, nominations: list[Nomination], years: dict[int, int]
) -> dict[int, list[Check]]:
    """Nomination id → its checks; `years` maps each dossier id to the year it is judged in."""
    return {k: v[0] for k, v in (await _evaluate(session, nominations, years)).items()}


async def _evaluate(
    session: AsyncSession, nominations: list[Nomination], years: dict[int, int]
) -> dict[int, tuple[list[Check], list[dict[str, Any]]]]:
    """Nomination id → (its checks, how its declared prior awards stand)."""
    if not nominations:
        return {}
    types = await award_types_by_code(session, {n.award_type_code for n in nominations})
    history = await load_history(session, nominations)
    known = await facts.load(session, nominations)
    today = rules.today()
    places = await _cluster_places(session, nominations) if _needs_places(types) else {}
    return {
        n.id: (
            evaluate(
                _criteria_of(types.get(n.award_type_code), n.award_type_code),
                facts_for(n, years[n.dossier_id], history, known, today, places),
            ),
            prior_award_standing(n, history),
        )
        for n in nominations
    }


def prior_award_standing(
    nomination: Nomination, history: Iterable[AwardHistory]
) -> list[dict[str, Any]]:
    """Each declared prior award, in order: `confirmed` with the id of the history record of
    the same nominee (a person by name and unit, a collective by its register row), award type
    and achievement year, or `declared` only."""
    mine = [row for row in history if _history_matches(row, nomination)]
    standing = []
    for declared in nomination.prior_awards or []:
        match = next(
            (
                row.id for row in sorted(mine, key=lambda r: r.id)
                if row.award_type_code == declared.get("award_type_code")
                and row.year == declared.get("year")
            ),
            None,
        )  # fmt: skip
        standing.append({"status": "confirmed" if match else "declared", "history_id": match})
    return standing


def _needs_places(types: dict[str, AwardType]) -> bool:
    return any("cluster_leader" in str(row.criteria or "") for row in types.values())


async def _cluster_places(
    session: AsyncSession, nominations: list[Nomination]
) -> dict[tuple[int | None, int], ClusterPlace]:
    """(collective, year) → the place the cluster's recorded result gives the unit that IS
    this collective (its own row in the register, not a collective under it), for the
    `cluster_leader` criterion: one query, only when an award type on the page has it."""
    ids = {n.collective_id for n in nominations if n.collective_id is not None}
    if not ids:
        return {}
    rows = await session.execute(
        select(ClusterStanding, Cluster.name, Collective.id)
        .join(Cluster, Cluster.id == ClusterStanding.cluster_id)
        .join(
            Collective,
            and_(Collective.unit_id == ClusterStanding.unit_id, Collective.name_key == ""),
        )
        .where(Collective.id.in_(ids))
    )
    return {
        (collective_id, s.year): ClusterPlace(
            name, s.year, s.rank, f"{s.total_centipoints / 100:.2f}", s.proposal == "co_thi_dua"
        )
        for s, name, collective_id in rows
    }


_STORE = (
    update(Nomination.__table__)
    .where(
        and_(
            Nomination.__table__.c.id == bindparam("nomination_id"),
            Nomination.__table__.c.checks_stamp == bindparam("stamp"),
        )
    )
    .values(criteria_checks=bindparam("checks"), checks_tally=bindparam("tally"))
)
RESULTS = ("pass", "fail", "unknown")


def tally(stored: dict[str, Any] | None) -> str | None:
    """The `checks_tally` of stored checks: their day, how many came out each way, and
    `frozen` when they were frozen at the nomination's conclusion."""
    if stored is None:
        return None
    results = [c["result"] for c in stored["checks"]]
    counts = (str(results.count(r)) for r in RESULTS)
    return " ".join([stored["on"], *counts, *(["frozen"] if stored.get("frozen_on") else [])])


@lru_cache(maxsize=4096)
def _parsed_tally(value: str) -> tuple[str, bool, dict[str, int]]:
    """A `checks_tally` as (its day, frozen or not, result → count). A page holds few distinct
    tallies (same day, same few outcomes), so each is parsed once per process; the counts are
    shared and must not be changed."""
    on, *counts = value.split(" ")
    frozen = len(counts) == len(RESULTS) + 1
    return on, frozen, dict(zip(RESULTS, map(int, counts[: len(RESULTS)]), strict=True))


def tally_counts(value: str | None, status: str, today: str) -> dict[str, int] | None:
    """Result → count, from the `checks_tally` of a nomination in `status`, when its checks
    still hold (`fresh`: computed today, or frozen at its conclusion); None otherwise. The
    mapping is shared between callers: read it, do not change it."""
    if value is None:
        return None
    on, frozen, counts = _parsed_tally(value)
    if on != today and not (frozen and status in CONCLUDED):
        return None
    return counts


def fresh(nomination: Nomination, today: str) -> bool:
    """Whether the stored checks of `nomination` (an entity or a row of its columns) hold
    today."""
    stored = nomination.criteria_checks
    if stored is None:
        return False
    if nomination.status in CONCLUDED and stored.get("frozen_on"):
        return True
    return stored.get("on") == today


_CHECK_FIELDS = tuple(f.name for f in fields(Check))


def _stored_value(nomination: Nomination, computed: tuple, today: str) -> dict[str, Any]:
    checks, prior = computed
    # What `dataclasses.asdict` gives for these flat fields (strings, ints and tuples of ints),
    # without its deep copy: it was a third of the time of storing a day's checks.
    stored = [{name: getattr(c, name) for name in _CHECK_FIELDS} for c in checks]
    value = {"on": today, "checks": stored, "prior_awards": prior}
    if nomination.status in CONCLUDED:
        value["frozen_on"] = today
    return value


async def stored_checks(
    session: AsyncSession, nominations: list[Nomination], years: dict[int, int]
) -> dict[int, list[dict[str, Any]]]:
    """Nomination id → its checks: as stored today (or frozen at its conclusion), or computed
    now for the others (and then stored, when the session may write and no input has changed
    meanwhile: the row's `checks_stamp` must still be the one they were computed from)."""
    today = rules.today().isoformat()
    missing = [n for n in nominations if not fresh(n, today)]
    if missing:
        computed = await _evaluate(session, missing, years)
        for n in missing:
            value = _stored_value(n, computed[n.id], today)
            set_committed_value(n, "criteria_checks", value)
            set_committed_value(n, "checks_tally", tally(value))
        if not session.info.get(READ_ONLY):
            await session.execute(
                _STORE,
                [
                    {
                        "nomination_id": n.id,
                        "stamp": n.checks_stamp,
                        "checks": n.criteria_checks,
                        "tally": n.checks_tally,
                    }
                    for n in missing
                ],
            )
    return {n.id: n.criteria_checks["checks"] for n in nominations}


def prior_awards_of(nomination: Nomination) -> list[dict[str, Any]]:
    """The declared prior awards with their standing against the history (after
    `stored_checks`): each gains `status` and `history_id`."""
    standing = (nomination.criteria_checks or {}).get("prior_awards") or []
    declared = nomination.prior_awards or []
    unknown = {"status": "declared", "history_id": None}
    return [
        {**p, **(standing[i] if i < len(standing) else unknown)} for i, p in enumerate(declared)
    ]


async def freeze(session: AsyncSession, nomination: Nomination, year: int) -> None:
    """A nomination just concluded keeps the checks it was concluded on: computed now unless
    stored today, and marked frozen (no input change forgets them afterwards)."""
    today = rules.today().isoformat()
    stored = nomination.criteria_checks
    if stored is not None and stored.get("on") == today:
        value = {**stored, "frozen_on": stored.get("frozen_on") or today}
    else:
        computed = await _evaluate(session, [nomination], {nomination.dossier_id: year})
        value = _stored_value(nomination, computed[nomination.id], today)
    value["frozen_on"] = value.get("frozen_on") or today
    set_committed_value(nomination, "criteria_checks", value)
    set_committed_value(nomination, "checks_tally", tally(value))
    await session.execute(
        update(Nomination.__table__)
        .where(Nomination.__table__.c.id == nomination.id)
        .values(criteria_checks=value, checks_tally=nomination.checks_tally)
    )
