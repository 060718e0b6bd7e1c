"""The moves of a nomination after appraisal — the council's vote, decisions, the centre's
answer, an upheld complaint — added to the one transition table of `app.services.workflow`.

    eligible ──approve──▶ approved ──award──▶ awarded
        │  └──reject──▶ rejected      └──submit-to-state──▶ submitted_to_state ──state-result──▶
        └──award / submit-to-state (award types decided without a vote)        awarded | rejected
    an upheld complaint: submitted, eligible, approved, submitted_to_state ──▶ rejected
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.orm import touch
from app.core.principal import Principal
from app.models import Dossier, Nomination
from app.services import workflow

_MOVES = {
    ("nomination", "approve"): workflow.Move(
        frozenset({"eligible"}), frozenset({"approved"}), "nomination.approved"
    ),
    ("nomination", "reject"): workflow.Move(
        frozenset({"eligible"}), frozenset({"rejected"}), "nomination.rejected"
    ),
    ("nomination", "award"): workflow.Move(
        frozenset({"approved", "eligible"}), frozenset({"awarded"}), "nomination.awarded"
    ),
    ("nomination", "submit-to-state"): workflow.Move(
        frozenset({"approved", "eligible"}),
        frozenset({"submitted_to_state"}),
        "nomination.submitted_to_state",
    ),
    ("nomination", "state-result"): workflow.Move(
        frozenset({"submitted_to_state"}),
        frozenset({"awarded", "rejected"}),
        "nomination.state_result",
    ),
    ("nomination", "uphold-complaint"): workflow.Move(
        frozenset({"submitted", "eligible", "approved", "submitted_to_state"}),
        frozenset({"rejected"}),
        "nomination.rejected",
    ),
}
_NAMES = {
    "approved": "được Hội đồng thông qua",
    "rejected": "không được khen thưởng",
    "awarded": "đã được khen thưởng",
    "submitted_to_state": "đã trình cấp Nhà nước",
}

for _key, _move in _MOVES.items():
    workflow.TRANSITIONS.setdefault(_key, _move)
for _status, _name in _NAMES.items():
    workflow.STATUS_NAMES.setdefault(_status, _name)


def subject(nomination: Nomination, dossier: Dossier, **data: Any) -> workflow.Subject:
    """A nomination's move is audited on its dossier and followed by its unit and cluster."""
    unit_id = dossier.submitting_unit_id if dossier.owner_kind == "unit" else None
    return workflow.Subject(
        "nomination", nomination, "dossier", dossier.id, unit_id=unit_id,
        cluster_id=dossier.cluster_id,
        data={"dossier_id": dossier.id, "award_type_code": nomination.award_type_code, **data},
    )  # fmt: skip


def can_move(action: str, status: str) -> bool:
    move = workflow.TRANSITIONS[("nomination", action)]
    return status in move.sources


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
    """Move one nomination (audit entry and event included) and let its dossier's ETag move."""
    touch(dossier)
    return await workflow.transition(
        session, actor, subject(nomination, dossier, **data), action, target=target,
        comment=comment,
    )  # fmt: skip
