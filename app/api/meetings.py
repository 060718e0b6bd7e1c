"""Council meetings (phiên họp Hội đồng TĐKT tỉnh): schedule, agenda, attendance, open, close,
the secret ballot and the results."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request, Response, status

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import IDEMPOTENCY_HEADER, TransactionalRoute, feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.meetings import (
    AgendaBody,
    AttendanceBody,
    BallotCast,
    BallotCreate,
    BallotRead,
    MeetingCreate,
    MeetingFilter,
    MeetingKind,
    MeetingRead,
    MeetingResults,
    MeetingStatus,
    NominationResultRead,
)
from app.services.meetings import agenda, ballots, closing, meetings
from app.services.meetings.meetings import MEETING_SORTING
from app.services.meetings.secrecy import BallotKeys

router = feature_router(tags=["meetings"])
NO_STORE = "no-store"
RECEIPT_HEADER = "X-Ballot-Receipt"


class SecretBallotRoute(TransactionalRoute):
    """Ballot routes: the Idempotency-Key is ignored (its stored replay would keep the caller
    beside their choices; a retried ballot gets 409 `already_voted` anyway) and the answer
    is never cached."""

    honours_idempotency_key = False

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        inner = super().get_route_handler()
        idempotency = IDEMPOTENCY_HEADER.encode()

        async def handler(request: Request) -> Response:
            request.scope["headers"] = [
                (k, v) for k, v in request.scope["headers"] if k.lower() != idempotency
            ]
            request.__dict__.pop("_headers", None)
            response = await inner(request)
            response.headers["Cache-Control"] = NO_STORE
            return response

        return handler


ballot_router = feature_router(tags=["meetings"], route_class=SecretBallotRoute)


async def ballot_keys(request: Request) -> BallotKeys:
    keys = getattr(request.app.state, "ballot_keys", None)
    if keys is None:
        settings = request.app.state.settings
        keys = BallotKeys.from_secret(settings.resolved_ballot_secret)
        request.app.state.ballot_keys = keys
    return keys


KeysDep = Annotated[BallotKeys, Depends(ballot_keys)]


async def _read(session, principal, meeting, response: Response) -> MeetingRead:
    set_etag(response, meeting.version)
    return await meetings.read(session, principal, meeting)


@router.post(
    "/meetings",
    summary="Schedule a council meeting",
    response_model=MeetingRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATED,
)
async def schedule_meeting(
    session: SessionDep,
    principal: Allowed("meeting.schedule"),
    body: MeetingCreate,
    response: Response,
):
    """Sở Nội vụ schedules a meeting of the council."""
    meeting = await meetings.schedule(session, principal, body)
    response.headers["Location"] = f"/api/v1/meetings/{meeting.id}"
    return await _read(session, principal, meeting, response)


@router.get(
    "/meetings", summary="List the council meetings", response_model=ListEnvelope[MeetingRead]
)
async def list_meetings(
    session: SessionDep,
    principal: Allowed("meeting.list"),
    fields: Fields(MeetingRead),
    page: PageDep,
    listing: Listed(MEETING_SORTING),
    council_id: Id | None = None,
    round_id: Id | None = None,
    status: MeetingStatus | None = None,
    kind: MeetingKind | None = None,
):
    """A council member sees the meetings of their council."""
    filters = MeetingFilter(council_id=council_id, round_id=round_id, status=status, kind=kind)
    result = await meetings.list_meetings(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result, await meetings.reads(session, principal, result.items)))


@router.get(
    "/meetings/{meeting_id}",
    summary="Read a council meeting",
    response_model=MeetingRead,
    responses=NOT_FOUND,
)
async def get_meeting(
    session: SessionDep, principal: Allowed("meeting.read"), meeting_id: Id, response: Response
):
    """One council meeting (phiên họp Hội đồng) with its agenda, attendance and status."""
    meeting = await meetings.get(session, principal, meeting_id)
    return await _read(session, principal, meeting, response)


_MOVE = {"response_model": MeetingRead, "responses": {**NOT_FOUND, **CONFLICT, **VERSIONED}}


async def _agenda_set(call: ActionCall) -> MeetingRead:
    ids = call.body.nomination_ids
    meeting = await agenda.set_agenda(call.session, call.principal, call.id, ids, call.expected)
    return await _read(call.session, call.principal, meeting, call.response)


async def _attendance_set(call: ActionCall) -> MeetingRead:
    meeting = await meetings.set_attendance(
        call.session, call.principal, call.id, call.body.member_ids, call.expected,
        call.body.absences,
    )  # fmt: skip
    return await _read(call.session, call.principal, meeting, call.response)


async def _opened(call: ActionCall) -> MeetingRead:
    meeting = await meetings.open_meeting(call.session, call.principal, call.id, call.expected)
    return await _read(call.session, call.principal, meeting, call.response)


async def _closed(call: ActionCall) -> MeetingRead:
    keys = call.extras["keys"]
    meeting = await closing.close(call.session, call.principal, keys, call.id, call.expected)
    return await _read(call.session, call.principal, meeting, call.response)


add_action_route(
    router,
    "/meetings/{meeting_id}/agenda",
    _agenda_set,
    name="set_meeting_agenda",
    summary="Set a meeting's agenda",
    action="meeting.set_agenda",
    method="PUT",
    body=AgendaBody,
    body_required=True,
    doc="""While scheduled: eligible nominations whose award type needs the council's vote; the
    ones needing public disclosure only when it was published in time. A refused one refuses
    the whole agenda (422 `agenda_refused`, with `refused: [{nomination_id, reason, message}]`,
    reasons `not_found`, `not_eligible`, `no_vote_needed`, `no_threshold`, `on_other_agenda`,
    `disclosure_missing`).""",
    **_MOVE,
)
add_action_route(
    router,
    "/meetings/{meeting_id}/attendance",
    _attendance_set,
    name="set_meeting_attendance",
    summary="Record who attends a meeting",
    action="meeting.set_attendance",
    method="PUT",
    body=AttendanceBody,
    body_required=True,
    doc="""While scheduled: the members present (`member_ids`, active members of the meeting's
    council) and the absent ones with their reasons (`absences: [{member_id, reason}]`), which
    the biên bản họp Hội đồng prints; a member both present and absent, listed twice or with a
    blank reason: 422 `attendance_conflict`.""",
    **_MOVE,
)
add_action_route(
    router,
    "/meetings/{meeting_id}/open",
    _opened,
    name="open_meeting",
    summary="Open a meeting for voting",
    action="meeting.open",
    doc="""Opens when the quorum holds: present ≥ the rule value `award_quorum_percent` (80) of the
    council's active members for an award session, ≥ `quorum_percent` (66.67) otherwise; else 409
    `quorum_not_met` with `present`, `members_total`, `required_percent`, `required_present`.""",
    **_MOVE,
)
add_action_route(
    router,
    "/meetings/{meeting_id}/close",
    _closed,
    name="close_meeting",
    summary="Close a meeting and count the votes",
    action="meeting.close",
    extras={"keys": KeysDep},
    doc="""Closes the vote and counts it: each item passes when approvals over ALL the council's
    members reach its award type's threshold; nominations become approved or rejected.""",
    **_MOVE,
)


