"""Counting: the quorum of a meeting and the result of each agenda item.

Shares are exact fractions, shown rounded to two decimals: 8 approvals of 9 members are 88.89%,
short of a 90% threshold. The threshold is over all the council's members, not those present.
Choices are counted by the database (GROUP BY), never loaded ballot by ballot.
"""

import random
import uuid
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.models import BallotChoice, SealedBallot
from app.services.meetings.purge import purge_sealed
from app.services.meetings.secrecy import BallotKeys

# The stored result of one agenda item (MeetingResult), beside its meeting and nomination ids.
COUNT_FIELDS = (
    "approve",
    "reject",
    "abstain",
    "members_total",
    "present",
    "approve_percent",
    "threshold_percent",
    "passed",
)


def percent(part: int, whole: int) -> float:
    """`part` of `whole` in percent, rounded to two decimals (0 when there is no whole)."""
    if whole <= 0:
        return 0.0
    return round(part * 100 / whole, 2)


@dataclass(frozen=True)
class Quorum:
    present: int
    members_total: int
    required_percent: float

    @property
    def present_percent(self) -> float:
        return percent(self.present, self.members_total)

    @property
    def required_present(self) -> int:
        """The fewest members present that meet the quorum."""
        for needed in range(self.members_total + 1):
            if percent(needed, self.members_total) >= self.required_percent:
                return needed
        return self.members_total

    @property
    def met(self) -> bool:
        # Compared on the rounded share, so 2/3 of 9 members (66.67%) meets a 66.67% setting.
        return self.members_total > 0 and self.present_percent >= self.required_percent


@dataclass(frozen=True)
class ItemResult:
    nomination_id: int
    approve: int
    reject: int
    abstain: int
    members_total: int
    present: int
    threshold_percent: float

    @property
    def approve_percent(self) -> float:
        return percent(self.approve, self.members_total)

    @property
    def passed(self) -> bool:
        if self.members_total <= 0:
            return False
        share = Fraction(self.approve, self.members_total) * 100
        return share >= Fraction(str(self.threshold_percent))


async def count_choices(session: AsyncSession, meeting_id: int) -> dict[int, dict[str, int]]:
    """nomination id → {choice: count}, counted in SQL."""
    rows = await session.execute(
        select(BallotChoice.nomination_id, BallotChoice.choice, func.count())
        .where(BallotChoice.meeting_id == meeting_id)
        .group_by(BallotChoice.nomination_id, BallotChoice.choice)
    )
    counts: dict[int, dict[str, int]] = {}
    for nomination_id, choice, n in rows:
        counts.setdefault(nomination_id, {})[choice] = int(n)
    return counts


_CHUNK = 5000


async def unseal_all(session: AsyncSession, keys: BallotKeys, meeting_id: int) -> None:
    """Open every sealed ballot of the meeting, in the closing transaction (which holds the
    meeting's lock, so no ballot comes in meanwhile), and write the choices as plain rows:
    shuffled, under random ids, in one statement, nothing grouping one ballot's choices. All
    rows share this transaction, so nothing in the storage (PostgreSQL's xmin, the heap order)
    links a choice to a participation. The sealed rows are then purged (purge.py)."""
    sealed = list(
        await session.scalars(
            select(SealedBallot.sealed).where(SealedBallot.meeting_id == meeting_id)
        )
    )
    rows = []
    for ciphertext in sealed:
        votes = keys.open_ballot(meeting_id, ciphertext)
        if votes is None:
            raise Conflict(
                "Không mở được phiếu kín: khoá bỏ phiếu của hệ thống đã thay đổi khi phiên họp "
                "đang diễn ra. Khôi phục khoá cũ rồi bế mạc lại.",
                code="ballot_unreadable",
            )
        rows.extend(
            {"meeting_id": meeting_id, "nomination_id": v["nomination_id"], "choice": v["choice"]}
            for v in votes
        )
    random.SystemRandom().shuffle(rows)
    for row in rows:
        row["id"] = str(uuid.uuid4())
    # Multi-row VALUES, chunked under the bind-parameter limits; every chunk is in this
    # same transaction.
    for start in range(0, len(rows), _CHUNK):
        await session.execute(insert(BallotChoice).values(rows[start : start + _CHUNK]))
    await purge_sealed(session, meeting_id)
