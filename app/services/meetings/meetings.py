"""Council meetings (phiên họp Hội đồng TĐKT tỉnh): scheduling, attendance, opening on quorum
and closing with the count.

Every move of a meeting takes the meeting's row lock first, as ballots do, so the close and a
ballot never interleave.
"""

from datetime import date
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.clock import utcnow
from app.core.errors import Conflict, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, flush_or_conflict, paginate, touch
from app.core.principal import Principal
from app.core.statuses import MeetingStatus
from app.core.text import nfc
from app.core.working_days import VIETNAM_TZ
from app.models import (
    Absence,
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Meeting,
    MeetingVoter,
    Nomination,
    Round,
)
from app.schemas.common import RowWith
from app.schemas.meetings import (
    AbsenceEntry,
    AgendaEntry,
    MeetingCreate,
    MeetingFilter,
    MeetingRead,
    ReaderMeetingRead,
)
from app.services import audit, permissions, policies, rule_values, workflow
from app.services.meetings.access import get_meeting, meeting_scope
from app.services.meetings.tally import Quorum

AUDITED = ("title", "scheduled_at", "kind", "status", "council_id", "round_id")


def _with_children(stmt: Select) -> Select:
    return stmt.options(selectinload(Meeting.attendance), selectinload(Meeting.absences))


async def reload(session: AsyncSession, principal: Principal, meeting_id: int) -> Meeting:
    stmt = _with_children(
        meeting_scope(select(Meeting).where(Meeting.id == meeting_id), principal)
    ).execution_options(populate_existing=True)
    return (await session.scalars(stmt)).one()


async def get(session: AsyncSession, principal: Principal, meeting_id: int) -> Meeting:
    await get_meeting(session, principal, meeting_id)
    return await reload(session, principal, meeting_id)


MEETING_SORTING = sorting(
    Meeting, "-scheduled_at,-id", ["scheduled_at", "status", "kind", "council_id", "round_id"]
)


