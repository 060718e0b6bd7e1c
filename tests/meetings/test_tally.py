"""Counting: quorum on the rounded share of members present, thresholds over ALL members as
exact fractions, choices sealed while open, opened, shuffled and counted in SQL at the close."""

import uuid

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict
from app.models import BallotChoice, SealedBallot
from app.services.meetings.secrecy import BallotKeys
from app.services.meetings.tally import ItemResult, Quorum, count_choices, percent, unseal_all
from tests.factories_council import CO_THI_DUA, council_with_members, eligible_nominations
from tests.factories_council import make_meeting as make_meeting_row


def _item(approve: int, total: int, threshold: float, **kw) -> ItemResult:
    values = {"reject": 0, "abstain": 0, "present": total}
    values.update(kw)
    return ItemResult(1, approve, members_total=total, threshold_percent=threshold, **values)


@pytest.mark.parametrize(
    ("approve", "total", "threshold", "passed", "shown"),
    [
        (8, 9, 90, False, 88.89),  # CSTĐ cấp tỉnh: 8 of 9 members is short of 90%
        (8, 9, 80, True, 88.89),  # Cờ thi đua at 80%
        (9, 10, 90, True, 90.0),
        (4, 5, 80, True, 80.0),
        (3, 5, 80, False, 60.0),
        (2, 3, 66.67, False, 66.67),  # 66.666…% is below 66.67% when exact
        (0, 0, 80, False, 0.0),
    ],
)
def test_thresholds_are_over_all_members_and_exact(approve, total, threshold, passed, shown):
    result = _item(approve, total, threshold)

    assert result.passed is passed
    assert result.approve_percent == shown


def test_absent_members_count_against_the_threshold():
    # 9 members, 8 present and all approving: still 88.89% of the council.
    assert _item(8, 9, 90, present=8).passed is False


@pytest.mark.parametrize(
    ("present", "total", "required", "met", "needed"),
    [
        (6, 9, 66.67, True, 6),
        (5, 9, 66.67, False, 6),
        (8, 10, 80, True, 8),
        (7, 9, 80, False, 8),
        (0, 0, 80, False, 0),
    ],
)
def test_quorum(present, total, required, met, needed):
    quorum = Quorum(present, total, required)

    assert quorum.met is met
    assert quorum.required_present == needed


def test_percent_rounds_to_two_decimals():
    assert percent(1, 3) == 33.33 and percent(2, 3) == 66.67 and percent(1, 0) == 0.0


async def test_sealed_ballots_are_opened_shuffled_and_counted_in_sql_at_the_close(app, session):
    group = await council_with_members(app, session, 3)
    first, second = await eligible_nominations(session, CO_THI_DUA, 2)
    meeting = await make_meeting_row(session, group.council, status="open", agenda=[first, second])
    keys = BallotKeys.from_secret("test-secret")
    ballots = [("approve", "reject"), ("approve", "approve"), ("abstain", "approve")]
    for a, b in ballots:
        votes = [
            {"nomination_id": first.id, "choice": a},
            {"nomination_id": second.id, "choice": b},
        ]
        session.add(
            SealedBallot(
                id=str(uuid.uuid4()),
                meeting_id=meeting.id,
                sealed=keys.seal_ballot(meeting.id, votes),
            )
        )
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(BallotChoice)) == 0

    await unseal_all(session, keys, meeting.id)
    counts = await count_choices(session, meeting.id)
    await session.commit()

    assert counts == {
        first.id: {"approve": 2, "abstain": 1},
        second.id: {"approve": 2, "reject": 1},
    }
    assert await session.scalar(select(func.count()).select_from(SealedBallot)) == 0
    assert await session.scalar(select(func.count()).select_from(BallotChoice)) == 6


async def test_a_ballot_sealed_for_another_meeting_does_not_open(app, session):
    group = await council_with_members(app, session, 3)
    (first,) = await eligible_nominations(session, CO_THI_DUA, 1)
    meeting = await make_meeting_row(session, group.council, status="open", agenda=[first])
    keys = BallotKeys.from_secret("test-secret")
    sealed = keys.seal_ballot(meeting.id + 1, [{"nomination_id": first.id, "choice": "approve"}])
    session.add(SealedBallot(id=str(uuid.uuid4()), meeting_id=meeting.id, sealed=sealed))
    await session.commit()

    with pytest.raises(Conflict) as refused:
        await unseal_all(session, keys, meeting.id)
    assert refused.value.code == "ballot_unreadable"
