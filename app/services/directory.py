"""The directory: units, clusters (cụm/khối thi đua) and the council (Hội đồng TĐKT tỉnh)."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.errors import Conflict, NotFound, Unprocessable
from app.models import (
    Cluster,
    ClusterMembership,
    Council,
    CouncilMember,
    CouncilMemberCluster,
    Unit,
    User,
)
from app.services import audit
from app.services.common import (
    PageResult,
    check_version,
    get_or_404,
    like_folded,
    paginate,
    touch,
)
from app.services.principal import CLUSTER_HEAD, COUNCIL_MEMBER, UNIT, Principal
from app.services.text import nfc, search_text

UNIT_FIELDS = ("code", "name", "short_name", "kind", "aliases", "active")


# ---- units -----------------------------------------------------------------------------------


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for alias in aliases:
        if alias and nfc(alias):
            seen.setdefault(nfc(alias), None)
    return list(seen)


def _refresh_unit_search(unit: Unit) -> None:
    unit.search_text = search_text(unit.code, unit.name, unit.short_name, *unit.aliases)


async def list_units(
    session: AsyncSession,
    *,
    q: str | None,
    kind: str | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> PageResult:
    stmt = select(Unit).order_by(Unit.name, Unit.id)
    if q:
        stmt = stmt.where(like_folded(Unit.search_text, q))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if active is not None:
        stmt = stmt.where(Unit.active == active)
    return await paginate(session, stmt, limit, offset)


async def get_unit(session: AsyncSession, unit_id: int) -> Unit:
    return await get_or_404(session, Unit, unit_id, "đơn vị")


async def create_unit(session: AsyncSession, actor: Principal, data: dict) -> Unit:
    if await session.scalar(select(Unit.id).where(Unit.code == data["code"])):
        raise Conflict(f"Mã đơn vị '{data['code']}' đã tồn tại.", code="unit_code_taken")
    unit = Unit(
        code=data["code"],
        name=nfc(data["name"]),
        short_name=nfc(data["short_name"]) if data.get("short_name") else None,
        kind=data.get("kind", "other"),
        aliases=_clean_aliases(data.get("aliases", [])),
        active=True,
    )
    _refresh_unit_search(unit)
    session.add(unit)
    await session.flush()
    await audit.record(
        session, actor, "unit.created", "unit", unit.id, after=audit.snapshot(unit, UNIT_FIELDS)
    )
    return unit


async def update_unit(
    session: AsyncSession, actor: Principal, unit_id: int, changes: dict, expected: int | None
) -> Unit:
    unit = await get_unit(session, unit_id)
    check_version(unit, expected)
    before = audit.snapshot(unit, UNIT_FIELDS)
    if "aliases" in changes and changes["aliases"] is not None:
        changes["aliases"] = _clean_aliases(changes["aliases"])
    for field in ("name", "short_name"):
        if changes.get(field):
            changes[field] = nfc(changes[field])
    for field, value in changes.items():
        setattr(unit, field, value)
    _refresh_unit_search(unit)
    await session.flush()
    await audit.record(
        session, actor, "unit.updated", "unit", unit.id,
        before=before, after=audit.snapshot(unit, UNIT_FIELDS),
    )  # fmt: skip
    return unit


# ---- clusters --------------------------------------------------------------------------------


def cluster_view(cluster: Cluster) -> dict:
    """The contract's shape: head, deputies and every member unit (head and deputies included)."""
    members = cluster.memberships
    head = next((m.unit_id for m in members if m.role == "head"), None)
    return {
        "id": cluster.id,
        "year": cluster.year,
        "kind": cluster.kind,
        "name": cluster.name,
        "head_unit_id": head,
        "deputy_head_unit_ids": sorted(m.unit_id for m in members if m.role == "deputy"),
        "member_unit_ids": sorted(m.unit_id for m in members),
        "version": cluster.version,
    }


def _cluster_scope(stmt, principal: Principal):
    """A cluster head sees its own cluster; a unit the clusters it belongs to."""
    if principal.role == CLUSTER_HEAD:
        return stmt.where(Cluster.id == principal.cluster_id)
    if principal.role == UNIT:
        member_of = select(ClusterMembership.cluster_id).where(
            ClusterMembership.unit_id == principal.unit_id
        )
        return stmt.where(Cluster.id.in_(member_of))
    return stmt


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
) -> PageResult:
    stmt = select(Cluster).options(selectinload(Cluster.memberships)).order_by(Cluster.id)
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
    return await paginate(session, stmt, limit, offset)


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
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request placed one of the units first
        raise Conflict(
            "Một đơn vị vừa được xếp vào cụm, khối khác; tải lại rồi thử lại.",
            code="unit_already_in_cluster",
        ) from exc


