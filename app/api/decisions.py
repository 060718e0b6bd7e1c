"""Decisions (quyết định khen thưởng, tờ trình cấp Nhà nước), state-level results, and complaints
(đơn thư khiếu nại, tố cáo) that block decisions."""

from typing import Annotated, Any

from fastapi import Query, Request, Response, status
from fastapi.responses import FileResponse

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, IfMatch, Listed, OptionalIfMatch, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import (
    CONFLICT,
    CREATED,
    NOT_FOUND,
    VERSIONED,
    envelope,
    set_etag,
    stored_file,
)
from app.api.routing import end_reads, feature_router
from app.schemas.common import Id, ListEnvelope, Problem, RowWith
from app.schemas.decisions import (
    ComplaintCreate,
    ComplaintRead,
    ComplaintResolve,
    DecisionCreate,
    DecisionFilter,
    DecisionKind,
    DecisionRead,
    DecisionUpdate,
    StateResultCreate,
    StateResultRead,
)
from app.services.decisions import complaints, records, signed, state
from app.services.decisions.records import DECISION_SORTING

router = feature_router()


@router.post(
    "/decisions",
    summary="Record a commendation decision",
    response_model=DecisionRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
    tags=["decisions"],
)
async def record_decision(
    session: SessionDep,
    principal: Allowed("decision.record"),
    body: DecisionCreate,
    response: Response,
):
    """`provincial_award`: provincial award types, approved by the council or — when the type
    needs no vote — appraised eligible; they become `awarded` and enter the award history.
    `state_submission`: state-level types likewise; they become `submitted_to_state`. Refused
    nominations: 422 `nominations_not_decidable` with `refused`; an open complaint: 409
    `open_complaint`; a number already used for that kind and year: 409
    `duplicate_decision_number`."""
    decision = await records.record(session, principal, body)
    response.headers["Location"] = f"/api/v1/decisions/{decision.id}"
    set_etag(response, decision.version)
    return DecisionRead.model_validate(decision)


@router.get(
    "/decisions",
    summary="List the commendation decisions",
    response_model=ListEnvelope[DecisionRead],
    tags=["decisions"],
)
async def list_decisions(
    session: SessionDep,
    principal: Allowed("decision.list"),
    fields: Fields(DecisionRead),
    page: PageDep,
    listing: Listed(DECISION_SORTING),
    kind: DecisionKind | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    nomination_id: Id | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
):
    """The commendation decisions (quyết định khen thưởng), filtered by `kind`, `year`,
    `nomination_id` or `q`."""
    filters = DecisionFilter(kind=kind, year=year, nomination_id=nomination_id, q=q)
    result = await records.list_decisions(
        session, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result, [DecisionRead.model_validate(d) for d in result.items]))


@router.get(
    "/decisions/{decision_id}",
    summary="Read a commendation decision",
    response_model=DecisionRead,
    responses=NOT_FOUND,
    tags=["decisions"],
)
async def get_decision(
    session: SessionDep, principal: Allowed("decision.read"), decision_id: Id, response: Response
):
    """One decision (quyết định khen thưởng) with the nominations it covers."""
    decision = await records.get(session, decision_id)
    set_etag(response, decision.version)
    return DecisionRead.model_validate(decision)


@router.patch(
    "/decisions/{decision_id}",
    summary="Correct a commendation decision's number, date or signer",
    response_model=DecisionRead,
    responses={**NOT_FOUND, **VERSIONED, **CONFLICT},
    tags=["decisions"],
)
async def correct_decision(
    session: SessionDep,
    principal: Allowed("decision.correct"),
    decision_id: Id,
    body: DecisionUpdate,
    expected: IfMatch,
    response: Response,
):
    """Correct what was recorded against the signed paper (số quyết định, ngày ký, người ký).
    The award history rows the decision wrote take the new number and date; a number already
    used for that kind and year: 409 `duplicate_decision_number`."""
    decision = await signed.correct(session, principal, decision_id, body, expected)
    set_etag(response, decision.version)
    return DecisionRead.model_validate(decision)


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description,
            "content": {"application/problem+json": {}}}  # fmt: skip


