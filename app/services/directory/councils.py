"""The council (Hội đồng Thi đua - Khen thưởng tỉnh) and its members."""

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import (
    PageResult,
    paginate,
    touch,
)
from app.core.principal import COUNCIL_MEMBER, NOI_VU, READER, Principal
from app.core.text import nfc
from app.models import (
    Cluster,
    Council,
    CouncilMember,
    CouncilMemberCluster,
    Unit,
    User,
)
from app.schemas.directory import (
    CouncilCreate,
    CouncilMemberCreate,
    CouncilMemberUpdate,
    CouncilUpdate,
)
from app.services import audit, permissions


def _council_options():
    members = selectinload(Council.members)
    return (
        members.selectinload(CouncilMember.monitored),
        members.selectinload(CouncilMember.account),
    )


def _council_scope(stmt, principal: Principal):
    if principal.role == COUNCIL_MEMBER:
        own = select(CouncilMember.council_id).where(
            CouncilMember.id == principal.council_member_id
        )
        return stmt.where(Council.id.in_(own))
    if principal.role in (NOI_VU, READER):
        return stmt
    return stmt.where(false())


COUNCIL_SORTING = sorting(Council, "id", ["name", "effective_from"])


async def list_councils(
    session: AsyncSession,
    principal: Principal,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = _council_scope(select(Council).options(*_council_options()), principal)
    return await paginate(session, COUNCIL_SORTING.apply(stmt, listing), limit, offset)


async def get_council(session: AsyncSession, principal: Principal, council_id: int) -> Council:
    stmt = _council_scope(
        select(Council).options(*_council_options()).where(Council.id == council_id), principal
    )
    council = await session.scalar(stmt)
    if council is None:
        raise NotFound(f"Không tìm thấy Hội đồng có mã số {council_id}.")
    return council


async def create_council(session: AsyncSession, actor: Principal, data: CouncilCreate) -> Council:
    permissions.require(actor, "council.create")
    council = Council(
        name=nfc(data.name), decision_no=data.decision_no, effective_from=data.effective_from
    )
    session.add(council)
    await session.flush()
    await audit.record(
        session, actor, "council.created", "council", council.id,
        after={"name": council.name, "decision_no": council.decision_no},
    )  # fmt: skip
    return await get_council(session, actor, council.id)


async def update_council(
    session: AsyncSession,
    actor: Principal,
    council_id: int,
    changes: CouncilUpdate,
    expected: int | None,
) -> Council:
    permissions.require(actor, "council.update")
    council = await get_council(session, actor, council_id)
    return await audit.audited_update(
        session, actor, council, changes, expected,
        action="council.updated", entity="council", audited=("name", "decision_no"),
    )  # fmt: skip


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
        .options(selectinload(CouncilMember.monitored), selectinload(CouncilMember.account))
        .where(
            CouncilMember.id == member_id,
            CouncilMember.council_id == council_id,
            CouncilMember.active.is_(True),
        )
    )
    if member is None:
        raise NotFound(f"Không tìm thấy thành viên {member_id} của Hội đồng {council_id}.")
    return member


async def _refresh_account(session: AsyncSession, member: CouncilMember) -> None:
    """The account link lives on the account row: read it again after it was changed."""
    await session.flush()
    await session.refresh(member, ["account"])


async def add_member(
    session: AsyncSession, actor: Principal, council_id: int, data: CouncilMemberCreate
) -> CouncilMember:
    permissions.require(actor, "council.add_member")
    await get_council(session, actor, council_id)
    if data.unit_id and not await session.get(Unit, data.unit_id):
        raise Unprocessable(f"Không có đơn vị mã số {data.unit_id}.", code="unknown_reference")
    member = CouncilMember(
        council_id=council_id,
        full_name=nfc(data.full_name),
        position=data.position,
        council_role=data.council_role,
        unit_id=data.unit_id,
        active=True,
    )
    member.monitored = []
    session.add(member)
    await session.flush()
    await _set_monitored(session, member, data.monitored_cluster_ids)
    await _link_user(session, member, data.user_id)
    await _refresh_account(session, member)
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
    changes: CouncilMemberUpdate,
    expected: int | None,
) -> CouncilMember:
    permissions.require(actor, "council.update_member")
    member = await get_member(session, council_id, member_id)
    sent = changes.model_fields_set

    async def apply() -> None:
        if "monitored_cluster_ids" in sent:
            await _set_monitored(session, member, changes.monitored_cluster_ids or [])
        if "user_id" in sent:
            await _link_user(session, member, changes.user_id)
            await _refresh_account(session, member)
        for field in sent & {"full_name", "position", "council_role", "unit_id"}:
            setattr(member, field, getattr(changes, field))
        touch(member)

    return await audit.audited_update(
        session, actor, member, apply, expected,
        action="council_member.updated", entity="council_member",
        audited=("full_name", "council_role"),
    )  # fmt: skip


async def remove_member(
    session: AsyncSession, actor: Principal, council_id: int, member_id: int
) -> None:
    """Members leave the council but stay on record: past meetings and quorums refer to them."""
    permissions.require(actor, "council.remove_member")
    member = await get_member(session, council_id, member_id)
    member.active = False
    await _link_user(session, member, None)
    await session.flush()
    await audit.record(session, actor, "council_member.removed", "council_member", member.id)
