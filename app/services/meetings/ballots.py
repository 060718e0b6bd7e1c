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

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, Forbidden
from app.core.principal import Principal
from app.core.statuses import MeetingStatus
from app.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingVoter,
)
from app.schemas.meetings import BallotCast, BallotCreate, BallotRead, Vote
from app.services import permissions
from app.services.meetings import ballot_box
from app.services.meetings.access import get_meeting
from app.services.meetings.secrecy import BallotKeys
from app.services.meetings.tally import COUNCIL_BOX


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
    ballot_box.check_complete(agenda, [v.nomination_id for v in votes])


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
    present = await session.scalar(
        select(
            exists().where(Attendance.meeting_id == meeting.id, Attendance.member_id == member_id)
        )
    )
    cast_as = "present" if present else "written"
    await ballot_box.participate(session, COUNCIL_BOX, meeting.id, member_id, cast_as)
    position = {n: i for i, n in enumerate(agenda)}
    ordered = sorted(ballot.votes, key=lambda v: position[v.nomination_id])
    # What is sealed: the choices in agenda order, as plain data.
    votes = [v.model_dump() for v in ordered]
    await ballot_box.seal_apart(session, keys, COUNCIL_BOX, meeting.id, votes)
    # The holder is sealed in too: a receipt read back by another member's account is refused
    # exactly like a wrong receipt.
    readback = {"cast_as": cast_as, "votes": votes, "member_id": member_id}
    receipt = ballot_box.store_receipt(session, keys, COUNCIL_BOX, meeting.id, readback)
    ballot_box.record_anonymous(session, "meeting.ballot_cast", "meeting", meeting.id)
    await session.flush()
    return BallotCast(meeting_id=meeting.id, cast_as=cast_as, receipt=receipt)


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
    data = await ballot_box.read_own(
        session, keys, COUNCIL_BOX, meeting.id, receipt, actor.council_member_id
    )
    return BallotRead(meeting_id=meeting.id, cast_as=data["cast_as"], votes=data["votes"])
