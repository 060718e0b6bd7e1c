"""Counting: the quorum of a meeting and the result of each agenda item.

Shares are exact fractions, shown rounded to two decimals: 8 approvals of 9 members are 88.89%,
short of a 90% threshold. The threshold is over all the council's members, not those present.
Choices are counted by the database (GROUP BY), never loaded ballot by ballot.
"""

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import delete, func, insert, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BallotChoice


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


def _random_hex(dialect: str):
    if dialect == "postgresql":
        return literal_column("replace(gen_random_uuid()::text, '-', '')")
    return literal_column("lower(hex(randomblob(16)))")


async def reshuffle(session: AsyncSession, meeting_id: int) -> None:
    """Rewrite the meeting's choices under new random ids, in random order, in this (closing)
    transaction, then drop the originals.

    A choice written with its ballot shares that transaction's traces with the voter's
    participation row (PostgreSQL's xmin, the heap position); after the rewrite every choice
    of the meeting carries the close's. Choices are written with dashed UUIDs and rewritten
    as plain hex, which is how the originals are told apart.
    """
    columns = ("meeting_id", "nomination_id", "choice", "ballot_ref")
    source = (
        select(
            _random_hex(session.bind.dialect.name),
            *(getattr(BallotChoice, c) for c in columns),
        )
        .where(BallotChoice.meeting_id == meeting_id, BallotChoice.id.like("%-%"))
        .order_by(func.random())
    )
    await session.execute(insert(BallotChoice).from_select(["id", *columns], source))
    await session.execute(
        delete(BallotChoice).where(
            BallotChoice.meeting_id == meeting_id, BallotChoice.id.like("%-%")
        )
    )
