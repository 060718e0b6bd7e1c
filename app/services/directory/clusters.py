"""Clusters: cụm, khối thi đua, with head (Trưởng khối), deputies and members."""

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import (
    PageResult,
    flush_or_conflict,
    like_folded,
    paginate,
    touch,
)
from app.core.principal import CLUSTER_HEAD, COUNCIL_MEMBER, NOI_VU, READER, UNIT, Principal
from app.core.text import nfc, search_text
from app.models import (
    Cluster,
    ClusterMembership,
    Unit,
)
from app.schemas.directory import ClusterCreate, ClusterUpdate
from app.services import audit, permissions

# What an audit entry records of a cluster: the contract's shape, memberships included.
CLUSTER_FIELDS = (
    "id", "year", "kind", "name", "head_unit_id", "deputy_head_unit_ids", "member_unit_ids",
    "deputies_verify", "head_defines_table", "version",
)  # fmt: skip


def _audited(cluster: Cluster) -> dict:
    return audit.snapshot(cluster, CLUSTER_FIELDS)


def _cluster_scope(stmt, principal: Principal):
    """A cluster head sees its own cluster; a unit the clusters it belongs to."""
    if principal.role == CLUSTER_HEAD:
        return stmt.where(Cluster.id == principal.cluster_id)
    if principal.role == UNIT:
        member_of = select(ClusterMembership.cluster_id).where(
            ClusterMembership.unit_id == principal.unit_id
        )
        return stmt.where(Cluster.id.in_(member_of))
    if principal.role in (NOI_VU, COUNCIL_MEMBER, READER):
        return stmt
    return stmt.where(false())


CLUSTER_SORTING = sorting(Cluster, "id", ["year", "name", "kind"])


