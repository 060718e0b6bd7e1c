"""Role grants (vai trò được giao): one account, several roles, each with its scope.

The account's own role (`users.role` and its link) stays what it was; a grant adds another
role with its own unit, cluster or council member. A token acts under one of them at a time
(`grant` claim; none: the account's own role) and every check and scope follows that one.
Granting or revoking bumps the account's token version: every token it holds stops working,
so no token outlives the grant it acts under, and the holder signs in again.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import Conflict
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, get_or_404, paginate
from app.core.principal import Principal
from app.models import RoleGrant, User
from app.schemas.accounts import RoleGrantCreate
from app.services import audit, permissions
from app.services.accounts import _check_links, _links, get_user

GRANT_AUDIT_FIELDS = (
    "user_id", "role", "unit_id", "cluster_id", "council_member_id", "granted_at", "revoked_at",
)  # fmt: skip


def _same_scope(a: object, b: object) -> bool:
    return a.role == b.role and _links(a) == _links(b)


async def _refuse_taken_council_seat(
    session: AsyncSession, user: User, council_member_id: int | None
) -> None:
    """A council member's seat belongs to one account (its own link or an active grant)."""
    if council_member_id is None:
        return
    other = await session.scalar(
        select(User.id).where(User.council_member_id == council_member_id, User.id != user.id)
    )
    other = other or await session.scalar(
        select(RoleGrant.user_id).where(
            RoleGrant.council_member_id == council_member_id,
            RoleGrant.user_id != user.id,
            RoleGrant.revoked_at.is_(None),
        )
    )
    if other:
        raise Conflict(
            f"Thành viên Hội đồng mã số {council_member_id} đã gắn với tài khoản khác.",
            code="duplicate",
        )


async def grant_role(
    session: AsyncSession, actor: Principal, user_id: int, body: RoleGrantCreate
) -> RoleGrant:
    """Sở Nội vụ gives an account one more role with its scope; its tokens are revoked."""
    permissions.require(actor, "user.grant_role")
    user = await get_user(session, user_id)
    await _check_links(session, body.role, _links(body))
    held = await session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
    )
    if _same_scope(body, user) or any(_same_scope(body, g) for g in held):
        raise Conflict(
            f"Tài khoản {user.username} đã có vai trò {body.role} với phạm vi này.",
            code="grant_already_held",
        )
    await _refuse_taken_council_seat(session, user, body.council_member_id)
    grant = RoleGrant(
        user_id=user.id, role=body.role, unit_id=body.unit_id, cluster_id=body.cluster_id,
        council_member_id=body.council_member_id, granted_by_id=actor.user_id,
        granted_at=utcnow(),
    )  # fmt: skip
    session.add(grant)
    user.token_version += 1
    await session.flush()
    await audit.record(
        session, actor, "user.role_granted", "user", user.id,
        after={"grant_id": grant.id, **audit.snapshot(grant, GRANT_AUDIT_FIELDS)},
    )  # fmt: skip
    return grant


GRANT_SORTING = sorting(RoleGrant, "id", ["role", "granted_at", "revoked_at"])


async def list_grants(
    session: AsyncSession, user_id: int, limit: int, offset: int, listing: Listing = NO_LISTING
) -> PageResult:
    """An account's grants, revoked ones included (newest last)."""
    await get_user(session, user_id)
    stmt = select(RoleGrant).where(RoleGrant.user_id == user_id)
    return await paginate(session, GRANT_SORTING.apply(stmt, listing), limit, offset)


async def active_grants(session: AsyncSession, user_id: int) -> list[RoleGrant]:
    return list(
        await session.scalars(
            select(RoleGrant)
            .where(RoleGrant.user_id == user_id, RoleGrant.revoked_at.is_(None))
            .order_by(RoleGrant.id)
        )
    )


async def revoke_grant(
    session: AsyncSession, actor: Principal, grant_id: int, expected: int | None
) -> RoleGrant:
    """Sở Nội vụ takes a grant back: every token of the account stops working at once."""
    permissions.require(actor, "user.revoke_grant")
    grant = await get_or_404(session, RoleGrant, grant_id, "vai trò được giao")
    check_version(grant, expected)
    if grant.revoked_at is not None:
        raise Conflict(
            f"Vai trò được giao mã số {grant.id} đã bị thu hồi trước đó.",
            code="grant_already_revoked",
        )
    before = audit.snapshot(grant, GRANT_AUDIT_FIELDS)
    grant.revoked_at = utcnow()
    grant.revoked_by_id = actor.user_id
    user = await session.get(User, grant.user_id)
    user.token_version += 1
    await session.flush()
    await audit.record(
        session, actor, "user.role_revoked", "user", grant.user_id,
        before={"grant_id": grant.id, **before},
        after={"grant_id": grant.id, **audit.snapshot(grant, GRANT_AUDIT_FIELDS)},
    )  # fmt: skip
    return grant
