"""What the council and the decisions made of nominations, for the nomination reads: one
query each for a whole page of nominations."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Decision, DecisionItem, Meeting, MeetingResult, Nomination
from app.schemas.decisions import NominationDecision
from app.schemas.meetings import NominationVoteResult

Outcomes = tuple[dict[int, NominationVoteResult], dict[int, NominationDecision]]


async def of_dossiers(session: AsyncSession, dossier_ids: Collection[int]) -> Outcomes:
    """For the nominations of `dossier_ids`: nomination id → the result of its latest vote
    (without the nomination id), and nomination id → its latest decision.

    The nominations are named by their dossiers in a subquery: a page of large dossiers would
    otherwise bind more parameters than PostgreSQL takes."""
    if not dossier_ids:
        return {}, {}
    ids = select(Nomination.id).where(Nomination.dossier_id.in_(set(dossier_ids)))
    results = await session.scalars(
        select(MeetingResult)
        .join(Meeting, Meeting.id == MeetingResult.meeting_id)
        .where(MeetingResult.nomination_id.in_(ids))
        .order_by(Meeting.closed_at, Meeting.id)
    )
    signed = await session.execute(
        select(DecisionItem.nomination_id, Decision)
        .join(Decision, Decision.id == DecisionItem.decision_id)
        .where(DecisionItem.nomination_id.in_(ids))
        .order_by(Decision.signed_on, Decision.id)
    )
    votes = {r.nomination_id: NominationVoteResult.model_validate(r) for r in results}
    decisions = {n: NominationDecision.model_validate(d) for n, d in signed}
    return votes, decisions