async def list_clusters(
    session: AsyncSession,
    principal: Principal,
    *,
    year: int | None,
    kind: str | None,
    unit_id: int | None,
    q: str | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = select(Cluster).options(selectinload(Cluster.memberships))
    stmt = _cluster_scope(stmt, principal)
    if year:
        stmt = stmt.where(Cluster.year == year)
    if kind:
        stmt = stmt.where(Cluster.kind == kind)
    if unit_id:
        stmt = stmt.where(
            Cluster.id.in_(
                select(ClusterMembership.cluster_id).where(ClusterMembership.unit_id == unit_id)
            )
        )
    if q:
        stmt = stmt.where(like_folded(Cluster.search_text, q))
    return await paginate(session, CLUSTER_SORTING.apply(stmt, listing), limit, offset)


async def get_cluster(session: AsyncSession, principal: Principal, cluster_id: int) -> Cluster:
    stmt = _cluster_scope(
        select(Cluster).options(selectinload(Cluster.memberships)).where(Cluster.id == cluster_id),
        principal,
    )
    cluster = await session.scalar(stmt)
    if cluster is None:
        raise NotFound(f"Không tìm thấy cụm, khối thi đua có mã số {cluster_id}.")
    return cluster


def _roles_from(head: int | None, deputies: list[int], members: list[int]) -> dict[int, str]:
    roles: dict[int, str] = dict.fromkeys(members, "member")
    roles.update(dict.fromkeys(deputies, "deputy"))
    if head is not None:
        if head in deputies:
            raise Unprocessable(
                "Một đơn vị không thể vừa là Trưởng khối vừa là Phó trưởng khối.",
                code="head_is_deputy",
            )
        roles[head] = "head"
    return roles


async def _set_memberships(session: AsyncSession, cluster: Cluster, roles: dict[int, str]) -> None:
    known = set(await session.scalars(select(Unit.id).where(Unit.id.in_(roles))))
    if unknown := sorted(set(roles) - known):
        raise Unprocessable(f"Không có đơn vị mã số {unknown}.", code="unknown_reference")
    taken = (
        await session.execute(
            select(ClusterMembership.unit_id, Cluster.name)
            .join(Cluster, Cluster.id == ClusterMembership.cluster_id)
            .where(
                ClusterMembership.year == cluster.year,
                ClusterMembership.unit_id.in_(roles),
                ClusterMembership.cluster_id != (cluster.id or -1),
            )
        )
    ).all()
    if taken:
        names = "; ".join(f"đơn vị {uid} đã thuộc '{name}'" for uid, name in taken)
        raise Conflict(
            f"Mỗi đơn vị chỉ thuộc một cụm, khối trong một năm: {names}.",
            code="unit_already_in_cluster",
        )
    existing = {m.unit_id: m for m in cluster.memberships}
    for unit_id, membership in existing.items():
        if unit_id not in roles:
            cluster.memberships.remove(membership)
    for unit_id, role in roles.items():
        if unit_id in existing:
            existing[unit_id].role = role
        else:
            cluster.memberships.append(
                ClusterMembership(unit_id=unit_id, year=cluster.year, role=role)
            )
    # A concurrent request may have placed one of the units first.
    await flush_or_conflict(
        session,
        "Một đơn vị vừa được xếp vào cụm, khối khác; tải lại rồi thử lại.",
        code="unit_already_in_cluster",
    )


async def create_cluster(session: AsyncSession, actor: Principal, data: ClusterCreate) -> Cluster:
    permissions.require(actor, "cluster.create")
    cluster = Cluster(year=data.year, kind=data.kind, name=nfc(data.name))
    cluster.search_text = search_text(cluster.name)
    cluster.memberships = []
    session.add(cluster)
    await flush_or_conflict(
        session,
        f"Năm {data.year} đã có cụm, khối tên '{data.name}'.",
        code="duplicate_cluster",
    )
    roles = _roles_from(data.head_unit_id, data.deputy_head_unit_ids, data.member_unit_ids)
    await _set_memberships(session, cluster, roles)
    await audit.record(
        session, actor, "cluster.created", "cluster", cluster.id, after=_audited(cluster)
    )
    return cluster


async def update_cluster(
    session: AsyncSession,
    actor: Principal,
    cluster_id: int,
    changes: ClusterUpdate,
    expected: int | None,
) -> Cluster:
    permissions.require(actor, "cluster.update")
    cluster = await get_cluster(session, actor, cluster_id)
    sent = changes.model_fields_set

    async def apply() -> None:
        head, deputies, members = (
            cluster.head_unit_id, cluster.deputy_head_unit_ids, cluster.member_unit_ids
        )  # fmt: skip
        if changes.kind is not None:
            cluster.kind = changes.kind
        if changes.name is not None:
            cluster.name = nfc(changes.name)
        if changes.deputies_verify is not None:
            cluster.deputies_verify = changes.deputies_verify
        if changes.head_defines_table is not None:
            cluster.head_defines_table = changes.head_defines_table
        cluster.search_text = search_text(cluster.name)
        # A rename onto another cluster's name of the same year is a 409, never a 500 (read the
        # name now: a failed flush expires the object).
        year, name = cluster.year, cluster.name
        await flush_or_conflict(
            session, f"Năm {year} đã có cụm, khối tên '{name}'.", code="duplicate_cluster"
        )
        if {"head_unit_id", "deputy_head_unit_ids", "member_unit_ids"} & sent:
            roles = _roles_from(
                changes.head_unit_id if "head_unit_id" in sent else head,
                changes.deputy_head_unit_ids
                if changes.deputy_head_unit_ids is not None
                else deputies,
                changes.member_unit_ids if changes.member_unit_ids is not None else members,
            )
            await _set_memberships(session, cluster, roles)
            touch(cluster)

    return await audit.audited_update(
        session, actor, cluster, apply, expected,
        action="cluster.updated", entity="cluster", audited=_audited,
    )  # fmt: skip


async def cluster_of_unit(session: AsyncSession, unit_id: int, year: int) -> int | None:
    return await session.scalar(
        select(ClusterMembership.cluster_id).where(
            ClusterMembership.unit_id == unit_id, ClusterMembership.year == year
        )
    )
