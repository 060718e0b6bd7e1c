"""Bế mạc and kiểm phiếu: close a meeting, count each agenda item in SQL, store the results,
and move each nomination to approved or rejected against its award type's threshold — the rule
value `council_vote_threshold_percent.<award type>` in force on the meeting's day, whose legal
basis the result keeps."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import after_commit
from app.core.clock import utcnow
from app.core.errors import Conflict
from app.core.orm import PageResult, check_version, flush_or_conflict
from app.core.principal import Principal
from app.core.statuses import MeetingStatus
from app.models import AgendaItem, Dossier, Meeting, MeetingResult, Nomination
from app.services import permissions, rule_values, workflow
from app.services.dossiers import moves as nomination_moves
from app.services.meetings import scrub
from app.services.meetings.access import get_meeting
from app.services.meetings.meetings import meeting_date, reload, subject
from app.services.meetings.secrecy import BallotKeys
from app.services.meetings.tally import COUNT_FIELDS, ItemResult, count_choices, unseal_all

RESULT_FIELDS = ("nomination_id", *COUNT_FIELDS)


async def _items(
    session: AsyncSession, meeting: Meeting
) -> list[tuple[Nomination, Dossier, rule_values.InForce]]:
    rows = await session.execute(
        select(Nomination, Dossier)
        .join(AgendaItem, AgendaItem.nomination_id == Nomination.id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    )
    rules, day = await rule_values.load(session), meeting_date(meeting)
    return [(n, d, _threshold(n, rules.threshold(n.award_type_code, day))) for n, d in rows]


def _threshold(nomination: Nomination, found: rule_values.InForce | None) -> rule_values.InForce:
    if found is None:
        raise Conflict(
            f"{nomination.nominee_name}: danh hiệu chưa có tỷ lệ biểu quyết của Hội đồng; Sở Nội "
            f"vụ cần thêm số liệu quy định “"
            f"{rule_values.threshold_key(nomination.award_type_code)}” trước khi kiểm phiếu.",
            code="no_threshold",
        )
    return found


def _result(meeting: Meeting, nomination: Nomination, threshold: float, counts) -> ItemResult:
    mine = counts.get(nomination.id, {})
    return ItemResult(
        nomination_id=nomination.id,
        approve=mine.get("approve", 0),
        reject=mine.get("reject", 0),
        abstain=mine.get("abstain", 0),
        members_total=meeting.members_total or 0,
        present=meeting.present or 0,
        threshold_percent=float(threshold),
    )


async def close(
    session: AsyncSession,
    actor: Principal,
    keys: BallotKeys,
    meeting_id: int,
    expected: int | None,
) -> Meeting:
    """Close an open meeting: no ballot is taken after this; each item passes when approvals
    over the voter roll reach the threshold copied when the agenda was set."""
    permissions.require(actor, "meeting.close")
    meeting = await get_meeting(session, actor, meeting_id, lock=True)
    check_version(meeting, expected)
    # Closed first, so that no ballot counts after this; recorded once the count is known.
    step = workflow.apply(meeting, "meeting", "close", changes={"closed_at": utcnow()})
    await flush_or_conflict(session)
    await unseal_all(session, keys, meeting.id)
    after_commit.schedule(session, lambda: scrub.scrub_closed_ballots(session.bind))
    counts = await count_choices(session, meeting.id)
    passed = 0
    for nomination, dossier, threshold in await _items(session, meeting):
        result = _result(meeting, nomination, threshold.value, counts)
        session.add(
            MeetingResult(**_result_row(meeting.id, result), threshold_basis=threshold.legal_basis)
        )
        passed += result.passed
        action = "approve" if result.passed else "reject"
        # A nomination rejected meanwhile (an upheld complaint) keeps its status.
        if nomination_moves.can_move(action, nomination.status):
            await nomination_moves.move(
                session, actor, nomination, dossier, action,
                comment=f"Phiên họp “{meeting.title}”: {result.approve_percent:g}% "
                f"thành viên đồng ý, yêu cầu {result.threshold_percent:g}%.",
                meeting_id=meeting.id,
            )  # fmt: skip
    await flush_or_conflict(session)
    counted = {"passed": passed}
    await workflow.record(session, actor, subject(meeting), step, after=counted, event_data=counted)
    return await reload(session, actor, meeting.id)


def _result_row(meeting_id: int, result: ItemResult) -> dict[str, Any]:
    return {"meeting_id": meeting_id, **{f: getattr(result, f) for f in RESULT_FIELDS}}


async def results(session: AsyncSession, principal: Principal, meeting_id: int) -> PageResult:
    """The stored results, after the meeting closed (409 `meeting_not_closed` before)."""
    meeting = await get_meeting(session, principal, meeting_id)
    if meeting.status != MeetingStatus.CLOSED:
        raise Conflict(
            f"Phiên họp “{meeting.title}” chưa kết thúc; kết quả chỉ công bố sau khi kiểm phiếu.",
            code="meeting_not_closed",
            current_status=meeting.status,
        )
    rows = list(
        await session.scalars(
            select(MeetingResult)
            .join(
                AgendaItem,
                (AgendaItem.meeting_id == MeetingResult.meeting_id)
                & (AgendaItem.nomination_id == MeetingResult.nomination_id),
            )
            .where(MeetingResult.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
    )
    return PageResult(rows, len(rows), len(rows), 0)
