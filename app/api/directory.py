"""The directory: units (cơ quan, đơn vị, địa phương), clusters (cụm/khối thi đua) and the
council (Hội đồng TĐKT tỉnh) with its members."""

from typing import Annotated

from fastapi import Query, Response, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.directory import (
    ClusterCreate,
    ClusterKind,
    ClusterRead,
    ClusterUpdate,
    CouncilCreate,
    CouncilMemberCreate,
    CouncilMemberRead,
    CouncilMemberUpdate,
    CouncilRead,
    CouncilUpdate,
    UnitCreate,
    UnitKind,
    UnitRead,
    UnitUpdate,
)
from app.services import directory
from app.services.directory.clusters import CLUSTER_SORTING
from app.services.directory.councils import COUNCIL_SORTING
from app.services.directory.units import UNIT_SORTING

router = feature_router(tags=["directory"])


@router.get("/units", summary="Search the units", response_model=ListEnvelope[UnitRead])
async def list_units(
    session: SessionDep,
    principal: Allowed("unit.list"),
    page: PageDep,
    listing: Listed(UNIT_SORTING),
    fields: Fields(UnitRead),
    q: Annotated[
        str | None, Query(max_length=200, description="Tìm theo tên, tên tắt, bí danh; không dấu")
    ] = None,
    kind: UnitKind | None = None,
    active: bool | None = None,
):
    """Units (đơn vị): `q` searches names, codes and aliases without diacritics."""
    result = await directory.list_units(
        session,
        q=q,
        kind=kind,
        active=active,
        limit=page.limit,
        offset=page.offset,
        listing=listing,
    )
    return fields.apply(envelope(result))


@router.post(
    "/units",
    summary="Add a unit",
    response_model=UnitRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
)
async def create_unit(
    session: SessionDep, principal: Allowed("unit.create"), body: UnitCreate, response: Response
):
    """A unit (đơn vị) of the province; its `code` is unique (409 `unit_code_taken`)."""
    unit = await directory.create_unit(session, principal, body)
    response.headers["Location"] = f"/api/v1/units/{unit.id}"
    set_etag(response, unit.version)
    return unit


@router.get("/units/{unit_id}", summary="Read a unit", response_model=UnitRead, responses=NOT_FOUND)
async def get_unit(
    session: SessionDep, principal: Allowed("unit.read"), unit_id: Id, response: Response
):
    """One unit (đơn vị) with its kind and aliases."""
    unit = await directory.get_unit(session, unit_id)
    set_etag(response, unit.version)
    return unit


