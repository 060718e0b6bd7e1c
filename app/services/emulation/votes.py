"""The cluster meeting's secret ballot (bỏ phiếu kín tại hội nghị bình xét của cụm, khối).

Once the head has published the ranking, the cluster meeting votes on the leading unit
proposed for Cờ thi đua của UBND tỉnh and the units proposed for Bằng khen. The voters are the
cluster's member units that year (each through its own account; the head unit's officer votes
as the unit). The vote opens only when the present share of the roll meets the rule value
`cluster_quorum_percent`; a proposal passes when its approvals over the whole roll reach
`cluster_vote_threshold_percent`, both fixed at the opening. Ballots go through the council's
sealed-ballot machinery (app/services/meetings/ballot_box.py): nobody, the database's
administrator included, can tell after the close how a unit voted; each voter alone reads its
ballot back with its one-time receipt.
"""

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core import after_commit
from app.core.clock import utcnow
from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, flush_or_conflict, paginate
from app.core.principal import Principal
from app.core.statuses import ClusterVoteStatus, ScoreTableStatus
from app.models import (
    ClusterBallotChoice,
    ClusterBallotParticipation,
    ClusterMembership,
    ClusterSealedBallot,
    ClusterVote,
    ClusterVoteCandidate,
    ClusterVoter,
    ScoreTable,
)
from app.schemas.emulation import (
    ClusterBallotCast,
    ClusterBallotCreate,
    ClusterBallotRead,
    VoteOpen,
)
from app.services import audit, permissions, policies, rule_values, workflow
from app.services.emulation.ranking import standings
from app.services.emulation.tables import get_table
from app.services.meetings import ballot_box, scrub
from app.services.meetings.secrecy import BallotKeys
from app.services.meetings.tally import ItemResult, Quorum

CLUSTER_BOX = ballot_box.BallotBox(
    prefix="cluster-vote:", participation=ClusterBallotParticipation,
    sealed=ClusterSealedBallot, choice=ClusterBallotChoice,
    box="vote_id", voter="unit_id", item="candidate_id", place="cuộc bỏ phiếu",
)  # fmt: skip


def _scoped(stmt: Select, principal: Principal) -> Select:
    """A vote is seen by whoever sees its table."""
    return policies.score_table_scope(
        stmt.join(ScoreTable, ScoreTable.id == ClusterVote.table_id), principal
    )


async def get_vote(
    session: AsyncSession, principal: Principal, vote_id: int, *, lock: bool = False
) -> ClusterVote:
    stmt = _scoped(
        select(ClusterVote)
        .options(selectinload(ClusterVote.candidates))
        .where(ClusterVote.id == vote_id),
        principal,
    )
    if lock:
        stmt = stmt.with_for_update(of=ClusterVote).execution_options(populate_existing=True)
    vote = await session.scalar(stmt)
    if vote is None:
        raise NotFound(f"Không tìm thấy cuộc bỏ phiếu của cụm, khối có mã số {vote_id}.")
    return vote


async def _roll(session: AsyncSession, table: ScoreTable) -> list[int]:
    """The cluster's member units in the table's year (head and deputies included)."""
    return list(
        await session.scalars(
            select(ClusterMembership.unit_id)
            .where(
                ClusterMembership.cluster_id == table.cluster_id,
                ClusterMembership.year == table.year,
            )
            .order_by(ClusterMembership.unit_id)
        )
    )


def _event(vote: ClusterVote, **more) -> dict:
    return {"table_id": vote.table_id, "cluster_id": vote.cluster_id, "status": vote.status, **more}


