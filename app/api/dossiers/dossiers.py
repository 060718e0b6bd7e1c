"""Dossiers (hồ sơ đề nghị khen thưởng) and their review workflow."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Response, status
from pydantic_core import to_json

from app.api.action_routes import ActionCall, Handler, add_action_route
from app.api.deps import Allowed, DossierFilters, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.dossiers import (
    ActionBody,
    DossierCreate,
    DossierRead,
    DossierSummary,
    DossierUpdate,
    HistoryEntry,
    ReturnBody,
)
from app.services.dossiers import actions, create, queries, reads
from app.services.dossiers.queries import DOSSIER_SORTING, HISTORY_SORTING

router = feature_router(tags=["dossiers"])
ACTION = {"response_model": DossierRead, "responses": {**NOT_FOUND, **CONFLICT, **VERSIONED}}


async def _read(session, principal, dossier, response: Response) -> DossierRead:
    set_etag(response, dossier.version)
    return await reads.dossier_read(session, principal, dossier)


@router.get(
    "/dossiers",
    summary="List the commendation dossiers",
    response_model=ListEnvelope[DossierSummary],
)
async def list_dossiers(
    session: SessionDep,
    principal: Allowed("dossier.list"),
    fields: Fields(DossierSummary),
    filters: DossierFilters,
    page: PageDep,
    listing: Listed(DOSSIER_SORTING),
):
    """Each caller sees its own scope (a unit its dossiers, a cluster head its cluster's, a
    council member the clusters it monitors). `overdue=appraisal`: under appraisal past
    `appraisal_due_on`; `overdue=supplement`: returned and past `supplement_due_on`, as of
    `as_of` (default today in Việt Nam). Each dossier shows its nominations as summaries
    (who, which award, status, how many criteria checks pass, fail or are unknown) and the
    number of its papers: the full nominations and papers are at `GET /dossiers/{id}`."""
    result = await queries.list_dossiers(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    summaries = await reads.dossier_summaries(
        session, result.items, with_nominations=fields.wants("nominations")
    )
    if fields.keep is None:
        # Plain values already named and ordered as the schema writes them (see
        # `reads.dossier_summaries`): written once, not validated into models and back.
        return Response(to_json(envelope(result, summaries)), media_type="application/json")
    return fields.apply(envelope(result, summaries))


@router.post(
    "/dossiers",
    summary="Draft a commendation dossier",
    response_model=DossierRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
)
async def create_dossier(
    session: SessionDep,
    principal: Allowed("dossier.create"),
    body: DossierCreate,
    response: Response,
):
    """A unit drafts its own dossier; a cluster head the cluster's own (e.g. Cờ thi đua for
    the leading unit). The draft gets a code such as `HS-2026-0001`."""
    dossier = await create.create_dossier(session, principal, body)
    response.headers["Location"] = f"/api/v1/dossiers/{dossier.id}"
    return await _read(session, principal, dossier, response)


@router.get(
    "/dossiers/{dossier_id}",
    summary="Read a dossier with its nominations and papers",
    response_model=DossierRead,
    responses=NOT_FOUND,
)
async def get_dossier(
    session: SessionDep, principal: Allowed("dossier.read"), dossier_id: Id, response: Response
):
    """One dossier (hồ sơ đề nghị khen thưởng) with its nominations, papers and each nomination's
    criteria checks, in the caller's scope (404 outside it)."""
    read = await reads.dossier_view(session, principal, dossier_id)
    set_etag(response, read.version)
    return read


@router.patch(
    "/dossiers/{dossier_id}",
    summary="Change a draft or returned dossier",
    response_model=DossierRead,
    responses={**NOT_FOUND, **VERSIONED, **CONFLICT},
)
async def update_dossier(
    session: SessionDep,
    principal: Allowed("dossier.update"),
    dossier_id: Id,
    body: DossierUpdate,
    expected: IfMatch,
    response: Response,
):
    """Title, kind and round, while the dossier is a draft or returned (its owner only)."""
    dossier = await create.update_dossier(session, principal, dossier_id, body, expected)
    return await _read(session, principal, dossier, response)


def _moved_with_comment(move: Callable[..., Awaitable[Any]]) -> Handler:
    """A move whose body is an optional comment (`ActionBody`)."""

    async def handle(call: ActionCall) -> DossierRead:
        comment = call.body.comment if call.body else None
        dossier = await move(call.session, call.principal, call.id, comment, call.expected)
        return await _read(call.session, call.principal, dossier, call.response)

    return handle


async def _returned(call: ActionCall) -> DossierRead:
    dossier = await actions.return_dossier(
        call.session, call.principal, call.id, call.body, call.expected
    )
    return await _read(call.session, call.principal, dossier, call.response)


def _move_route(
    verb: str, name: str, summary: str, handle: Handler, doc: str, **options: Any
) -> None:
    """`POST /dossiers/{id}/<verb>`, bound to the action `dossier.<verb>`; the body is an
    optional `ActionBody` unless `body=` says otherwise."""
    add_action_route(
        router, f"/dossiers/{{dossier_id}}/{verb}", handle, name=name,
        summary=summary, action=f"dossier.{verb.replace('-', '_')}", doc=doc,
        **{"body": ActionBody, **options},
        **ACTION,
    )  # fmt: skip


_move_route(
    "submit",
    "submit_dossier",
    "Submit a dossier",
    _moved_with_comment(actions.submit),
    """`draft|returned → submitted` while the round takes the unit's dossier (409
    `round_closed`), with every required paper (422 `missing_documents`) and no nominee
    proposed for the same award in the same year elsewhere (409 `duplicate_nomination`).""",
)
_move_route(
    "withdraw",
    "withdraw_dossier",
    "Withdraw a dossier",
    _moved_with_comment(actions.withdraw),
    """`draft|submitted|returned → withdrawn`, by the owner.""",
)
_move_route(
    "return",
    "return_dossier",
    "Return a dossier for supplementation",
    _returned,
    """`submitted|under_appraisal → returned` with the reason and a supplementation deadline
    (default 5 working days). Sở Nội vụ should return within `return_due_on`.""",
    body=ReturnBody,
    body_required=True,
)
_move_route(
    "receive",
    "receive_dossier",
    "Receive a dossier for appraisal",
    _moved_with_comment(actions.receive),
    """`submitted → under_appraisal`; `appraisal_due_on` = today + 20 working days.""",
)
_move_route(
    "complete-appraisal",
    "complete_dossier_appraisal",
    "Finish appraising a dossier",
    _moved_with_comment(actions.complete_appraisal),
    """`under_appraisal → appraised` once every nomination is concluded (409
    `appraisal_incomplete` otherwise).""",
)


@router.get(
    "/dossiers/{dossier_id}/history",
    summary="Read a dossier's history",
    response_model=ListEnvelope[HistoryEntry],
    responses=NOT_FOUND,
)
async def get_dossier_history(
    session: SessionDep,
    principal: Allowed("dossier.history"),
    dossier_id: Id,
    page: PageDep,
    listing: Listed(HISTORY_SORTING),
    fields: Fields(HistoryEntry),
):
    """Every recorded step of the dossier, oldest first; readers get no recorded values."""
    result = await queries.history(
        session, principal, dossier_id, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result, reads.history_reads(principal, result.items)))
