"""The one transition table of every state machine, and the one function that moves.

Rounds, dossiers, nominations, meetings, complaints and tasks each have a `Machine` here:
their statuses (`app.core.statuses`), their moves, and how a move is recorded. Every status
change goes through `apply` (check the move against the table, set the status and its side
fields); `transition` adds the flush (so a concurrent writer loses cleanly with 409) and the
audit entry and domain event in the same transaction. A move whose record is part of a larger
entry — a dossier's nominations moving with it, a task moved by its update or by a progress
report — is applied here and recorded by its caller.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, InvalidTransition
from app.core.orm import flush_or_conflict
from app.core.principal import Principal
from app.core.statuses import (
    ClusterVoteStatus,
    ComplaintStatus,
    DeliveryStatus,
    DossierStatus,
    MeetingStatus,
    NominationStatus,
    RoundStatus,
    ScoreSheetStatus,
    ScoreTableStatus,
    Status,
    TaskStatus,
)
from app.services import audit


@dataclass(frozen=True)
class Refusal:
    """How a move the table does not allow is refused.

    `message` may name `{action}`, `{label}` (the current status's name) and `{obj}`;
    `with_status` adds `current_status` to the problem."""

    message: str
    error: type[Conflict] = InvalidTransition
    code: str | None = None
    with_status: bool = True

    def error_for(self, action: str, current: str, label: str, obj: Any) -> Conflict:
        """The error to raise for `action` refused at `current`."""
        detail = self.message.format(action=action, label=label, obj=obj)
        extra = {"current_status": current} if self.with_status else {}
        return self.error(detail, code=self.code, **extra)


REFUSED = Refusal("Không thể thực hiện “{action}” khi đang ở trạng thái “{label}”.")


@dataclass(frozen=True)
class Move:
    """Allowed sources and targets; `event` names the audit action and the event type, None
    when the caller records the move as part of its own entry."""

    sources: frozenset[str]
    targets: frozenset[str]
    event: str | None
    refusal: Refusal = REFUSED

    @property
    def target(self) -> str | None:
        """The target when the move has only one; otherwise the caller names it."""
        return next(iter(self.targets)) if len(self.targets) == 1 else None


def _move(
    sources: tuple[Status, ...] | type[Status],
    targets: tuple[Status, ...] | type[Status],
    event: str | None,
    refusal: Refusal = REFUSED,
) -> Move:
    return Move(frozenset(sources), frozenset(targets), event, refusal)


@dataclass(frozen=True)
class Machine:
    """One state machine: its statuses, its moves by action, and the shape of its record.

    `audited`: the fields the audit entry snapshots before and after; None means the status
    and the side fields the move changes. `previous_in_event`: the event carries
    `previous_status` next to `status`."""

    statuses: type[Status]
    moves: Mapping[str, Move]
    audited: tuple[str, ...] | None = None
    previous_in_event: bool = True

    def label(self, code: str) -> str:
        """The Vietnamese name of a status code; an unknown code as it is."""
        try:
            return self.statuses(code).label
        except ValueError:
            return code


R, D, N = RoundStatus, DossierStatus, NominationStatus
M, C, T = MeetingStatus, ComplaintStatus, TaskStatus
ST, SS = ScoreTableStatus, ScoreSheetStatus
_STARTED_TASK = (T.NOT_STARTED, T.IN_PROGRESS, T.DONE)

#     eligible ──approve──▶ approved ──award──▶ awarded
#         │  └──reject──▶ rejected      └──submit-to-state──▶ submitted_to_state ──state-result──▶
#         └──award / submit-to-state (award types decided without a vote)        awarded | rejected
#     an upheld complaint: submitted, eligible, approved, submitted_to_state ──▶ rejected
# and the moves a nomination makes with its dossier (submit, withdraw, return), recorded on it.
MACHINES: Mapping[str, Machine] = MappingProxyType(
    {
        "round": Machine(
            RoundStatus,
            {
                "open": _move((R.DRAFT,), (R.OPEN,), "round.opened"),
                "close": _move((R.OPEN,), (R.CLOSED,), "round.closed"),
                "complete": _move((R.CLOSED,), (R.COMPLETED,), "round.completed"),
            },
        ),
        "dossier": Machine(
            DossierStatus,
            {
                "submit": _move((D.DRAFT, D.RETURNED), (D.SUBMITTED,), "dossier.submitted"),
                "withdraw": _move(
                    (D.DRAFT, D.SUBMITTED, D.RETURNED), (D.WITHDRAWN,), "dossier.withdrawn"
                ),
                "return": _move(
                    (D.SUBMITTED, D.UNDER_APPRAISAL), (D.RETURNED,), "dossier.returned"
                ),
                "receive": _move((D.SUBMITTED,), (D.UNDER_APPRAISAL,), "dossier.received"),
                "complete-appraisal": _move(
                    (D.UNDER_APPRAISAL,), (D.APPRAISED,), "dossier.appraised"
                ),
            },
        ),
        "nomination": Machine(
            NominationStatus,
            {
                "submit": _move((N.DRAFT,), (N.SUBMITTED,), None),
                "withdraw": _move((N.DRAFT, N.SUBMITTED, N.REJECTED), (N.WITHDRAWN,), None),
                "return": _move(
                    (N.SUBMITTED, N.ELIGIBLE, N.INELIGIBLE, N.REJECTED), (N.DRAFT,), None
                ),
                "appraise": _move(
                    (N.SUBMITTED, N.ELIGIBLE, N.INELIGIBLE),
                    (N.ELIGIBLE, N.INELIGIBLE),
                    "nomination.appraised",
                ),
                "approve": _move((N.ELIGIBLE,), (N.APPROVED,), "nomination.approved"),
                "reject": _move((N.ELIGIBLE,), (N.REJECTED,), "nomination.rejected"),
                "award": _move((N.APPROVED, N.ELIGIBLE), (N.AWARDED,), "nomination.awarded"),
                "submit-to-state": _move(
                    (N.APPROVED, N.ELIGIBLE),
                    (N.SUBMITTED_TO_STATE,),
                    "nomination.submitted_to_state",
                ),
                "state-result": _move(
                    (N.SUBMITTED_TO_STATE,), (N.AWARDED, N.REJECTED), "nomination.state_result"
                ),
                "uphold-complaint": _move(
                    (N.SUBMITTED, N.ELIGIBLE, N.APPROVED, N.SUBMITTED_TO_STATE),
                    (N.REJECTED,),
                    "nomination.rejected",
                ),
            },
        ),
        "meeting": Machine(
            MeetingStatus,
            {
                "open": _move(
                    (M.SCHEDULED,),
                    (M.OPEN,),
                    "meeting.opened",
                    Refusal(
                        "Phiên họp “{obj.title}” không ở trạng thái chờ khai mạc.",
                        Conflict,
                        "invalid_transition",
                    ),
                ),
                "close": _move(
                    (M.OPEN,),
                    (M.CLOSED,),
                    "meeting.closed",
                    Refusal(
                        "Phiên họp “{obj.title}” không đang họp.", Conflict, "invalid_transition"
                    ),
                ),
            },
            audited=("status",),
            previous_in_event=False,
        ),
        "complaint": Machine(
            ComplaintStatus,
            {
                "resolve": _move(
                    (C.OPEN,),
                    (C.RESOLVED,),
                    "complaint.resolved",
                    Refusal(
                        "Đơn thư này đã được giải quyết.",
                        Conflict,
                        "invalid_transition",
                        with_status=False,
                    ),
                ),
            },
            audited=("status",),
            previous_in_event=False,
        ),
        "task": Machine(
            TaskStatus,
            {
                # Sở Nội vụ's correction (an update or its own report): any status to any.
                "correct": _move(TaskStatus, TaskStatus, None),
                # The lead unit's report: a cancelled task takes none, and only Sở Nội vụ
                # cancels (refused before, with its own code, by the report's rules).
                "report": _move(
                    _STARTED_TASK,
                    _STARTED_TASK,
                    None,
                    Refusal(
                        "Nhiệm vụ {obj.code} đã bị hủy; không nhận báo cáo tiến độ.",
                        InvalidTransition,
                        "task_cancelled",
                        with_status=False,
                    ),
                ),
            },
        ),
        # A cluster's scoring table: frozen once scoring starts; a new revision replaces it.
        "score_table": Machine(
            ScoreTableStatus,
            {
                "open": _move((ST.DRAFT,), (ST.SCORING,), "score_table.opened"),
                "publish": _move((ST.SCORING,), (ST.PUBLISHED,), "score_table.published"),
                "decide": _move((ST.PUBLISHED,), (ST.DECIDED,), "score_table.decided"),
                # The revision that opens in its place records it.
                "supersede": _move((ST.SCORING,), (ST.SUPERSEDED,), None),
            },
        ),
        "score_sheet": Machine(
            ScoreSheetStatus,
            {
                "submit": _move((SS.DRAFT,), (SS.SUBMITTED,), "score_sheet.submitted"),
                "verify": _move((SS.SUBMITTED,), (SS.VERIFIED,), "score_sheet.verified"),
            },
        ),
        # The cluster meeting's secret ballot: opened on quorum (created open), closed once.
        "cluster_vote": Machine(
            ClusterVoteStatus,
            {
                "close": _move(
                    (ClusterVoteStatus.OPEN,), (ClusterVoteStatus.CLOSED,), "cluster_vote.closed"
                ),
            },
        ),
        # A webhook delivery: the worker's bookkeeping, recorded in the delivery log itself
        # (no audit entry, no event: an event about a delivery would be delivered in turn).
        "webhook_delivery": Machine(
            DeliveryStatus,
            {
                "deliver": _move((DeliveryStatus.PENDING,), (DeliveryStatus.DELIVERED,), None),
                "fail": _move((DeliveryStatus.PENDING,), (DeliveryStatus.FAILED,), None),
            },
        ),
    }
)

# (entity, action) → move: the same table, read by pair.
TRANSITIONS: Mapping[tuple[str, str], Move] = MappingProxyType(
    {(entity, action): move for entity, m in MACHINES.items() for action, move in m.moves.items()}
)


@dataclass(frozen=True)
class Subject:
    """What moves, where its audit entry belongs, and who may read its event."""

    entity: str
    obj: Any
    audit_type: str
    audit_id: int
    unit_id: int | None = None
    cluster_id: int | None = None
    meeting_id: int | None = None
    restricted: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One applied move: where it came from and went, and the audited fields before it."""

    entity: str
    action: str
    previous: str
    status: str
    fields: tuple[str, ...]
    before: dict[str, Any]


def check_move(
    entity: str, action: str, current: str, target: str | None = None, *, obj: Any = None
) -> str:
    """The status `action` leads to from `current`, or the move's refusal (409)."""
    machine = MACHINES.get(entity)
    move = TRANSITIONS.get((entity, action))
    chosen = target or (move.target if move else None)
    if move is None or current not in move.sources or chosen not in move.targets:
        label = machine.label(current) if machine else current
        raise (move.refusal if move else REFUSED).error_for(action, current, label, obj)
    return str(chosen)


def can_move(entity: str, action: str, current: str) -> bool:
    """Whether `action` may start from `current`."""
    return current in TRANSITIONS[(entity, action)].sources


def apply(
    obj: Any,
    entity: str,
    action: str,
    *,
    target: str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Step:
    """Check one move and set the status with its side fields; nothing is flushed or recorded."""
    changes = dict(changes or {})
    if "status" in changes:
        raise ValueError("the status moves by its action, not as a side field")
    machine = MACHINES[entity]
    status = check_move(entity, action, obj.status, target, obj=obj)
    fields = machine.audited or ("status", *changes)
    previous, before = obj.status, audit.snapshot(obj, fields)
    obj.status = machine.statuses(status).value
    for name, value in changes.items():
        setattr(obj, name, value)
    return Step(entity, action, previous, obj.status, fields, before)


async def record(
    session: AsyncSession,
    actor: Principal,
    subject: Subject,
    step: Step,
    *,
    after: Mapping[str, Any] | None = None,
    event_data: Mapping[str, Any] | None = None,
    comment: str | None = None,
) -> None:
    """Write the audit entry and the event of an applied move; `after` and `event_data` add
    what the move's caller knows beyond the snapshot."""
    machine = MACHINES[step.entity]
    event = TRANSITIONS[(step.entity, step.action)].event
    if event is None:
        raise ValueError(f"{step.entity} {step.action} is recorded by its caller")
    await audit.record(
        session, actor, event, subject.audit_type, subject.audit_id, before=step.before,
        after={**audit.snapshot(subject.obj, step.fields), **(after or {})}, comment=comment,
    )  # fmt: skip
    moved = {"status": step.status}
    if machine.previous_in_event:
        moved["previous_status"] = step.previous
    await audit.emit(
        session, event, subject.entity, subject.obj.id,
        {**moved, **subject.data, **(event_data or {})},
        unit_id=subject.unit_id, cluster_id=subject.cluster_id, meeting_id=subject.meeting_id,
        restricted=subject.restricted,
    )  # fmt: skip


async def transition(
    session: AsyncSession,
    actor: Principal,
    subject: Subject,
    action: str,
    *,
    target: str | None = None,
    changes: Mapping[str, Any] | None = None,
    comment: str | None = None,
    after: Mapping[str, Any] | None = None,
    event_data: Mapping[str, Any] | None = None,
) -> str:
    """Check and apply one move with its side fields, flush, audit it and emit its event."""
    step = apply(subject.obj, subject.entity, action, target=target, changes=changes)
    await flush_or_conflict(session)
    await record(session, actor, subject, step, after=after, event_data=event_data, comment=comment)
    return step.status