_SIGNED_PDF_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.put(
    "/decisions/{decision_id}/signed-pdf",
    summary="Upload or replace a decision's signed PDF",
    response_model=DecisionRead,
    responses={
        **NOT_FOUND,
        **VERSIONED,
        413: _problem("Tệp vượt quá giới hạn dung lượng"),
        415: _problem("Không phải PDF (xét theo nội dung)"),
    },
    openapi_extra=_SIGNED_PDF_BODY,
    tags=["decisions"],
)
async def upload_signed_decision(
    session: SessionDep,
    principal: Allowed("decision.attach_signed"),
    decision_id: Id,
    expected: OptionalIfMatch,
    request: Request,
    response: Response,
):
    """multipart `file`: the signed decision (bản quyết định đã ký), PDF only, judged by its
    bytes, within the papers' size limit. The first upload needs no If-Match; replacing one
    does (428 without it, 412 when stale). Audited, with an event."""
    headers = {name: request.headers.get(name) for name in ("content-type", "content-length")}
    decision = await signed.upload(
        session, principal, decision_id, request.stream(), headers, expected,
        request.app.state.settings, end_reads,
    )  # fmt: skip
    set_etag(response, decision.version)
    return DecisionRead.model_validate(decision)


@router.get(
    "/decisions/{decision_id}/signed-pdf",
    summary="Download a decision's signed PDF",
    response_class=FileResponse,
    responses={**NOT_FOUND, 200: {"content": {"application/pdf": {}}}},
    tags=["decisions"],
)
async def download_signed_decision(
    session: SessionDep,
    principal: Allowed("decision.download_signed"),
    decision_id: Id,
    request: Request,
):
    """The signed PDF as uploaded, as a download; 404 while none has been uploaded."""
    decision, path = await signed.content(
        session, principal, decision_id, request.app.state.settings
    )
    return stored_file(path, "application/pdf", decision.signed_pdf_filename)


@router.post(
    "/nominations/{nomination_id}/state-result",
    summary="Record the central government's answer on a nomination",
    response_model=StateResultRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
    tags=["decisions"],
)
async def record_state_result(
    session: SessionDep,
    principal: Allowed("state_result.record"),
    nomination_id: Id,
    body: StateResultCreate,
):
    """The centre's answer on a nomination `submitted_to_state`: `awarded` enters the award
    history, `rejected` ends it."""
    result = await state.record_result(session, principal, nomination_id, body)
    return StateResultRead.model_validate(RowWith(result, status=body.outcome))


@router.post(
    "/nominations/{nomination_id}/complaints",
    summary="Record a complaint about a nomination",
    response_model=ComplaintRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CREATED},
    tags=["complaints"],
)
async def record_complaint(
    session: SessionDep,
    principal: Allowed("complaint.record"),
    nomination_id: Id,
    body: ComplaintCreate,
    response: Response,
):
    """While open, no decision is taken on the nomination (409 `open_complaint`)."""
    row = await complaints.record(session, principal, nomination_id, body)
    response.headers["Location"] = f"/api/v1/complaints/{row.id}"
    set_etag(response, row.version)
    return ComplaintRead.model_validate(row)


@router.get(
    "/nominations/{nomination_id}/complaints",
    summary="List a nomination's complaints",
    response_model=list[ComplaintRead],
    responses=NOT_FOUND,
    tags=["complaints"],
)
async def list_complaints(
    session: SessionDep, principal: Allowed("complaint.list"), nomination_id: Id
):
    """The complaints (khiếu nại, phản ánh) about a nomination, open and resolved."""
    rows = await complaints.for_nomination(session, principal, nomination_id)
    return [ComplaintRead.model_validate(r) for r in rows]


@router.get(
    "/complaints/{complaint_id}",
    summary="Read a complaint",
    response_model=ComplaintRead,
    responses=NOT_FOUND,
    tags=["complaints"],
)
async def get_complaint(
    session: SessionDep, principal: Allowed("complaint.read"), complaint_id: Id, response: Response
):
    """One complaint (khiếu nại, phản ánh) with its resolution, if any."""
    row = await complaints.get(session, principal, complaint_id)
    set_etag(response, row.version)
    return ComplaintRead.model_validate(row)


async def _resolved(call: ActionCall) -> ComplaintRead:
    row = await complaints.resolve(call.session, call.principal, call.id, call.body, call.expected)
    set_etag(call.response, row.version)
    return ComplaintRead.model_validate(row)


add_action_route(
    router,
    "/complaints/{complaint_id}/resolve",
    _resolved,
    name="resolve_complaint",
    summary="Resolve a complaint",
    action="complaint.resolve",
    body=ComplaintResolve,
    body_required=True,
    doc="""`upheld: true` (có cơ sở) rejects a nomination not yet decided (submitted, eligible,
    approved or submitted to the centre); an award already conferred keeps its status, since
    revoking it is a separate procedure.""",
    response_model=ComplaintRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
    tags=["complaints"],
)
