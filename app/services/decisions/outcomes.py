"""What the council and the decisions made of nominations, for the nomination read views:
one query each for a whole page of nominations."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Decision, DecisionItem, Meeting, MeetingResult, Nomination
from app.services.meetings.tally import COUNT_FIELDS

RESULT_FIELDS = ("meeting_id", *COUNT_FIELDS)


def _in(ids: Iterable[int] | Select) -> Any:
    return ids if isinstance(ids, Select) else set(ids)


async def vote_results(
    session: AsyncSession, ids: Iterable[int] | Select
) -> dict[int, dict[str, Any]]:
    """Nomination id → the stored result of its latest vote."""
    rows = await session.scalars(
        select(MeetingResult)
        .join(Meeting, Meeting.id == MeetingResult.meeting_id)
        .where(MeetingResult.nomination_id.in_(_in(ids)))
        .order_by(Meeting.closed_at, Meeting.id)
    )
    return {r.nomination_id: {f: getattr(r, f) for f in RESULT_FIELDS} for r in rows}


async def decisions(
    session: AsyncSession, ids: Iterable[int] | Select
) -> dict[int, dict[str, Any]]:
    """Nomination id → its latest decision (number, signed_on, kind)."""
    rows = await session.execute(
        select(DecisionItem.nomination_id, Decision)
        .join(Decision, Decision.id == DecisionItem.decision_id)
        .where(DecisionItem.nomination_id.in_(_in(ids)))
        .order_by(Decision.signed_on, Decision.id)
    )
    return {
        nomination_id: {
            "id": d.id,
            "number": d.number,
            "signed_on": d.signed_on,
            "signed_by": d.signed_by,
            "kind": d.kind,
        }
        for nomination_id, d in rows
    }


async def fill(session: AsyncSession, nomination_views: list[dict[str, Any]]) -> None:
    """Set `vote_result` and `decision` on nomination views (two queries for any number).

    The nominations are named by their dossiers in a subquery: a page of large dossiers would
    otherwise bind more parameters than PostgreSQL takes."""
    dossier_ids = {v["dossier_id"] for v in nomination_views}
    if not dossier_ids:
        return
    ids = select(Nomination.id).where(Nomination.dossier_id.in_(dossier_ids))
    results, signed = await vote_results(session, ids), await decisions(session, ids)
    for item in nomination_views:
        item["vote_result"] = results.get(item["id"])
        item["decision"] = signed.get(item["id"])
