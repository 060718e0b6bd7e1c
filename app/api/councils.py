"""The council (Hội đồng Thi đua - Khen thưởng tỉnh) and its members."""

from fastapi import APIRouter, Response, status

from app.api.deps import IfMatch, NoiVu, PageDep, SessionDep, roles
from app.api.responses import NOT_FOUND, PROBLEMS, VERSIONED, envelope, set_etag
from app.api.routing import TransactionalRoute
from app.schemas.common import Id, ListEnvelope
from app.schemas.directory import (
    CouncilCreate,
    CouncilMemberCreate,
    CouncilMemberRead,
    CouncilMemberUpdate,
    CouncilRead,
    CouncilUpdate,
)
from app.services import directory
from app.services.principal import COUNCIL_MEMBER, NOI_VU, READER

router = APIRouter(route_class=TransactionalRoute, responses=PROBLEMS, tags=["directory"])
CouncilReader = roles(NOI_VU, COUNCIL_MEMBER, READER)


@router.get("/councils", response_model=ListEnvelope[CouncilRead])
async def list_councils(session: SessionDep, principal: CouncilReader, page: PageDep):
    """A council member sees the council they sit on."""
    result = await directory.list_councils(session, principal, page.limit, page.offset)
    return envelope(result, await directory.council_views(session, result.items))


@router.post("/councils", response_model=CouncilRead, status_code=status.HTTP_201_CREATED)
async def create_council(
    session: SessionDep, principal: NoiVu, body: CouncilCreate, response: Response
):
    council = await directory.create_council(session, principal, body.model_dump())
    response.headers["Location"] = f"/api/v1/councils/{council.id}"
    set_etag(response, council.version)
    return (await directory.council_views(session, [council]))[0]


@router.get("/councils/{council_id}", response_model=CouncilRead, responses=NOT_FOUND)
async def get_council(
    session: SessionDep, principal: CouncilReader, council_id: Id, response: Response
):
    council = await directory.get_council(session, principal, council_id)
    set_etag(response, council.version)
    return (await directory.council_views(session, [council]))[0]


@router.patch(
    "/councils/{council_id}", response_model=CouncilRead, responses={**NOT_FOUND, **VERSIONED}
)
async def update_council(
    session: SessionDep,
    principal: NoiVu,
    council_id: Id,
    body: CouncilUpdate,
    expected: IfMatch,
    response: Response,
):
    council = await directory.update_council(
        session, principal, council_id, body.model_dump(exclude_unset=True), expected
    )
    set_etag(response, council.version)
    return (await directory.council_views(session, [council]))[0]


@router.post(
    "/councils/{council_id}/members",
    response_model=CouncilMemberRead,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
)
async def add_council_member(
    session: SessionDep,
    principal: NoiVu,
    council_id: Id,
    body: CouncilMemberCreate,
    response: Response,
):
    member = await directory.add_member(session, principal, council_id, body.model_dump())
    response.headers["Location"] = f"/api/v1/councils/{council_id}/members/{member.id}"
    set_etag(response, member.version)
    users = await directory.member_user_ids(session, [member.id])
    return directory.member_view(member, users)


@router.patch(
    "/councils/{council_id}/members/{member_id}",
    response_model=CouncilMemberRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_council_member(
    session: SessionDep,
    principal: NoiVu,
    council_id: Id,
    member_id: Id,
    body: CouncilMemberUpdate,
    expected: IfMatch,
    response: Response,
):
    member = await directory.update_member(
        session, principal, council_id, member_id, body.model_dump(exclude_unset=True), expected
    )
    set_etag(response, member.version)
    users = await directory.member_user_ids(session, [member.id])
    return directory.member_view(member, users)


@router.delete(
    "/councils/{council_id}/members/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def remove_council_member(
    session: SessionDep, principal: NoiVu, council_id: Id, member_id: Id
) -> Response:
    """The member leaves the council; past meetings keep referring to them."""
    await directory.remove_member(session, principal, council_id, member_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
