"""Complaints (đơn thư khiếu nại, tố cáo) about nominations; an open one blocks decisions."""

from fastapi import APIRouter, Response, status

from app.api.deps import NoiVu, OptionalIfMatch, SessionDep, roles
from app.api.responses import CONFLICT, NOT_FOUND, PROBLEMS, VERSIONED, set_etag
from app.api.routing import TransactionalRoute
from app.schemas.common import Id
from app.schemas.decisions import ComplaintCreate, ComplaintRead, ComplaintResolve
from app.services.decisions import complaints
from app.services.principal import COUNCIL_MEMBER, NOI_VU

router = APIRouter(route_class=TransactionalRoute, responses=PROBLEMS, tags=["complaints"])
ComplaintReader = roles(NOI_VU, COUNCIL_MEMBER)


@router.post(
    "/nominations/{nomination_id}/complaints",
    response_model=ComplaintRead,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
)
async def record_complaint(
    session: SessionDep,
    principal: NoiVu,
    nomination_id: Id,
    body: ComplaintCreate,
    response: Response,
):
    """While open, no decision is taken on the nomination (409 `open_complaint`)."""
    row = await complaints.record(session, principal, nomination_id, body.model_dump())
    response.headers["Location"] = f"/api/v1/complaints/{row.id}"
    set_etag(response, row.version)
    return complaints.view(row)


@router.get(
    "/nominations/{nomination_id}/complaints",
    response_model=list[ComplaintRead],
    responses=NOT_FOUND,
)
async def list_complaints(session: SessionDep, principal: ComplaintReader, nomination_id: Id):
    rows = await complaints.for_nomination(session, principal, nomination_id)
    return [complaints.view(r) for r in rows]


@router.get("/complaints/{complaint_id}", response_model=ComplaintRead, responses=NOT_FOUND)
async def get_complaint(
    session: SessionDep, principal: ComplaintReader, complaint_id: Id, response: Response
):
    row = await complaints.get(session, principal, complaint_id)
    set_etag(response, row.version)
    return complaints.view(row)


@router.post(
    "/complaints/{complaint_id}/resolve",
    response_model=ComplaintRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
)
async def resolve_complaint(
    session: SessionDep,
    principal: NoiVu,
    complaint_id: Id,
    body: ComplaintResolve,
    expected: OptionalIfMatch,
    response: Response,
):
    """`upheld: true` (có cơ sở) rejects a nomination not yet decided (submitted, eligible,
    approved or submitted to the centre); an award already conferred keeps its status, since
    revoking it is a separate procedure."""
    row = await complaints.resolve(session, principal, complaint_id, body.model_dump(), expected)
    set_etag(response, row.version)
    return complaints.view(row)
