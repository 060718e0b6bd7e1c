"""Bỏ phiếu kín: one secret ballot per member on the meeting's voter roll.

What is written when a ballot is cast, and what is not:
- `ballot_participations` (meeting, member, present|written): that the member voted;
- `sealed_ballots` (random id, meeting, ciphertext): the choices, encrypted under the ballot
  key — no plaintext choice exists while the meeting is open; the close opens, shuffles and
  writes them all in one transaction (see closing.py);
- `ballot_receipts` (HMAC of a random one-time receipt → the choices sealed under a key
  derived from that receipt): the voter's way back, which needs the receipt they alone hold;
- one audit entry, "a ballot was cast in meeting M", with no actor, no request id;
- no event, no log line with the body, no timestamp on any of these tables.
"""

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable
from app.core.orm import flush_or_conflict
from app.core.principal import Principal
from app.core.statuses import MeetingStatus
from app.models import (
    AgendaItem,
    Attendance,
    AuditEntry,
    BallotParticipation,
    BallotReceipt,
    Meeting,
    MeetingVoter,
    SealedBallot,
)
from app.schemas.meetings import BallotCast, BallotCreate, BallotRead, Vote
from app.services import permissions
from app.services.meetings.access import get_meeting
from app.services.meetings.secrecy import BallotKeys, new_receipt, open_readback, seal_readback


async def _voter(session: AsyncSession, actor: Principal, meeting: Meeting) -> int:
    """The caller's member id, when on the roll fixed at the opening (a member added or
    reactivated later does not vote, since `members_total` did not count them)."""
    member_id = actor.council_member_id or 0
    on_roll = await session.get(MeetingVoter, (meeting.id, member_id))
    if on_roll is None:
        raise Forbidden(
            "Chỉ thành viên có trong danh sách biểu quyết lúc khai mạc mới được bỏ phiếu.",
            code="not_a_voting_member",
        )
    return member_id


async def _agenda(session: AsyncSession, meeting_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(AgendaItem.nomination_id)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        )
    )


def _check_votes(agenda: list[int], votes: list[Vote]) -> None:
    """Every agenda item voted exactly once, nothing else."""
    given = [v.nomination_id for v in votes]
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


ALREADY_VOTED = "Thành viên đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ bỏ một phiếu."


def _already_voted() -> Conflict:
    return Conflict(ALREADY_VOTED, code="already_voted")


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
    # Another request of the same member got in first (without the meeting lock, e.g. under
    # a database that does not take it): the primary key decides.
    await flush_or_conflict(session, ALREADY_VOTED, code="already_voted")
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
    ballot: BallotCreate,
) -> BallotCast:
    """Cast the caller's ballot: as present when on the attendance list, else as a written
    ballot (phiếu gửi). 409 `already_voted` on a second one, `meeting_not_open` outside."""
    permissions.require(actor, "ballot.cast")
    meeting = await get_meeting(session, actor, meeting_id, lock=True)
    if meeting.status != MeetingStatus.OPEN:
        raise Conflict(
            f"Phiên họp “{meeting.title}” không trong thời gian biểu quyết.",
            code="meeting_not_open",
            current_status=meeting.status,
        )
    member_id = await _voter(session, actor, meeting)
    agenda = await _agenda(session, meeting.id)
    _check_votes(agenda, ballot.votes)
    cast_as = await _participate(session, meeting, member_id)
    position = {n: i for i, n in enumerate(agenda)}
    ordered = sorted(ballot.votes, key=lambda v: position[v.nomination_id])
    # What is sealed: the choices in agenda order, as plain data.
    votes = [v.model_dump() for v in ordered]
    await _seal_apart(session, meeting.id, keys.seal_ballot(meeting.id, votes))
    receipt = new_receipt()
    # The holder is sealed in too: a receipt read back by another member's account is refused
    # exactly like a wrong receipt.
    readback = {"cast_as": cast_as, "votes": votes, "member_id": member_id}
    session.add(
        BallotReceipt(
            receipt_key=keys.receipt_name(receipt),
            sealed=seal_readback(receipt, meeting.id, readback),
        )
    )
    _record_anonymous(session, meeting)
    await session.flush()
    return BallotCast(meeting_id=meeting.id, cast_as=cast_as, receipt=receipt)


async def _seal_apart(session: AsyncSession, meeting_id: int, sealed: str) -> None:
    """Write the sealed ballot in a subtransaction of its own (a savepoint): committed or
    rolled back with the participation, yet PostgreSQL stamps it with its own transaction id,
    so no `xmin` is shared by a member's participation row and their sealed ballot."""
    async with session.begin_nested():
        session.add(SealedBallot(id=str(uuid.uuid4()), meeting_id=meeting_id, sealed=sealed))
        await session.flush()


async def mine(
    session: AsyncSession,
    actor: Principal,
    keys: BallotKeys,
    meeting_id: int,
    receipt: str | None,
) -> BallotRead:
    """A ballot read back through the receipt given when it was cast, by the member who cast
    it: the account alone is not enough (whoever can reset a member's password must not read
    their choices), nor is the receipt alone (another member who got hold of it reads nothing)."""
    permissions.require(actor, "ballot.read_mine")
    meeting = await get_meeting(session, actor, meeting_id)
    if not receipt:
        raise Unauthorized(
            "Cần biên nhận phiếu (tiêu đề X-Ballot-Receipt) nhận được khi bỏ phiếu.",
            code="receipt_required",
            headers={},
        )
    sealed = await session.scalar(
        select(BallotReceipt.sealed).where(BallotReceipt.receipt_key == keys.receipt_name(receipt))
    )
    data = open_readback(receipt, meeting.id, sealed) if sealed else None
    if data is None or data.get("member_id") != actor.council_member_id:
        raise NotFound(
            "Không có phiếu nào ứng với biên nhận này trong phiên họp.", code="ballot_not_found"
        )
    return BallotRead(meeting_id=meeting.id, cast_as=data["cast_as"], votes=data["votes"])