async def open_vote(
    session: AsyncSession, actor: Principal, table_id: int, body: VoteOpen
) -> ClusterVote:
    """The head opens the cluster meeting's vote on the published ranking's proposals, with
    the member units present; 409 `quorum_not_met` when too few are."""
    permissions.require(actor, "emulation.open_vote")
    table = await get_table(session, actor, table_id)
    permissions.require(actor, "emulation.open_vote", table)
    if table.status != ScoreTableStatus.PUBLISHED:
        raise Conflict(
            "Cụm, khối bỏ phiếu sau khi Trưởng khối công bố bảng xếp hạng và trước khi ghi kết "
            f"quả (bảng điểm đang ở trạng thái {table.status}).",
            code="ranking_not_published",
            current_status=table.status,
        )
    if await session.scalar(
        select(ClusterVote.id).where(
            ClusterVote.table_id == table.id, ClusterVote.status == ClusterVoteStatus.OPEN
        )
    ):
        raise Conflict(
            "Cụm, khối đang có một cuộc bỏ phiếu chưa kết thúc; kết thúc cuộc đó trước.",
            code="cluster_vote_open",
        )
    ranked = {r["unit_id"] for r in await standings(session, table)}
    pairs = list(dict.fromkeys((c.unit_id, c.proposal) for c in body.candidates))
    if strangers := sorted({u for u, _ in pairs if u not in ranked}):
        raise Unprocessable(
            f"Chỉ đề nghị được đơn vị có trong bảng xếp hạng của cụm, khối; không có: {strangers}.",
            code="invalid_candidate",
            unit_ids=strangers,
        )
    if not any(p == "co_thi_dua" for _, p in pairs):
        raise Unprocessable(
            "Cần ít nhất một đơn vị được đề nghị dẫn đầu (Cờ thi đua) để bỏ phiếu.",
            code="invalid_candidate",
        )
    roll = await _roll(session, table)
    present = set(body.present_unit_ids)
    if strangers := sorted(present - set(roll)):
        raise Unprocessable(
            f"Không phải đơn vị thành viên của cụm, khối năm {table.year}: {strangers}.",
            code="not_cluster_members",
            unit_ids=strangers,
        )
    rules = await rule_values.get_rules(session)
    quorum = Quorum(len(present), len(roll), rules.cluster_quorum_percent)
    if not quorum.met:
        raise Conflict(
            f"Chưa đủ số đơn vị dự hội nghị: có mặt {len(present)}/{len(roll)} đơn vị "
            f"({quorum.present_percent:g}%), cần ít nhất {quorum.required_percent:g}% "
            f"({quorum.required_present} đơn vị).",
            code="quorum_not_met",
            present=len(present),
            members_total=len(roll),
            present_percent=quorum.present_percent,
            required_percent=quorum.required_percent,
            required_present=quorum.required_present,
        )
    vote = ClusterVote(
        table_id=table.id, cluster_id=table.cluster_id, status=ClusterVoteStatus.OPEN,
        opened_at=utcnow(), voters_total=len(roll), present=len(present),
        quorum_percent=rules.cluster_quorum_percent,
        threshold_percent=rules.cluster_vote_threshold_percent,
        candidates=[
            ClusterVoteCandidate(unit_id=u, proposal=p, position=i)
            for i, (u, p) in enumerate(pairs, 1)
        ],
    )  # fmt: skip
    session.add(vote)
    await session.flush()
    session.add_all(ClusterVoter(vote_id=vote.id, unit_id=u, present=u in present) for u in roll)
    await flush_or_conflict(session)
    opened = {"voters_total": vote.voters_total, "present": vote.present,
              "candidates": [{"unit_id": u, "proposal": p} for u, p in pairs]}  # fmt: skip
    await audit.record(session, actor, "cluster_vote.opened", "cluster_vote", vote.id, after=opened)
    await audit.emit(
        session, "cluster_vote.opened", "cluster_vote", vote.id, _event(vote, **opened),
        cluster_id=vote.cluster_id,
    )  # fmt: skip
    return await get_vote(session, actor, vote.id)


async def cast(
    session: AsyncSession,
    actor: Principal,
    keys: BallotKeys,
    vote_id: int,
    body: ClusterBallotCreate,
) -> ClusterBallotCast:
    """A member unit's secret ballot: every proposal voted exactly once. A unit not on the
    roll is 403 `not_a_voting_member`; a second ballot 409 `already_voted`."""
    permissions.require(actor, "emulation.cast_vote")
    vote = await get_vote(session, actor, vote_id, lock=True)
    if vote.status != ClusterVoteStatus.OPEN:
        raise Conflict(
            "Cuộc bỏ phiếu của cụm, khối đã kết thúc.", code="meeting_not_open",
            current_status=vote.status,
        )  # fmt: skip
    voter = await session.get(ClusterVoter, (vote.id, actor.unit_id or 0))
    if voter is None:
        raise Forbidden(
            "Chỉ đơn vị thành viên của cụm, khối (có trong danh sách lúc khai mạc) mới được bỏ "
            "phiếu.",
            code="not_a_voting_member",
        )
    agenda = [c.id for c in vote.candidates]
    ballot_box.check_complete(agenda, [v.candidate_id for v in body.votes])
    cast_as = "present" if voter.present else "written"
    await ballot_box.participate(session, CLUSTER_BOX, vote.id, voter.unit_id, cast_as)
    position = {c: i for i, c in enumerate(agenda)}
    votes = [v.model_dump() for v in sorted(body.votes, key=lambda v: position[v.candidate_id])]
    await ballot_box.seal_apart(session, keys, CLUSTER_BOX, vote.id, votes)
    readback = {"cast_as": cast_as, "votes": votes, "unit_id": voter.unit_id}
    receipt = ballot_box.store_receipt(session, keys, CLUSTER_BOX, vote.id, readback)
    ballot_box.record_anonymous(session, "cluster_vote.ballot_cast", "cluster_vote", vote.id)
    await session.flush()
    return ClusterBallotCast(vote_id=vote.id, cast_as=cast_as, receipt=receipt)


