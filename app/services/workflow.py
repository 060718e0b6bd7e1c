"""The one transition table of rounds, dossiers and nominations, and the one function that moves.

Every status change goes through `transition`: it checks the move against `TRANSITIONS`, sets
the new status with its side fields, flushes (so a concurrent writer loses cleanly with 409),
and writes the audit entry and the domain event in the same transaction.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, InvalidTransition
from app.core.principal import Principal
from app.services import audit


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    targets: frozenset[str]
    event: str

    @property
    def target(self) -> str | None:
        """The target when the move has only one; otherwise the caller names it."""
        return next(iter(self.targets)) if len(self.targets) == 1 else None


def _move(sources: tuple[str, ...], targets: tuple[str, ...], event: str) -> Move:
    return Move(frozenset(sources), frozenset(targets), event)


# (entity, action) → allowed sources, targets, and the event the move emits. Meetings, ballots
# and decisions add their moves of nominations (`eligible → approved|rejected → ...`) here.
TRANSITIONS: dict[tuple[str, str], Move] = {
    ("round", "open"): _move(("draft",), ("open",), "round.opened"),
    ("round", "close"): _move(("open",), ("closed",), "round.closed"),
    ("round", "complete"): _move(("closed",), ("completed",), "round.completed"),
    ("dossier", "submit"): _move(("draft", "returned"), ("submitted",), "dossier.submitted"),
    ("dossier", "withdraw"): _move(
        ("draft", "submitted", "returned"), ("withdrawn",), "dossier.withdrawn"
    ),
    ("dossier", "return"): _move(
        ("submitted", "under_appraisal"), ("returned",), "dossier.returned"
    ),
    ("dossier", "receive"): _move(("submitted",), ("under_appraisal",), "dossier.received"),
    ("dossier", "complete-appraisal"): _move(
        ("under_appraisal",), ("appraised",), "dossier.appraised"
    ),
    ("nomination", "appraise"): _move(
        ("submitted", "eligible", "ineligible"), ("eligible", "ineligible"), "nomination.appraised"
    ),
}

STATUS_NAMES = {
    "draft": "dự thảo",
    "open": "đang nhận hồ sơ",
    "closed": "đã hết hạn nộp",
    "completed": "đã kết thúc",
    "submitted": "đã nộp",
    "returned": "đã trả lại để bổ sung",
    "under_appraisal": "đang thẩm định",
    "appraised": "đã thẩm định",
    "withdrawn": "đã rút",
    "eligible": "đủ điều kiện",
    "ineligible": "không đủ điều kiện",
}


@dataclass(frozen=True)
class Subject:
    """What moves, and where its audit entry and event belong."""

    entity: str
    obj: Any
    audit_type: str
    audit_id: int
    unit_id: int | None = None
    cluster_id: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


def check_move(entity: str, action: str, current: str, target: str | None = None) -> str:
    """The status `action` leads to from `current`, or 409 `invalid_transition`."""
    move = TRANSITIONS.get((entity, action))
    chosen = target or (move.target if move else None)
    if move is None or current not in move.sources or chosen not in move.targets:
        raise InvalidTransition(
            f"Không thể thực hiện “{action}” khi đang ở trạng thái "
            f"“{STATUS_NAMES.get(current, current)}”.",
            current_status=current,
        )
    return chosen


async def flush_or_conflict(session: AsyncSession) -> None:
    """Flush; a concurrent insert that got there first turns into 409, never a 500.

    A StaleDataError (a concurrent update) is left to the global handler: 412 when the request
    sent If-Match, 409 otherwise."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "Bản ghi vừa được người khác thay đổi cùng lúc; tải lại rồi thử lại.",
            code="concurrent_update",
        ) from exc


def _audited(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return audit.snapshot(obj, ("status", *fields))


async def transition(
    session: AsyncSession,
    actor: Principal,
    subject: Subject,
    action: str,
    *,
    target: str | None = None,
    changes: Mapping[str, Any] | None = None,
    comment: str | None = None,
) -> str:
    """Check and apply one move with its side fields; audit it and emit its event."""
    obj, changes = subject.obj, dict(changes or {})
    new_status = check_move(subject.entity, action, obj.status, target)
    before = _audited(obj, tuple(changes))
    obj.status = new_status
    for name, value in changes.items():
        setattr(obj, name, value)
    await flush_or_conflict(session)
    after = _audited(obj, tuple(changes))
    event = TRANSITIONS[(subject.entity, action)].event
    await audit.record(
        session, actor, event, subject.audit_type, subject.audit_id,
        before=before, after=after, comment=comment,
    )  # fmt: skip
    await audit.emit(
        session, event, subject.entity, obj.id,
        {"status": new_status, "previous_status": before["status"], **subject.data},
        unit_id=subject.unit_id, cluster_id=subject.cluster_id,
    )  # fmt: skip
    return new_status
