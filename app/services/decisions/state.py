"""Kết quả xét khen thưởng cấp Nhà nước: what the centre decided on a submitted nomination."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import nfc
from app.models import StateResult
from app.schemas.decisions import StateResultCreate
from app.services import permissions, workflow
from app.services.award_history.records import from_nomination
from app.services.decisions import guards
from app.services.dossiers import moves as nomination_moves


async def record_result(
    session: AsyncSession, actor: Principal, nomination_id: int, body: StateResultCreate
) -> StateResult:
    """`awarded` enters the award history; `rejected` ends the nomination."""
    permissions.require(actor, "state_result.record")
    nomination, dossier, _ = await guards.load_one(session, actor, nomination_id)
    workflow.check_move("nomination", "state-result", nomination.status, body.outcome)
    await guards.refuse_open_complaints(session, [nomination])
    decision_no = nfc(body.decision_no) if body.decision_no else None
    result = StateResult(
        nomination_id=nomination.id,
        outcome=body.outcome,
        decision_no=decision_no,
        decided_on=body.decided_on,
        created_by_id=actor.user_id,
    )
    session.add(result)
    when = f" ngày {result.decided_on:%d/%m/%Y}" if result.decided_on else ""
    await nomination_moves.move(
        session, actor, nomination, dossier, "state-result", target=body.outcome,
        comment=f"Kết quả cấp Nhà nước: {body.outcome}"
        + (f", quyết định số {decision_no}{when}" if decision_no else "") + ".",
        outcome=body.outcome, decision_no=decision_no,
    )  # fmt: skip
    if body.outcome == NominationStatus.AWARDED:
        session.add(
            from_nomination(
                nomination, dossier, decision_no=decision_no, decided_on=result.decided_on,
                source="state_decision",
            )
        )  # fmt: skip
    await session.flush()
    return result
