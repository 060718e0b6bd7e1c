"""The cluster meeting's secret ballot (bỏ phiếu kín của hội nghị cụm, khối): the head opens
the vote on the published ranking's proposals, each member unit casts one sealed ballot, the
head closes and the counts are kept. The ballot routes take the council's ballot route class:
no Idempotency-Key replay (it would keep the caller beside their choices), never cached."""

from typing import Annotated

from fastapi import Header, Response, status

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.meetings import RECEIPT_HEADER, KeysDep, SecretBallotRoute
from app.api.responses import CONFLICT, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.emulation import (
    ClusterBallotCast,
    ClusterBallotCreate,
    ClusterBallotRead,
    ClusterVoteRead,
    VoteOpen,
)
from app.services.emulation import votes

router = feature_router(tags=["emulation"])
ballot_router = feature_router(tags=["emulation"], route_class=SecretBallotRoute)


@router.post(
    "/emulation/tables/{table_id}/votes",
    summary="Open the cluster meeting's secret ballot",
    response_model=ClusterVoteRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def open_cluster_vote(
    session: SessionDep,
    principal: Allowed("emulation.open_vote"),
    table_id: Id,
    body: VoteOpen,
    response: Response,
):
    """The head opens the cluster meeting's secret ballot on the published ranking: the units
    proposed as leading unit (`co_thi_dua`) and for Bằng khen (`bang_khen`), with the member
    units present. The roll is every member unit of the cluster that year; the vote opens only
    when the present share reaches the rule value `cluster_quorum_percent` (409
    `quorum_not_met`), and each proposal will pass with approvals over the roll reaching
    `cluster_vote_threshold_percent`, both fixed now."""
    vote = await votes.open_vote(session, principal, table_id, body)
    set_etag(response, vote.version)
    return vote


@router.get(
    "/emulation/tables/{table_id}/votes",
    summary="List a scoring table's cluster votes",
    response_model=ListEnvelope[ClusterVoteRead],
    responses=NOT_FOUND,
)
async def list_cluster_votes(
    session: SessionDep,
    principal: Allowed("emulation.list_votes"),
    table_id: Id,
    page: PageDep,
    listing: Listed(votes.VOTE_SORTING),
    fields: Fields(ClusterVoteRead),
):
    """The table's votes, oldest first; counts once each is closed."""
    result = await votes.list_votes(session, principal, table_id, page.limit, page.offset, listing)
    return fields.apply(envelope(result))


@router.get(
    "/emulation/votes/{vote_id}",
    summary="Read a cluster vote",
    response_model=ClusterVoteRead,
    responses=NOT_FOUND,
)
async def get_cluster_vote(
    session: SessionDep, principal: Allowed("emulation.read_vote"), vote_id: Id, response: Response
):
    """The vote, its proposals, and their counts once closed (never who voted how)."""
    vote = await votes.get_vote(session, principal, vote_id)
    set_etag(response, vote.version)
    return vote


async def _close(call: ActionCall) -> ClusterVoteRead:
    keys = call.extras["keys"]
    vote = await votes.close(call.session, call.principal, keys, call.id, call.expected)
    set_etag(call.response, vote.version)
    return vote


add_action_route(
    router, "/emulation/votes/{vote_id}/close", _close, name="close_cluster_vote",
    summary="Close and count a cluster vote",
    action="emulation.close_vote", response_model=ClusterVoteRead,
    responses={**NOT_FOUND, **CONFLICT, 412: VERSIONED[412]}, extras={"keys": KeysDep},
    doc="The head closes the vote: ballots are opened, shuffled and counted; each proposal's "
    "approvals, rejections, abstentions and whether it passed are kept. The result "
    "(`POST /emulation/tables/{id}/result`) must then name the leading unit it elected.",
)  # fmt: skip


@ballot_router.post(
    "/emulation/votes/{vote_id}/ballots",
    summary="Cast a member unit's secret ballot",
    response_model=ClusterBallotCast,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def cast_cluster_ballot(
    session: SessionDep,
    principal: Allowed("emulation.cast_vote"),
    keys: KeysDep,
    vote_id: Id,
    body: ClusterBallotCreate,
):
    """One secret ballot per member unit, every proposal voted exactly once (422
    `ballot_incomplete`); a unit not on the roll is 403 `not_a_voting_member`, a second ballot
    409 `already_voted`, after the close 409 `meeting_not_open`. The one-time `receipt`
    (header `X-Ballot-Receipt`) reads the ballot back; nobody else can."""
    return await votes.cast(session, principal, keys, vote_id, body)


@ballot_router.get(
    "/emulation/votes/{vote_id}/ballots/mine",
    summary="Read back the unit's ballot by its receipt",
    response_model=ClusterBallotRead,
    responses=NOT_FOUND,
)
async def get_my_cluster_ballot(
    session: SessionDep,
    principal: Allowed("emulation.read_my_ballot"),
    keys: KeysDep,
    vote_id: Id,
    receipt: Annotated[str | None, Header(alias=RECEIPT_HEADER, max_length=200)] = None,
):
    """The unit's ballot read back with the receipt its cast returned."""
    return await votes.mine(session, principal, keys, vote_id, receipt)