@router.patch(
    "/units/{unit_id}",
    summary="Change a unit",
    response_model=UnitRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_unit(
    session: SessionDep,
    principal: Allowed("unit.update"),
    unit_id: Id,
    body: UnitUpdate,
    expected: IfMatch,
    response: Response,
):
    """Rename a unit (đơn vị), change its kind or aliases, or deactivate it; only the fields sent
    change."""
    unit = await directory.update_unit(session, principal, unit_id, body, expected)
    set_etag(response, unit.version)
    return unit


@router.get(
    "/clusters", summary="List the emulation clusters", response_model=ListEnvelope[ClusterRead]
)
async def list_clusters(
    session: SessionDep,
    principal: Allowed("cluster.list"),
    page: PageDep,
    listing: Listed(CLUSTER_SORTING),
    fields: Fields(ClusterRead),
    year: int | None = None,
    kind: ClusterKind | None = None,
    unit_id: Id | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
):
    """A cluster head sees its own cluster; a unit the clusters it belongs to."""
    result = await directory.list_clusters(
        session, principal, year=year, kind=kind, unit_id=unit_id, q=q,
        limit=page.limit, offset=page.offset, listing=listing,
    )  # fmt: skip
    return fields.apply(envelope(result))


@router.post(
    "/clusters",
    summary="Create a cluster for a year",
    response_model=ClusterRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
)
async def create_cluster(
    session: SessionDep,
    principal: Allowed("cluster.create"),
    body: ClusterCreate,
    response: Response,
):
    """A unit is in at most one cluster a year (409 `unit_already_in_cluster`)."""
    cluster = await directory.create_cluster(session, principal, body)
    response.headers["Location"] = f"/api/v1/clusters/{cluster.id}"
    set_etag(response, cluster.version)
    return cluster


@router.get(
    "/clusters/{cluster_id}",
    summary="Read a cluster",
    response_model=ClusterRead,
    responses=NOT_FOUND,
)
async def get_cluster(
    session: SessionDep, principal: Allowed("cluster.read"), cluster_id: Id, response: Response
):
    """One cluster or bloc (cụm, khối thi đua) with its head and members."""
    cluster = await directory.get_cluster(session, principal, cluster_id)
    set_etag(response, cluster.version)
    return cluster


@router.patch(
    "/clusters/{cluster_id}",
    summary="Change a cluster or its members",
    response_model=ClusterRead,
    responses={**NOT_FOUND, **VERSIONED, **CONFLICT},
)
async def update_cluster(
    session: SessionDep,
    principal: Allowed("cluster.update"),
    cluster_id: Id,
    body: ClusterUpdate,
    expected: IfMatch,
    response: Response,
):
    """Rename a cluster (cụm, khối thi đua), change its head or its member units; a unit stays in
    at most one cluster a year (409 `unit_already_in_cluster`)."""
    cluster = await directory.update_cluster(session, principal, cluster_id, body, expected)
    set_etag(response, cluster.version)
    return cluster


@router.get("/councils", summary="List the councils", response_model=ListEnvelope[CouncilRead])
async def list_councils(
    session: SessionDep,
    principal: Allowed("council.list"),
    page: PageDep,
    listing: Listed(COUNCIL_SORTING),
    fields: Fields(CouncilRead),
):
    """A council member sees the council they sit on."""
    result = await directory.list_councils(
        session, principal, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/councils",
    summary="Create a council",
    response_model=CouncilRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATED,
)
async def create_council(
    session: SessionDep,
    principal: Allowed("council.create"),
    body: CouncilCreate,
    response: Response,
):
    """A council (Hội đồng Thi đua - Khen thưởng) with its decision number; members are added one
    by one."""
    council = await directory.create_council(session, principal, body)
    response.headers["Location"] = f"/api/v1/councils/{council.id}"
    set_etag(response, council.version)
    return council


@router.get(
    "/councils/{council_id}",
    summary="Read a council with its members",
    response_model=CouncilRead,
    responses=NOT_FOUND,
)
async def get_council(
    session: SessionDep, principal: Allowed("council.read"), council_id: Id, response: Response
):
    """One council (Hội đồng Thi đua - Khen thưởng) with its active members."""
    council = await directory.get_council(session, principal, council_id)
    set_etag(response, council.version)
    return council


@router.patch(
    "/councils/{council_id}",
    summary="Change a council",
    response_model=CouncilRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_council(
    session: SessionDep,
    principal: Allowed("council.update"),
    council_id: Id,
    body: CouncilUpdate,
    expected: IfMatch,
    response: Response,
):
    """Rename a council (Hội đồng Thi đua - Khen thưởng) or change its decision number and date."""
    council = await directory.update_council(session, principal, council_id, body, expected)
    set_etag(response, council.version)
    return council


@router.post(
    "/councils/{council_id}/members",
    summary="Add a member to a council",
    response_model=CouncilMemberRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CREATED},
)
async def add_council_member(
    session: SessionDep,
    principal: Allowed("council.add_member"),
    council_id: Id,
    body: CouncilMemberCreate,
    response: Response,
):
    """A member (thành viên Hội đồng) with their position and council role; `user_id` links the
    account that votes for them, `monitored_cluster_ids` the clusters they follow."""
    member = await directory.add_member(session, principal, council_id, body)
    response.headers["Location"] = f"/api/v1/councils/{council_id}/members/{member.id}"
    set_etag(response, member.version)
    return member


@router.patch(
    "/councils/{council_id}/members/{member_id}",
    summary="Change a council member",
    response_model=CouncilMemberRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_council_member(
    session: SessionDep,
    principal: Allowed("council.update_member"),
    council_id: Id,
    member_id: Id,
    body: CouncilMemberUpdate,
    expected: IfMatch,
    response: Response,
):
    """Change a member's name, position, role, links or monitored clusters (thành viên Hội đồng);
    only the fields sent change."""
    member = await directory.update_member(
        session, principal, council_id, member_id, body, expected
    )
    set_etag(response, member.version)
    return member


@router.delete(
    "/councils/{council_id}/members/{member_id}",
    summary="Remove a member from a council",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def remove_council_member(
    session: SessionDep, principal: Allowed("council.remove_member"), council_id: Id, member_id: Id
) -> Response:
    """The member leaves the council; past meetings keep referring to them."""
    await directory.remove_member(session, principal, council_id, member_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
