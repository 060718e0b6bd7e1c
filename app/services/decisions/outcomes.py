"""What the council and the decisions made of nominations, for the nomination read views:
one query each for a whole page of nominations."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Decision, DecisionItem, Meeting, MeetingResult

RESULT_FIELDS = (
    "meeting_id",
    "approve",
    "reject",
    "abstain",
    "members_total",
    "present",
    "approve_percent",
    "threshold_percent",
    "passed",
)


async def vote_results(session: AsyncSession, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Nomination id → the stored result of its latest vote."""
    rows = await session.scalars(
        select(MeetingResult)
        .join(Meeting, Meeting.id == MeetingResult.meeting_id)
        .where(MeetingResult.nomination_id.in_(set(ids)))
        .order_by(Meeting.closed_at, Meeting.id)
    )
    return {r.nomination_id: {f: getattr(r, f) for f in RESULT_FIELDS} for r in rows}


async def decisions(session: AsyncSession, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Nomination id → its latest decision (number, signed_on, kind)."""
    rows = await session.execute(
        select(DecisionItem.nomination_id, Decision)
        .join(Decision, Decision.id == DecisionItem.decision_id)
        .where(DecisionItem.nomination_id.in_(set(ids)))
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
    """Set `vote_result` and `decision` on nomination views (two queries for any number)."""
    ids = [v["id"] for v in nomination_views]
    if not ids:
        return
    results, signed = await vote_results(session, ids), await decisions(session, ids)
    for item in nomination_views:
        item["vote_result"] = results.get(item["id"])
        item["decision"] = signed.get(item["id"])
