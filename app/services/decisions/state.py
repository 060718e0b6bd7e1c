"""Kết quả xét khen thưởng cấp Nhà nước: what the centre decided on a submitted nomination."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import nfc
from app.models import StateResult
from app.services import permissions, workflow
from app.services.award_history.records import from_nomination
from app.services.decisions import guards
from app.services.dossiers import moves as nomination_moves


async def record_result(
    session: AsyncSession, actor: Principal, nomination_id: int, data: dict[str, Any]
) -> StateResult:
    """`awarded` enters the award history; `rejected` ends the nomination."""
    permissions.require(actor, "state_result.record")
    nomination, dossier, _ = await guards.load_one(session, actor, nomination_id)
    workflow.check_move("nomination", "state-result", nomination.status, data["outcome"])
    await guards.refuse_open_complaints(session, [nomination])
    decision_no = nfc(data["decision_no"]) if data.get("decision_no") else None
    result = StateResult(
        nomination_id=nomination.id,
        outcome=data["outcome"],
        decision_no=decision_no,
        decided_on=data.get("decided_on"),
        created_by_id=actor.user_id,
    )
    session.add(result)
    when = f" ngày {result.decided_on:%d/%m/%Y}" if result.decided_on else ""
    await nomination_moves.move(
        session, actor, nomination, dossier, "state-result", target=data["outcome"],
        comment=f"Kết quả cấp Nhà nước: {data['outcome']}"
        + (f", quyết định số {decision_no}{when}" if decision_no else "") + ".",
        outcome=data["outcome"], decision_no=decision_no,
    )  # fmt: skip
    if data["outcome"] == NominationStatus.AWARDED:
        session.add(
            from_nomination(
                nomination, dossier, decision_no=decision_no, decided_on=result.decided_on,
                source="state_decision",
            )
        )  # fmt: skip
    await session.flush()
    return result


def view(result: StateResult, status: str) -> dict[str, Any]:
    return {
        "nomination_id": result.nomination_id,
        "outcome": result.outcome,
        "decision_no": result.decision_no,
        "decided_on": result.decided_on,
        "status": status,
    }