async def create_cluster(session: AsyncSession, actor: Principal, data: dict) -> Cluster:
    cluster = Cluster(year=data["year"], kind=data["kind"], name=nfc(data["name"]))
    cluster.search_text = search_text(cluster.name)
    cluster.memberships = []
    session.add(cluster)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"Năm {data['year']} đã có cụm, khối tên '{data['name']}'.", code="duplicate_cluster"
        ) from exc
    roles = _roles_from(
        data.get("head_unit_id"), data.get("deputy_head_unit_ids", []), data["member_unit_ids"]
    )
    await _set_memberships(session, cluster, roles)
    await audit.record(
        session, actor, "cluster.created", "cluster", cluster.id, after=cluster_view(cluster)
    )
    return cluster


async def update_cluster(
    session: AsyncSession, actor: Principal, cluster_id: int, changes: dict, expected: int | None
) -> Cluster:
    cluster = await get_cluster(session, actor, cluster_id)
    check_version(cluster, expected)
    before = cluster_view(cluster)
    for field in ("kind", "name"):
        if changes.get(field) is not None:
            setattr(cluster, field, nfc(changes[field]) if field == "name" else changes[field])
    cluster.search_text = search_text(cluster.name)
    if {"head_unit_id", "deputy_head_unit_ids", "member_unit_ids"} & changes.keys():
        merged = {k: v if v is not None else before[k] for k, v in changes.items()}
        roles = _roles_from(
            changes.get("head_unit_id", before["head_unit_id"]),
            merged.get("deputy_head_unit_ids", before["deputy_head_unit_ids"]),
            merged.get("member_unit_ids", before["member_unit_ids"]),
        )
        await _set_memberships(session, cluster, roles)
        touch(cluster)
    await session.flush()
    await audit.record(
        session, actor, "cluster.updated", "cluster", cluster.id,
        before=before, after=cluster_view(cluster),
    )  # fmt: skip
    return cluster


async def cluster_of_unit(session: AsyncSession, unit_id: int, year: int) -> int | None:
    return await session.scalar(
        select(ClusterMembership.cluster_id).where(
            ClusterMembership.unit_id == unit_id, ClusterMembership.year == year
        )
    )


# ---- councils --------------------------------------------------------------------------------


def _council_options():
    return selectinload(Council.members).selectinload(CouncilMember.monitored)


async def member_user_ids(session: AsyncSession, member_ids: list[int]) -> dict[int, int]:
    rows = await session.execute(
        select(User.council_member_id, User.id).where(User.council_member_id.in_(member_ids))
    )
    return dict(rows.all())


def member_view(member: CouncilMember, user_ids: dict[int, int]) -> dict:
    return {
        "id": member.id,
        "council_id": member.council_id,
        "full_name": member.full_name,
        "position": member.position,
        "council_role": member.council_role,
        "unit_id": member.unit_id,
        "user_id": user_ids.get(member.id),
        "monitored_cluster_ids": [m.cluster_id for m in member.monitored],
        "active": member.active,
        "version": member.version,
    }


async def council_views(session: AsyncSession, councils: list[Council]) -> list[dict]:
    ids = [m.id for c in councils for m in c.members]
    users = await member_user_ids(session, ids)
    return [
        {
            "id": c.id,
            "name": c.name,
            "decision_no": c.decision_no,
            "effective_from": c.effective_from,
            "version": c.version,
            "members": [member_view(m, users) for m in c.members if m.active],
        }
        for c in councils
    ]


def _council_scope(stmt, principal: Principal):
    if principal.role == COUNCIL_MEMBER:
        own = select(CouncilMember.council_id).where(
            CouncilMember.id == principal.council_member_id
        )
        return stmt.where(Council.id.in_(own))
    return stmt


async def list_councils(
    session: AsyncSession, principal: Principal, limit: int, offset: int
) -> PageResult:
    stmt = _council_scope(
        select(Council).options(_council_options()).order_by(Council.id), principal
    )
    return await paginate(session, stmt, limit, offset)


async def get_council(session: AsyncSession, principal: Principal, council_id: int) -> Council:
    stmt = _council_scope(
        select(Council).options(_council_options()).where(Council.id == council_id), principal
    )
    council = await session.scalar(stmt)
    if council is None:
        raise NotFound(f"Không tìm thấy Hội đồng có mã số {council_id}.")
    return council


