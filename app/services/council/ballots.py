"""Bỏ phiếu kín: one secret ballot per member per open meeting.

What is written, and what is not:
- `ballot_participations` (meeting, member, present|written): that the member voted;
- `ballot_choices` (random id, meeting, nomination, choice, random ballot_ref): how, by nobody;
- `ballot_receipts` (HMAC of meeting:member → the ballot_ref sealed with AES-GCM): the member's
  way back to their own choices, opaque without the application's secret;
- one audit entry, "a ballot was cast in meeting M", with no actor, no request id;
- no event, no log line with the body, no timestamp on any of the three tables.
"""

import uuid
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.models import (
    AgendaItem,
    Attendance,
    AuditEntry,
    BallotChoice,
    BallotParticipation,
    BallotReceipt,
    CouncilMember,
    Meeting,
)
from app.services.council.access import get_meeting
from app.services.council.secrecy import BallotKeys
from app.services.principal import Principal


async def _voter(session: AsyncSession, actor: Principal, meeting: Meeting) -> CouncilMember:
    member = await session.get(CouncilMember, actor.council_member_id or 0)
    if member is None or member.council_id != meeting.council_id or not member.active:
        raise Forbidden(
            "Chỉ thành viên đang hoạt động của Hội đồng mới được bỏ phiếu.",
            code="not_a_voting_member",
        )
    return member


async def _agenda(session: AsyncSession, meeting_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(AgendaItem.nomination_id)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        )
    )


def _check_votes(agenda: list[int], votes: list[dict[str, Any]]) -> None:
    """Every agenda item voted exactly once, nothing else."""
    given = [v["nomination_id"] for v in votes]
    missing = [n for n in agenda if n not in given]
    extra = sorted({n for n in given if n not in agenda})
    repeated = sorted({n for n in given if given.count(n) > 1})
    if missing or extra or repeated:
        raise Unprocessable(
            "Phiếu phải biểu quyết mỗi đề nghị trong chương trình đúng một lần"
            + (f"; còn thiếu {missing}" if missing else "")
            + (f"; không có trong chương trình {extra}" if extra else "")
            + (f"; lặp lại {repeated}" if repeated else "")
            + ".",
            code="ballot_incomplete",
            missing=missing,
            not_on_agenda=extra,
            repeated=repeated,
        )


def _already_voted() -> Conflict:
    return Conflict(
        "Thành viên đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ bỏ một phiếu.",
        code="already_voted",
    )


async def _participate(session: AsyncSession, meeting: Meeting, member_id: int) -> str:
    voted = await session.scalar(
        select(
            exists().where(
                BallotParticipation.meeting_id == meeting.id,
                BallotParticipation.member_id == member_id,
            )
        )
    )
    if voted:
        raise _already_voted()
    present = await session.scalar(
        select(
            exists().where(Attendance.meeting_id == meeting.id, Attendance.member_id == member_id)
        )
    )
    cast_as = "present" if present else "written"
    session.add(BallotParticipation(meeting_id=meeting.id, member_id=member_id, cast_as=cast_as))
    try:
        await session.flush()
    except IntegrityError as exc:
        # Another request of the same member got in first (without the meeting lock, e.g.
        # under a database that does not take it): the primary key decides.
        raise _already_voted() from exc
    return cast_as


def _record_anonymous(session: AsyncSession, meeting: Meeting) -> None:
    """The audit trail says a ballot was cast, and nothing that names or times the voter
    beyond the entry's own time: no actor, no request id (which would lead to the log)."""
    session.add(
        AuditEntry(
            actor_id=None,
            actor_role=None,
            actor_name=None,
            action="meeting.ballot_cast",
            entity_type="meeting",
            entity_id=meeting.id,
            comment="Một phiếu biểu quyết đã được bỏ.",
            request_id=None,
        )
    )


async def cast(
    session: AsyncSession,
    actor: Principal,
    keys: BallotKeys,
    meeting_id: int,
    votes: list[dict[str, Any]],
) -> dict[str, Any]:
    """Cast the caller's ballot: as present when on the attendance list, else as a written
    ballot (phiếu gửi). 409 `already_voted` on a second one, `meeting_not_open` outside."""
    meeting = await get_meeting(session, actor, meeting_id, lock=True)
    if meeting.status != "open":
        raise Conflict(
            f"Phiên họp “{meeting.title}” không trong thời gian biểu quyết.",
            code="meeting_not_open",
            current_status=meeting.status,
        )
    member = await _voter(session, actor, meeting)
    _check_votes(await _agenda(session, meeting.id), votes)
    cast_as = await _participate(session, meeting, member.id)
    ballot_ref = str(uuid.uuid4())
    session.add_all(
        BallotChoice(
            id=str(uuid.uuid4()),
            meeting_id=meeting.id,
            nomination_id=v["nomination_id"],
            choice=v["choice"],
            ballot_ref=ballot_ref,
        )
        for v in votes
    )
    receipt = keys.receipt(meeting.id, member.id)
    session.add(BallotReceipt(receipt_key=receipt, sealed_ref=keys.seal(receipt, ballot_ref)))
    _record_anonymous(session, meeting)
    await session.flush()
    return {"meeting_id": meeting.id, "cast_as": cast_as, "votes": _ordered(votes)}


def _ordered(votes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"nomination_id": v["nomination_id"], "choice": v["choice"]} for v in votes]


async def mine(
    session: AsyncSession, actor: Principal, keys: BallotKeys, meeting_id: int
) -> dict[str, Any]:
    """The caller's own ballot, read back through their receipt."""
    meeting = await get_meeting(session, actor, meeting_id)
    member_id = actor.council_member_id or 0
    cast_as = await session.scalar(
        select(BallotParticipation.cast_as).where(
            BallotParticipation.meeting_id == meeting.id,
            BallotParticipation.member_id == member_id,
        )
    )
    if cast_as is None:
        raise NotFound("Bạn chưa bỏ phiếu trong phiên họp này.", code="no_ballot")
    receipt = keys.receipt(meeting.id, member_id)
    sealed = await session.scalar(
        select(BallotReceipt.sealed_ref).where(BallotReceipt.receipt_key == receipt)
    )
    ballot_ref = keys.unseal(receipt, sealed) if sealed else None
    if ballot_ref is None:
        raise Conflict(
            "Không đọc lại được phiếu: khoá bí mật của hệ thống đã thay đổi. Phiếu vẫn được "
            "tính khi kiểm phiếu.",
            code="ballot_unreadable",
        )
    rows = await session.execute(
        select(BallotChoice.nomination_id, BallotChoice.choice)
        .join(
            AgendaItem,
            (AgendaItem.meeting_id == BallotChoice.meeting_id)
            & (AgendaItem.nomination_id == BallotChoice.nomination_id),
        )
        .where(BallotChoice.meeting_id == meeting.id, BallotChoice.ballot_ref == ballot_ref)
        .order_by(AgendaItem.position)
    )
    votes = [{"nomination_id": n, "choice": c} for n, c in rows]
    return {"meeting_id": meeting.id, "cast_as": cast_as, "votes": votes}
