"""Dossiers, nominations and their history as the Read schemas answer them, for one caller:
readers get the redacted variants. Checks are read as stored (computed only for the
nominations whose inputs changed); vote results and decisions are read for a whole page at
once (two queries, whatever its size), and only for dossiers that Sở Nội vụ has received: a
nomination is voted on or decided only after it was appraised eligible, which needs its dossier
under appraisal. They are handed to the schemas beside the rows. A list shows dossiers as
summaries (`DossierSummary`), so that a page stays small.
"""

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.models import AuditEntry, Dossier, Nomination
from app.schemas.common import RowWith
from app.schemas.dossiers import (
    Appraisal,
    DossierRead,
    DossierSummary,
    HistoryEntry,
    NominationRead,
    ReaderDossierRead,
    ReaderHistoryEntry,
    ReaderNominationRead,
)
from app.services import policies
from app.services.decisions import outcomes
from app.services.dossiers import queries, reviews, rules
from app.services.dossiers.checks import (
    RESULTS,
    fresh,
    prior_awards_of,
    stored_checks,
    tally_counts,
)


async def _nominations_with_facts(
    session: AsyncSession,
    nominations: list[Nomination],
    years: dict[int, int],
    received: Collection[int],
) -> dict[int, RowWith]:
    """Nomination id → the row with its checks, appraisal, vote result and decision;
    `received` are the dossiers that may have vote results or decisions."""
    checks = await stored_checks(session, nominations, years)
    votes, decisions = await outcomes.of_dossiers(session, received)
    reviewed = {n.id: reviews.merged(checks[n.id], n.check_reviews) for n in nominations}
    return {
        n.id: RowWith(
            n,
            checks=reviewed[n.id],
            eligibility=reviews.eligibility(reviewed[n.id]),
            prior_awards=prior_awards_of(n),
            appraisal=Appraisal.model_validate(n) if n.appraisal_conclusion else None,
            vote_result=votes.get(n.id),
            decision=decisions.get(n.id),
        )
        for n in nominations
    }


async def dossier_reads(
    session: AsyncSession, principal: Principal, dossiers: list[Dossier]
) -> list[DossierRead]:
    """Dossiers (children loaded) as `principal` may read them."""
    nominations = [n for d in dossiers for n in d.nominations]
    received = {d.id for d in dossiers if d.received_at is not None}
    years = {d.id: d.year for d in dossiers}
    facts = await _nominations_with_facts(session, nominations, years, received)
    schema = DossierRead if policies.sees_personal_data(principal) else ReaderDossierRead
    return [
        schema.model_validate(RowWith(d, nominations=[facts[n.id] for n in d.nominations]))
        for d in dossiers
    ]


# The members of a listed dossier in the order `DossierSummary` writes them: each summary is
# filled into a copy, so that its JSON is the schema's, key for key.
_SUMMARY_MEMBERS = dict.fromkeys(DossierSummary.model_fields)


async def dossier_summaries(
    session: AsyncSession, dossiers: list[Row[Any]], *, with_nominations: bool = True
) -> list[dict[str, Any]]:
    """Dossiers (rows of `queries.SUMMARY_COLUMNS` and their `attachment_count`) as a list
    shows them: nominations as summaries with their check counts, papers as a number. The same
    for every role: nothing personal is in it. Plain values, named and ordered as
    `DossierSummary` writes them (check counts by their aliases `pass`, `fail`, `unknown`), so
    that the route writes them as JSON as they are: every value comes from a column the
    schema's types admit (tests hold the answer to the schema).
    `with_nominations=False` (a list cut by `fields=` without them) leaves them empty and
    reads neither them nor their checks."""
    by_dossier: dict[int, list[dict[str, Any]]] = {d.id: [] for d in dossiers}
    if with_nominations and by_dossier:
        rows = await queries.nomination_summaries(session, list(by_dossier))
        await _add_nominations(session, rows, by_dossier, dossiers)
    names = dossiers[0]._fields if dossiers else ()
    summaries = []
    for d in dossiers:
        summary = _SUMMARY_MEMBERS.copy()
        summary.update(zip(names, d, strict=True))
        summary["nominations"] = by_dossier[summary["id"]]
        summaries.append(summary)
    return summaries


async def _add_nominations(
    session: AsyncSession,
    rows: list[Row[Any]],
    by_dossier: dict[int, list[dict[str, Any]]],
    dossiers: list[Row[Any]],
) -> None:
    """Each nomination (a row of `queries.nomination_summaries`) as a summary in its dossier's
    list, with how its checks came out and its eligibility: from the stored tally, while it
    holds and no check was reviewed by hand; the others (an input changed since, or a review to
    merge) from their full rows, through `stored_checks` and `reviews.merged` (read by their
    dossiers: a page never binds one parameter per nominee). The rows are read by position:
    a page reads thousands of values."""
    today = rules.today().isoformat()
    shown = queries.NOMINATION_SUMMARY_SHOWN
    width = len(shown)
    full: dict[int, dict[int, dict[str, Any]]] = {}
    for row in rows:
        summary = dict(zip(shown, row, strict=False))  # the shown columns lead
        dossier_id, checks_tally, check_reviews = row[width:]
        reviewed = check_reviews is not None and check_reviews not in queries.NO_REVIEWS
        judged = None if reviewed else _judged(checks_tally, summary["status"], today)
        if judged is None:
            full.setdefault(dossier_id, {})[summary["id"]] = summary
        else:
            summary["checks"], summary["eligibility"] = judged
        by_dossier[dossier_id].append(summary)
    if not full:
        return
    loaded = [
        row
        for row in await session.scalars(select(Nomination).where(Nomination.dossier_id.in_(full)))
        if row.id in full[row.dossier_id]
    ]
    checks = await stored_checks(session, loaded, {d.id: d.year for d in dossiers})
    for row in loaded:
        reviewed_checks = reviews.merged(checks[row.id], row.check_reviews)
        summary = full[row.dossier_id][row.id]
        summary["checks"] = {
            r: sum(c["effective_result"] == r for c in reviewed_checks) for r in RESULTS
        }
        summary["eligibility"] = reviews.eligibility(reviewed_checks)


