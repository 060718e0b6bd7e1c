"""Units: cơ quan, đơn vị, địa phương."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.deps import AnyRole, IfMatch, NoiVu, PageDep, SessionDep
from app.api.responses import CONFLICT, NOT_FOUND, PROBLEMS, VERSIONED, envelope, set_etag
from app.api.routing import TransactionalRoute
from app.schemas.common import Id, ListEnvelope
from app.schemas.directory import UnitCreate, UnitKind, UnitRead, UnitUpdate
from app.services import directory

router = APIRouter(route_class=TransactionalRoute, responses=PROBLEMS, tags=["directory"])


@router.get("/units", response_model=ListEnvelope[UnitRead])
async def list_units(
    session: SessionDep,
    principal: AnyRole,
    page: PageDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Tìm theo tên, tên tắt, bí danh; không dấu")
    ] = None,
    kind: UnitKind | None = None,
    active: bool | None = None,
):
    result = await directory.list_units(
        session, q=q, kind=kind, active=active, limit=page.limit, offset=page.offset
    )
    return envelope(result)


@router.post(
    "/units", response_model=UnitRead, status_code=status.HTTP_201_CREATED, responses=CONFLICT
)
async def create_unit(session: SessionDep, principal: NoiVu, body: UnitCreate, response: Response):
    unit = await directory.create_unit(session, principal, body.model_dump())
    response.headers["Location"] = f"/api/v1/units/{unit.id}"
    set_etag(response, unit.version)
    return unit


@router.get("/units/{unit_id}", response_model=UnitRead, responses=NOT_FOUND)
async def get_unit(session: SessionDep, principal: AnyRole, unit_id: Id, response: Response):
    unit = await directory.get_unit(session, unit_id)
    set_etag(response, unit.version)
    return unit


@router.patch("/units/{unit_id}", response_model=UnitRead, responses={**NOT_FOUND, **VERSIONED})
async def update_unit(
    session: SessionDep,
    principal: NoiVu,
    unit_id: Id,
    body: UnitUpdate,
    expected: IfMatch,
    response: Response,
):
    unit = await directory.update_unit(
        session, principal, unit_id, body.model_dump(exclude_unset=True), expected
    )
    set_etag(response, unit.version)
    return unit
