"""A nomination's moves after appraisal — the council's vote, decisions, the centre's answer,
an upheld complaint — audited on its dossier; the moves are rows of the one transition table
of `app.services.workflow`."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.orm import touch
from app.core.principal import Principal
from app.models import Dossier, Nomination
from app.services import workflow
from app.services.dossiers import checks
from app.services.nominees.criteria_inputs import CONCLUDED


def subject(nomination: Nomination, dossier: Dossier, **data: Any) -> workflow.Subject:
    """A nomination's move is audited on its dossier and followed by its unit and cluster."""
    unit_id = dossier.submitting_unit_id if dossier.owner_kind == "unit" else None
    return workflow.Subject(
        "nomination", nomination, "dossier", dossier.id, unit_id=unit_id,
        cluster_id=dossier.cluster_id,
        data={"dossier_id": dossier.id, "award_type_code": nomination.award_type_code, **data},
    )  # fmt: skip


def can_move(action: str, status: str) -> bool:
    """Whether a nomination at `status` may take `action`."""
    return workflow.can_move("nomination", action, status)


async def move(
    session: AsyncSession,
    actor: Principal,
    nomination: Nomination,
    dossier: Dossier,
    action: str,
    *,
    target: str | None = None,
    comment: str | None = None,
    **data: Any,
) -> str:
    """Move one nomination (audit entry and event included) and let its dossier's ETag move;
    a nomination concluded by the move keeps the checks it was concluded on."""
    touch(dossier)
    status = await workflow.transition(
        session, actor, subject(nomination, dossier, **data), action, target=target,
        comment=comment,
    )  # fmt: skip
    if status in CONCLUDED:
        await checks.freeze(session, nomination, dossier.year)
    return status