@lru_cache(maxsize=4096)
def _judged(
    checks_tally: str | None, status: str, today: str
) -> tuple[dict[str, int], reviews.Eligibility] | None:
    """The check counts and eligibility a stored tally gives a nomination in `status` on
    `today`, or None when they no longer hold (`tally_counts`). A page holds few distinct
    (tally, status) pairs: each is judged once per day and process; the counts are shared and
    must not be changed."""
    counts = tally_counts(checks_tally, status, today)
    return None if counts is None else (counts, _eligibility(counts))


def _eligibility(counts: dict[str, int]) -> reviews.Eligibility:
    """`reviews.eligibility` of checks with these counts (and no review)."""
    if counts["fail"]:
        return "ineligible"
    return "undetermined" if counts["unknown"] else "eligible"


async def dossier_read(
    session: AsyncSession, principal: Principal, dossier: Dossier
) -> DossierRead:
    """One dossier as `principal` may read it."""
    return (await dossier_reads(session, principal, [dossier]))[0]


async def dossier_view(session: AsyncSession, principal: Principal, dossier_id: int) -> DossierRead:
    """`GET /dossiers/{id}`: the dossier the caller may see, read as plain rows (see
    `queries.dossier_rows`) and validated once from plain values, as `dossier_read` answers it
    for a loaded entity. Nominations whose stored checks no longer hold are loaded as entities
    and their checks computed (`stored_checks`); the others need nothing more."""
    rows = await queries.dossier_rows(session, principal, dossier_id)
    # Read by position: the dossier's columns, each nomination's, then the papers.
    width = len(queries.DOSSIER_READ_COLUMNS)
    dossier = dict(zip(queries.DOSSIER_READ_COLUMNS, rows[0], strict=False))
    nominations = [
        _Nomination(zip(queries.NOMINATION_READ_COLUMNS, row[width:-1], strict=True))
        for row in rows
        if row[width] is not None
    ]
    today = rules.today().isoformat()
    stale = [n.id for n in nominations if not fresh(n, today)]
    if stale:
        loaded = list(await session.scalars(select(Nomination).where(Nomination.id.in_(stale))))
        await stored_checks(session, loaded, {dossier_id: dossier["year"]})
        computed = {n.id: n for n in loaded}
        nominations = [computed.get(n.id, n) for n in nominations]
    received = {dossier_id} if dossier["received_at"] is not None else set()
    votes, decisions = await outcomes.of_dossiers(session, received)
    dossier["nominations"] = [_nomination_values(n, votes, decisions) for n in nominations]
    dossier["attachments"] = _papers(rows[0][-1])
    schema = DossierRead if policies.sees_personal_data(principal) else ReaderDossierRead
    return schema.model_validate(dossier)


def _papers(papers: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The papers `queries.dossier_rows` reads as JSON, in order, each time in UTC as its
    column reads it (SQLite's text has no zone: it is UTC)."""
    return sorted(
        ({**p, "created_at": _utc(p["created_at"])} for p in papers or ()),
        key=itemgetter("id"),
    )


def _utc(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Nomination:
    """A nomination row's columns by name, as `stored_checks` and `prior_awards_of` read an
    entity's attributes."""

    __slots__ = queries.NOMINATION_READ_COLUMNS

    def __init__(self, values: Iterable[tuple[str, Any]]) -> None:
        for name, value in values:
            setattr(self, name, value)


def _nomination_values(n: Any, votes: dict[int, Any], decisions: dict[int, Any]) -> dict[str, Any]:
    """What `NominationRead` validates of nomination `n` (a row or an entity)."""
    checks = reviews.merged(n.criteria_checks["checks"], n.check_reviews)
    return {
        "id": n.id, "dossier_id": n.dossier_id, "nominee_kind": n.nominee_kind,
        "nominee_name": n.nominee_name, "nominee_unit_id": n.nominee_unit_id,
        "nominee_address": n.nominee_address,
        "collective_id": n.collective_id, "position": n.position, "birth_year": n.birth_year,
        "award_type_code": n.award_type_code, "achievement_summary": n.achievement_summary,
        "prior_awards": prior_awards_of(n), "status": n.status, "checks": checks,
        "eligibility": reviews.eligibility(checks),
        "appraisal": {
            "appraisal_conclusion": n.appraisal_conclusion, "appraisal_note": n.appraisal_note,
            "appraised_at": n.appraised_at, "appraised_by_name": n.appraised_by_name,
        } if n.appraisal_conclusion else None,
        "vote_result": votes.get(n.id), "decision": decisions.get(n.id), "version": n.version,
    }  # fmt: skip


async def nomination_read(
    session: AsyncSession, principal: Principal, nomination: Nomination, year: int
) -> NominationRead:
    """One nomination as `principal` may read it, judged in `year`."""
    facts = await _nominations_with_facts(
        session, [nomination], {nomination.dossier_id: year}, {nomination.dossier_id}
    )
    schema = NominationRead if policies.sees_personal_data(principal) else ReaderNominationRead
    return schema.model_validate(facts[nomination.id])


def history_reads(principal: Principal, entries: list[AuditEntry]) -> list[HistoryEntry]:
    """The dossier's audit entries; readers get who did what, not the recorded values."""
    schema = HistoryEntry if policies.sees_personal_data(principal) else ReaderHistoryEntry
    return [schema.model_validate(e) for e in entries]