async def mine(
    session: AsyncSession, actor: Principal, keys: BallotKeys, vote_id: int, receipt: str | None
) -> ClusterBallotRead:
    """A unit's ballot read back with its receipt, by that unit's account only."""
    permissions.require(actor, "emulation.read_my_ballot")
    vote = await get_vote(session, actor, vote_id)
    data = await ballot_box.read_own(session, keys, CLUSTER_BOX, vote.id, receipt, actor.unit_id)
    return ClusterBallotRead(vote_id=vote.id, cast_as=data["cast_as"], votes=data["votes"])


async def close(
    session: AsyncSession, actor: Principal, keys: BallotKeys, vote_id: int, expected: int | None
) -> ClusterVote:
    """The head closes the vote: the ballots are opened, shuffled and counted in SQL; each
    proposal passes when its approvals over the roll reach the threshold fixed at the opening."""
    permissions.require(actor, "emulation.close_vote")
    vote = await get_vote(session, actor, vote_id, lock=True)
    permissions.require(actor, "emulation.close_vote", vote)
    check_version(vote, expected)
    # Closed first, so that no ballot counts after this; recorded once the count is known.
    step = workflow.apply(vote, "cluster_vote", "close", changes={"closed_at": utcnow()})
    await flush_or_conflict(session)
    await ballot_box.unseal_all(session, keys, CLUSTER_BOX, vote.id)
    after_commit.schedule(session, lambda: scrub.scrub_closed_ballots(session.bind))
    counts = await ballot_box.count_choices(session, CLUSTER_BOX, vote.id)
    results = []
    for candidate in vote.candidates:
        mine_ = counts.get(candidate.id, {})
        result = ItemResult(
            nomination_id=candidate.id, approve=mine_.get("approve", 0),
            reject=mine_.get("reject", 0), abstain=mine_.get("abstain", 0),
            members_total=vote.voters_total, present=vote.present,
            threshold_percent=vote.threshold_percent,
        )  # fmt: skip
        candidate.approve, candidate.reject = result.approve, result.reject
        candidate.abstain, candidate.passed = result.abstain, result.passed
        candidate.approve_percent = result.approve_percent
        results.append({"unit_id": candidate.unit_id, "proposal": candidate.proposal,
                        "approve": result.approve, "passed": result.passed})  # fmt: skip
    await flush_or_conflict(session)
    subject = workflow.Subject(
        "cluster_vote", vote, "cluster_vote", vote.id, cluster_id=vote.cluster_id,
        data={"table_id": vote.table_id, "cluster_id": vote.cluster_id},
    )  # fmt: skip
    counted = {"results": results}
    await workflow.record(session, actor, subject, step, after=counted, event_data=counted)
    return await get_vote(session, actor, vote.id)


VOTE_SORTING = sorting(ClusterVote, "id", ["status", "opened_at", "closed_at"])


async def list_votes(
    session: AsyncSession,
    principal: Principal,
    table_id: int,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The table's votes, oldest first (or the caller's `sort`)."""
    await get_table(session, principal, table_id)
    stmt = (
        select(ClusterVote)
        .options(selectinload(ClusterVote.candidates))
        .where(ClusterVote.table_id == table_id)
    )
    return await paginate(session, VOTE_SORTING.apply(stmt, listing), limit, offset)


def elected(vote: ClusterVote) -> tuple[int | None, set[int]]:
    """The leading unit the vote elected (the passed Cờ thi đua proposal with the most
    approvals; none on a tie) and the units whose Bằng khen proposal passed."""
    leaders = sorted(
        (c for c in vote.candidates if c.proposal == "co_thi_dua" and c.passed),
        key=lambda c: -(c.approve or 0),
    )
    leader = None
    if leaders and (len(leaders) == 1 or leaders[0].approve != leaders[1].approve):
        leader = leaders[0].unit_id
    bang_khen = {c.unit_id for c in vote.candidates if c.proposal == "bang_khen" and c.passed}
    return leader, bang_khen


async def closed_vote(session: AsyncSession, table_id: int) -> ClusterVote | None:
    """The table's latest closed vote, with its counts."""
    return await session.scalar(
        select(ClusterVote)
        .options(selectinload(ClusterVote.candidates))
        .where(ClusterVote.table_id == table_id, ClusterVote.status == ClusterVoteStatus.CLOSED)
        .order_by(ClusterVote.id.desc())
        .limit(1)
    )
