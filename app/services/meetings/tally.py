"""Counting: the quorum of a meeting and the result of each agenda item.

Shares are exact fractions, shown rounded to two decimals: 8 approvals of 9 members are 88.89%,
short of a 90% threshold. The threshold is over all the council's members, not those present.
Choices are counted by the database (GROUP BY), never loaded ballot by ballot.
"""

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BallotChoice, BallotParticipation, SealedBallot
from app.services.meetings import ballot_box
from app.services.meetings.secrecy import BallotKeys

# Where the council's meetings keep their ballots.
COUNCIL_BOX = ballot_box.BallotBox(
    prefix="", participation=BallotParticipation, sealed=SealedBallot, choice=BallotChoice,
    box="meeting_id", voter="member_id", item="nomination_id", place="phiên họp",
)  # fmt: skip

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
    return await ballot_box.count_choices(session, COUNCIL_BOX, meeting_id)


async def unseal_all(session: AsyncSession, keys: BallotKeys, meeting_id: int) -> None:
    """Open the meeting's sealed ballots into shuffled choices and purge them (ballot_box)."""
    await ballot_box.unseal_all(session, keys, COUNCIL_BOX, meeting_id)