async def list_meetings(
    session: AsyncSession,
    principal: Principal,
    filters: MeetingFilter,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The meetings the caller may see, filtered; newest meeting first."""
    stmt = meeting_scope(_with_children(select(Meeting)), principal)
    for column, value in (
        (Meeting.council_id, filters.council_id),
        (Meeting.round_id, filters.round_id),
        (Meeting.status, filters.status),
        (Meeting.kind, filters.kind),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return await paginate(session, MEETING_SORTING.apply(stmt, listing), limit, offset)


async def active_members(session: AsyncSession, council_id: int) -> set[int]:
    rows = await session.scalars(
        select(CouncilMember.id).where(
            CouncilMember.council_id == council_id, CouncilMember.active.is_(True)
        )
    )
    return set(rows)


# ---- reads -----------------------------------------------------------------------------------


async def _agendas(session: AsyncSession, ids: list[int]) -> dict[int, list[AgendaEntry]]:
    rows = await session.execute(
        select(
            AgendaItem.meeting_id,
            AgendaItem.nomination_id,
            Nomination.award_type_code,
            Nomination.nominee_name,
            Nomination.dossier_id,
        )
        .join(Nomination, Nomination.id == AgendaItem.nomination_id)
        .where(AgendaItem.meeting_id.in_(ids))
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    )
    agendas: dict[int, list[AgendaEntry]] = {}
    for row in rows:
        agendas.setdefault(row.meeting_id, []).append(AgendaEntry.model_validate(row))
    return agendas


async def _member_counts(session: AsyncSession, council_ids: set[int]) -> dict[int, int]:
    rows = await session.execute(
        select(CouncilMember.council_id, func.count())
        .where(CouncilMember.council_id.in_(council_ids), CouncilMember.active.is_(True))
        .group_by(CouncilMember.council_id)
    )
    return {council_id: int(n) for council_id, n in rows}


def _read(
    m: Meeting, agenda: list[AgendaEntry], live_total: int, schema: type[MeetingRead]
) -> MeetingRead:
    attendance = sorted(a.member_id for a in m.attendance)
    opened = m.status != MeetingStatus.SCHEDULED
    # The counts are fixed when the meeting opens; until then, what opening now would count.
    return schema.model_validate(
        RowWith(
            m,
            agenda=agenda,
            attendance=attendance,
            absences=list(m.absences),
            members_total=m.members_total if opened else live_total,
            present=m.present if opened else len(attendance),
        )
    )


async def reads(
    session: AsyncSession, principal: Principal, meetings: list[Meeting]
) -> list[MeetingRead]:
    """Meetings (attendance loaded) as `principal` may read them: two queries whatever their
    number. A reader gets who was absent without why (`ReaderMeetingRead`)."""
    if not meetings:
        return []
    agendas = await _agendas(session, [m.id for m in meetings])
    totals = await _member_counts(session, {m.council_id for m in meetings})
    schema = MeetingRead if policies.sees_personal_data(principal) else ReaderMeetingRead
    return [_read(m, agendas.get(m.id, []), totals.get(m.council_id, 0), schema) for m in meetings]


async def read(session: AsyncSession, principal: Principal, meeting: Meeting) -> MeetingRead:
    return (await reads(session, principal, [meeting]))[0]


# ---- scheduling ------------------------------------------------------------------------------


async def _check_references(session: AsyncSession, body: MeetingCreate) -> None:
    if await session.get(Council, body.council_id) is None:
        raise Unprocessable(f"Không có Hội đồng mã số {body.council_id}.", code="unknown_reference")
    if body.round_id is not None and await session.get(Round, body.round_id) is None:
        raise Unprocessable(
            f"Không có đợt xét khen thưởng mã số {body.round_id}.", code="unknown_reference"
        )


async def schedule(session: AsyncSession, actor: Principal, body: MeetingCreate) -> Meeting:
    """Sở Nội vụ schedules a meeting of the council (lên lịch phiên họp)."""
    permissions.require(actor, "meeting.schedule")
    await _check_references(session, body)
    meeting = Meeting(
        council_id=body.council_id,
        round_id=body.round_id,
        title=nfc(body.title),
        scheduled_at=body.scheduled_at,
        kind=body.kind,
        status=MeetingStatus.SCHEDULED,
    )
    session.add(meeting)
    await session.flush()
    await audit.record(
        session, actor, "meeting.scheduled", "meeting", meeting.id,
        after=audit.snapshot(meeting, AUDITED),
    )  # fmt: skip
    await emit(session, "meeting.scheduled", meeting)
    return await reload(session, actor, meeting.id)


async def emit(session: AsyncSession, type_: str, meeting: Meeting) -> None:
    await audit.emit(
        session, type_, "meeting", meeting.id, {"status": meeting.status, **_event_data(meeting)},
        meeting_id=meeting.id,
    )  # fmt: skip


def _event_data(meeting: Meeting) -> dict[str, Any]:
    return {
        "council_id": meeting.council_id,
        "title": meeting.title,
        "scheduled_at": meeting.scheduled_at.isoformat(),
    }


def subject(meeting: Meeting) -> workflow.Subject:
    """A meeting's moves are audited on it and followed by whoever sees the meeting."""
    return workflow.Subject(
        "meeting", meeting, "meeting", meeting.id, meeting_id=meeting.id,
        data=_event_data(meeting),
    )  # fmt: skip


def require_status(meeting: Meeting, status: str, code: str, what: str) -> None:
    if meeting.status != status:
        raise Conflict(
            f"Phiên họp “{meeting.title}” {what}.", code=code, current_status=meeting.status
        )


async def set_attendance(
    session: AsyncSession,
    actor: Principal,
    meeting_id: int,
    member_ids: list[int],
    expected: int | None,
    absences: list[AbsenceEntry] | None = None,
) -> Meeting:
    """Điểm danh: the members present, active members of the meeting's council only, and the
    absent ones with their reasons (for the minutes)."""
    permissions.require(actor, "meeting.set_attendance")
    meeting = await get_meeting(session, actor, meeting_id, lock=True)
    check_version(meeting, expected)
    require_status(
        meeting,
        MeetingStatus.SCHEDULED,
        "meeting_not_scheduled",
        "đã khai mạc, không sửa điểm danh",
    )
    wanted = list(dict.fromkeys(member_ids))
    reasons = {a.member_id: nfc(a.reason).strip() for a in absences or []}
    _check_absences(wanted, absences or [], reasons)
    named = set(wanted) | set(reasons)
    if strangers := sorted(named - await active_members(session, meeting.council_id)):
        raise Unprocessable(
            f"Không phải thành viên đang hoạt động của Hội đồng: {strangers}.",
            code="not_council_members",
            member_ids=strangers,
        )
    meeting = await reload(session, actor, meeting_id)
    before = {
        "member_ids": [a.member_id for a in meeting.attendance],
        "absences": {str(a.member_id): a.reason for a in meeting.absences},
    }
    meeting.attendance = [Attendance(member_id=m) for m in wanted]
    meeting.absences = [Absence(member_id=m, reason=r) for m, r in sorted(reasons.items())]
    touch(meeting)
    await flush_or_conflict(session)
    after = {"member_ids": sorted(wanted), "absences": {str(m): r for m, r in reasons.items()}}
    await audit.record(
        session, actor, "meeting.attendance_set", "meeting", meeting.id, before=before, after=after
    )
    return meeting


def _check_absences(
    present: list[int], absences: list[AbsenceEntry], reasons: dict[int, str]
) -> None:
    """A member is either present or absent, once; a reason says something."""
    both = sorted(set(present) & set(reasons))
    if both:
        raise Unprocessable(
            f"Thành viên {both} vừa có mặt vừa vắng mặt; mỗi thành viên chỉ ở một danh sách.",
            code="attendance_conflict",
            member_ids=both,
        )
    if len(reasons) != len(absences):
        raise Unprocessable(
            "Mỗi thành viên vắng mặt chỉ ghi một lý do.", code="attendance_conflict"
        )
    if blank := sorted(m for m, r in reasons.items() if not r):
        raise Unprocessable(
            f"Ghi lý do vắng mặt của thành viên {blank} (ví dụ: đi công tác).",
            code="attendance_conflict",
            member_ids=blank,
        )


# ---- opening ---------------------------------------------------------------------------------


def meeting_date(meeting: Meeting) -> date:
    """The meeting's day in Việt Nam: the disclosure period counts to it, and its quorum and
    vote thresholds are the rule values in force on it."""
    return meeting.scheduled_at.astimezone(VIETNAM_TZ).date()


def required_quorum(meeting: Meeting, rules: rule_values.Rules) -> float:
    return rules.award_quorum_percent if meeting.kind == "award" else rules.quorum_percent


async def open_meeting(
    session: AsyncSession,
    actor: Principal,
    meeting_id: int,
    expected: int | None,
) -> Meeting:
    """Khai mạc: only when enough of the council's active members are present."""
    permissions.require(actor, "meeting.open")
    meeting = await get_meeting(session, actor, meeting_id, lock=True)
    check_version(meeting, expected)
    workflow.check_move("meeting", "open", meeting.status, obj=meeting)
    meeting = await reload(session, actor, meeting_id)
    if not await session.scalar(select(exists().where(AgendaItem.meeting_id == meeting.id))):
        raise Conflict(
            f"Phiên họp “{meeting.title}” chưa có đề nghị nào trong chương trình; lập chương "
            "trình trước khi khai mạc.",
            code="empty_agenda",
        )
    members = await active_members(session, meeting.council_id)
    present = sum(1 for a in meeting.attendance if a.member_id in members)
    required = required_quorum(meeting, await rule_values.get_rules(session, meeting_date(meeting)))
    quorum = Quorum(present, len(members), required)
    if not quorum.met:
        raise Conflict(
            f"Chưa đủ số thành viên dự họp: có mặt {present}/{len(members)} thành viên "
            f"({quorum.present_percent:g}%), cần ít nhất {quorum.required_percent:g}% "
            f"({quorum.required_present} thành viên).",
            code="quorum_not_met",
            present=present,
            members_total=len(members),
            present_percent=quorum.present_percent,
            required_percent=quorum.required_percent,
            required_present=quorum.required_present,
        )
    # The voter roll: who may vote, fixed now, as `members_total` is.
    session.add_all(MeetingVoter(meeting_id=meeting.id, member_id=m) for m in sorted(members))
    counted = {"members_total": len(members), "present": present}
    await workflow.transition(
        session, actor, subject(meeting), "open",
        changes={"opened_at": utcnow(), **counted}, after=counted, event_data=counted,
    )  # fmt: skip
    return meeting
