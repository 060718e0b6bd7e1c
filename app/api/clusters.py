"""Clusters: cụm, khối thi đua, with their head (Trưởng khối), deputies and members."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.deps import AnyRole, IfMatch, NoiVu, PageDep, SessionDep
from app.api.responses import CONFLICT, NOT_FOUND, PROBLEMS, VERSIONED, envelope, set_etag
from app.api.routing import TransactionalRoute
from app.schemas.common import Id, ListEnvelope
from app.schemas.directory import ClusterCreate, ClusterKind, ClusterRead, ClusterUpdate
from app.services import directory

router = APIRouter(route_class=TransactionalRoute, responses=PROBLEMS, tags=["directory"])


@router.get("/clusters", response_model=ListEnvelope[ClusterRead])
async def list_clusters(
    session: SessionDep,
    principal: AnyRole,
    page: PageDep,
    year: int | None = None,
    kind: ClusterKind | None = None,
    unit_id: Id | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
):
    """A cluster head sees its own cluster; a unit the clusters it belongs to."""
    result = await directory.list_clusters(
        session, principal, year=year, kind=kind, unit_id=unit_id, q=q,
        limit=page.limit, offset=page.offset,
    )  # fmt: skip
    return envelope(result, [directory.cluster_view(c) for c in result.items])


@router.post(
    "/clusters",
    response_model=ClusterRead,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
)
async def create_cluster(
    session: SessionDep, principal: NoiVu, body: ClusterCreate, response: Response
):
    """A unit is in at most one cluster a year (409 `unit_already_in_cluster`)."""
    cluster = await directory.create_cluster(session, principal, body.model_dump())
    response.headers["Location"] = f"/api/v1/clusters/{cluster.id}"
    set_etag(response, cluster.version)
    return directory.cluster_view(cluster)


@router.get("/clusters/{cluster_id}", response_model=ClusterRead, responses=NOT_FOUND)
async def get_cluster(session: SessionDep, principal: AnyRole, cluster_id: Id, response: Response):
    cluster = await directory.get_cluster(session, principal, cluster_id)
    set_etag(response, cluster.version)
    return directory.cluster_view(cluster)


@router.patch(
    "/clusters/{cluster_id}",
    response_model=ClusterRead,
    responses={**NOT_FOUND, **VERSIONED, **CONFLICT},
)
async def update_cluster(
    session: SessionDep,
    principal: NoiVu,
    cluster_id: Id,
    body: ClusterUpdate,
    expected: IfMatch,
    response: Response,
):
    cluster = await directory.update_cluster(
        session, principal, cluster_id, body.model_dump(exclude_unset=True), expected
    )
    set_etag(response, cluster.version)
    return directory.cluster_view(cluster)
