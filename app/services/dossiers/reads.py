"""Dossiers, nominations and their history as the Read schemas answer them, for one caller:
readers get the redacted variants. Checks are read as stored (computed only for the
nominations whose inputs changed); vote results and decisions are read for a whole page at
once (two queries, whatever its size), and only for dossiers that Sở Nội vụ has received: a
nomination is voted on or decided only after it was appraised eligible, which needs its dossier
under appraisal. They are handed to the schemas beside the rows. A list shows dossiers as
summaries (`DossierSummary`), so that a page stays small.
"""

from collections import Counter
from collections.abc import Collection
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.models import AuditEntry, Dossier, Nomination
from app.schemas.common import RowWith
from app.schemas.dossiers import (
    Appraisal,
    CheckCounts,
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
from app.services.dossiers import queries, reviews
from app.services.dossiers.checks import prior_awards_of, stored_checks


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


async def dossier_summaries(
    session: AsyncSession, dossiers: list[Dossier], *, with_nominations: bool = True
) -> list[DossierSummary]:
    """Dossiers (nominations loaded) as a list shows them: nominations as summaries with their
    check counts, papers as a number. The same for every role: nothing personal is in it.
    `with_nominations=False` (a list cut by `fields=` without them) leaves them empty and
    reads no checks."""
    nominations = [n for d in dossiers for n in d.nominations] if with_nominations else []
    checks = await stored_checks(session, nominations, {d.id: d.year for d in dossiers})
    papers = await queries.attachment_counts(session, [d.id for d in dossiers])
    return [
        DossierSummary.model_validate(
            RowWith(
                d,
                nominations=[_summary(n, checks[n.id]) for n in d.nominations]
                if with_nominations
                else [],
                attachment_count=papers.get(d.id, 0),
            )
        )
        for d in dossiers
    ]


def _summary(nomination: Nomination, checks: list[dict[str, Any]]) -> RowWith:
    reviewed = reviews.merged(checks, nomination.check_reviews)
    return RowWith(nomination, checks=_counted(reviewed), eligibility=reviews.eligibility(reviewed))


def _counted(checks: list[dict[str, Any]]) -> CheckCounts:
    results = Counter(c["effective_result"] for c in checks)
    return CheckCounts.model_validate({r: results[r] for r in ("pass", "fail", "unknown")})


async def dossier_read(
    session: AsyncSession, principal: Principal, dossier: Dossier
) -> DossierRead:
    """One dossier as `principal` may read it."""
    return (await dossier_reads(session, principal, [dossier]))[0]


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