async def create_council(session: AsyncSession, actor: Principal, data: dict) -> Council:
    council = Council(**{**data, "name": nfc(data["name"])})
    session.add(council)
    await session.flush()
    await audit.record(
        session, actor, "council.created", "council", council.id,
        after={"name": council.name, "decision_no": council.decision_no},
    )  # fmt: skip
    return await get_council(session, actor, council.id)


async def update_council(
    session: AsyncSession, actor: Principal, council_id: int, changes: dict, expected: int | None
) -> Council:
    council = await get_council(session, actor, council_id)
    check_version(council, expected)
    before = {"name": council.name, "decision_no": council.decision_no}
    for field, value in changes.items():
        setattr(council, field, value)
    await session.flush()
    await audit.record(
        session, actor, "council.updated", "council", council.id,
        before=before, after={"name": council.name, "decision_no": council.decision_no},
    )  # fmt: skip
    return council


async def _link_user(session: AsyncSession, member: CouncilMember, user_id: int | None) -> None:
    current = await session.scalars(select(User).where(User.council_member_id == member.id))
    for user in current:
        if user.id != user_id:
            user.council_member_id = None
    if user_id is None:
        return
    user = await session.get(User, user_id)
    if user is None or user.role != COUNCIL_MEMBER:
        raise Unprocessable(
            f"Tài khoản {user_id} không tồn tại hoặc không có vai trò council_member.",
            code="invalid_user_link",
        )
    user.council_member_id = member.id


async def _set_monitored(session: AsyncSession, member: CouncilMember, cluster_ids: list[int]):
    known = set(await session.scalars(select(Cluster.id).where(Cluster.id.in_(cluster_ids))))
    if unknown := sorted(set(cluster_ids) - known):
        raise Unprocessable(f"Không có cụm, khối mã số {unknown}.", code="unknown_reference")
    member.monitored = [CouncilMemberCluster(cluster_id=c) for c in dict.fromkeys(cluster_ids)]


async def get_member(session: AsyncSession, council_id: int, member_id: int) -> CouncilMember:
    member = await session.scalar(
        select(CouncilMember)
        .options(selectinload(CouncilMember.monitored))
        .where(
            CouncilMember.id == member_id,
            CouncilMember.council_id == council_id,
            CouncilMember.active.is_(True),
        )
    )
    if member is None:
        raise NotFound(f"Không tìm thấy thành viên {member_id} của Hội đồng {council_id}.")
    return member


async def add_member(
    session: AsyncSession, actor: Principal, council_id: int, data: dict
) -> CouncilMember:
    await get_council(session, actor, council_id)
    if data.get("unit_id") and not await session.get(Unit, data["unit_id"]):
        raise Unprocessable(f"Không có đơn vị mã số {data['unit_id']}.", code="unknown_reference")
    member = CouncilMember(
        council_id=council_id,
        full_name=nfc(data["full_name"]),
        position=data.get("position"),
        council_role=data.get("council_role", "uy_vien"),
        unit_id=data.get("unit_id"),
        active=True,
    )
    member.monitored = []
    session.add(member)
    await session.flush()
    await _set_monitored(session, member, data.get("monitored_cluster_ids", []))
    await _link_user(session, member, data.get("user_id"))
    await session.flush()
    await audit.record(
        session, actor, "council_member.added", "council_member", member.id,
        after={"council_id": council_id, "full_name": member.full_name,
               "council_role": member.council_role},
    )  # fmt: skip
    return member


async def update_member(
    session: AsyncSession,
    actor: Principal,
    council_id: int,
    member_id: int,
    changes: dict,
    expected: int | None,
) -> CouncilMember:
    member = await get_member(session, council_id, member_id)
    check_version(member, expected)
    before = {"full_name": member.full_name, "council_role": member.council_role}
    if "monitored_cluster_ids" in changes:
        await _set_monitored(session, member, changes.pop("monitored_cluster_ids") or [])
    if "user_id" in changes:
        await _link_user(session, member, changes.pop("user_id"))
    for field, value in changes.items():
        setattr(member, field, value)
    touch(member)
    await session.flush()
    await audit.record(
        session, actor, "council_member.updated", "council_member", member.id,
        before=before, after={"full_name": member.full_name, "council_role": member.council_role},
    )  # fmt: skip
    return member


async def remove_member(
    session: AsyncSession, actor: Principal, council_id: int, member_id: int
) -> None:
    """Members leave the council but stay on record: past meetings and quorums refer to them."""
    member = await get_member(session, council_id, member_id)
    member.active = False
    await _link_user(session, member, None)
    await session.flush()
    await audit.record(session, actor, "council_member.removed", "council_member", member.id)