@router.get(
    "/meetings/{meeting_id}/results",
    summary="Read a meeting's vote counts",
    response_model=MeetingResults,
    responses={**NOT_FOUND, **CONFLICT},
)
async def get_meeting_results(
    session: SessionDep, principal: Allowed("meeting.results"), meeting_id: Id
):
    """After the close only (409 `meeting_not_closed` before): counts per nomination, never
    who voted how."""
    result = await closing.results(session, principal, meeting_id)
    items = [NominationResultRead.model_validate(r) for r in result.items]
    return MeetingResults(meeting_id=meeting_id, items=items)


@ballot_router.post(
    "/meetings/{meeting_id}/ballots",
    summary="Cast a secret ballot",
    response_model=BallotCast,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def cast_ballot(
    session: SessionDep,
    principal: Allowed("ballot.cast"),
    keys: KeysDep,
    meeting_id: Id,
    body: BallotCreate,
):
    """One secret ballot per member per open meeting, every agenda item voted exactly once
    (422 `ballot_incomplete`). A member on the attendance list votes as present, any other as a
    written ballot. A second ballot is 409 `already_voted`; outside the vote 409
    `meeting_not_open`; a member not on the roll fixed at the opening is 403. The answer
    carries a one-time `receipt`, never stored: with it (header `X-Ballot-Receipt`) the member
    reads the ballot back at `GET /meetings/{id}/ballots/mine`; without it nobody — Sở Nội vụ
    included — can. Idempotency-Key is ignored here."""
    return await ballots.cast(session, principal, keys, meeting_id, body)


@ballot_router.get(
    "/meetings/{meeting_id}/ballots/mine",
    summary="Read back one's own ballot",
    response_model=BallotRead,
    responses=NOT_FOUND,
)
async def get_my_ballot(
    session: SessionDep,
    principal: Allowed("ballot.read_mine"),
    keys: KeysDep,
    meeting_id: Id,
    receipt: Annotated[str | None, Header(alias=RECEIPT_HEADER, max_length=200)] = None,
):
    """A ballot read back with the receipt its cast returned (header `X-Ballot-Receipt`):
    401 `receipt_required` without it, 404 `ballot_not_found` with a wrong one."""
    return await ballots.mine(session, principal, keys, meeting_id, receipt)


router.include_router(ballot_router)
