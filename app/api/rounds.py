"""Rounds (đợt xét khen thưởng): đợt 1 in March, đợt 2 in October, and late extensions."""

from typing import Annotated

from fastapi import Query, Response, status

from app.api.action_routes import ActionCall, Handler, add_action_route
from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.rounds import (
    ExtensionCreate,
    ExtensionRead,
    RoundCreate,
    RoundRead,
    RoundStatus,
    RoundUpdate,
)
from app.services import rounds
from app.services.rounds import EXTENSION_SORTING, ROUND_SORTING

router = feature_router(tags=["rounds"])


@router.get("/rounds", summary="List the submission rounds", response_model=ListEnvelope[RoundRead])
async def list_rounds(
    session: SessionDep,
    principal: Allowed("round.list"),
    fields: Fields(RoundRead),
    page: PageDep,
    listing: Listed(ROUND_SORTING),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: RoundStatus | None = None,
):
    """The rounds (đợt xét khen thưởng), filtered by `year` and `status`."""
    result = await rounds.list_rounds(
        session, year=year, status=status, limit=page.limit, offset=page.offset, listing=listing
    )
    return fields.apply(envelope(result, [RoundRead.model_validate(r) for r in result.items]))


@router.post(
    "/rounds",
    summary="Create a submission round",
    response_model=RoundRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
)
async def create_round(
    session: SessionDep, principal: Allowed("round.create"), body: RoundCreate, response: Response
):
    """One đợt 1 and one đợt 2 a year (409 `duplicate_round`); `task_ids` link the plan's tasks
    the round carries out (e.g. I.8 and I.9 for đợt 1 of 2026)."""
    row = await rounds.create_round(session, principal, body)
    response.headers["Location"] = f"/api/v1/rounds/{row.id}"
    set_etag(response, row.version)
    return RoundRead.model_validate(row)


@router.get(
    "/rounds/{round_id}",
    summary="Read a submission round",
    response_model=RoundRead,
    responses=NOT_FOUND,
)
async def get_round(
    session: SessionDep, principal: Allowed("round.read"), round_id: Id, response: Response
):
    """One round (đợt xét khen thưởng) with its dates and linked tasks."""
    row = await rounds.get_round(session, round_id)
    set_etag(response, row.version)
    return RoundRead.model_validate(row)


@router.patch(
    "/rounds/{round_id}",
    summary="Change a submission round",
    response_model=RoundRead,
    responses={**NOT_FOUND, **VERSIONED, **CONFLICT},
)
async def update_round(
    session: SessionDep,
    principal: Allowed("round.update"),
    round_id: Id,
    body: RoundUpdate,
    expected: IfMatch,
    response: Response,
):
    """Change a round's year, number, name, dates or linked tasks (đợt xét khen thưởng); only the
    fields sent change."""
    row = await rounds.update_round(session, principal, round_id, body, expected)
    set_etag(response, row.version)
    return RoundRead.model_validate(row)


_MOVE = {"response_model": RoundRead, "responses": {**NOT_FOUND, **CONFLICT, **VERSIONED}}


def _moved(verb: str) -> Handler:
    async def handle(call: ActionCall) -> RoundRead:
        row = await rounds.move_round(call.session, call.principal, call.id, verb, call.expected)
        set_etag(call.response, row.version)
        return RoundRead.model_validate(row)

    return handle


for verb, summary, doc in (
    (
        "open",
        "Open a round for submissions",
        "`draft → open`: units may submit until the end of `submission_closes_on`.",
    ),
    (
        "close",
        "Close a round to submissions",
        "`open → closed`: only units with an extension may still submit.",
    ),
    (
        "complete",
        "Mark a round completed",
        "`closed → completed`; any other move is 409 `invalid_transition`.",
    ),
):
    add_action_route(
        router, f"/rounds/{{round_id}}/{verb}", _moved(verb), name=f"{verb}_round",
        summary=summary, action=f"round.{verb}", doc=doc, **_MOVE,
    )  # fmt: skip


@router.post(
    "/rounds/{round_id}/extensions",
    summary="Grant a unit a late-submission extension",
    response_model=ExtensionRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def grant_round_extension(
    session: SessionDep,
    principal: Allowed("round.grant_extension"),
    round_id: Id,
    body: ExtensionCreate,
):
    """Let one unit submit until `until`, even after the round closed; the approver is kept."""
    extension = await rounds.grant_extension(session, principal, round_id, body)
    return ExtensionRead.model_validate(extension)


@router.get(
    "/rounds/{round_id}/extensions",
    summary="List a round's extensions",
    response_model=ListEnvelope[ExtensionRead],
    responses=NOT_FOUND,
)
async def list_round_extensions(
    session: SessionDep,
    principal: Allowed("round.list_extensions"),
    round_id: Id,
    page: PageDep,
    listing: Listed(EXTENSION_SORTING),
    fields: Fields(ExtensionRead),
):
    """A unit sees the extensions granted to itself."""
    result = await rounds.list_extensions(
        session, principal, round_id, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result, [ExtensionRead.model_validate(e) for e in result.items]))
