"""Users and service tokens (noi_vu only)."""

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import Conflict, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, flush_or_conflict, get_or_404, paginate
from app.core.principal import Principal
from app.core.security import TokenCodec, hash_password
from app.core.text import fold
from app.models import Cluster, CouncilMember, ServiceToken, Unit, User
from app.schemas.accounts import UserCreate, UserUpdate
from app.services import audit, permissions
from app.services.auth import end_of_day_utc

USER_AUDIT_FIELDS = (
    "username", "full_name", "role", "unit_id", "cluster_id", "council_member_id", "active",
)  # fmt: skip
_LINK_BY_ROLE = {
    "unit": ("unit_id",),
    "cluster_head": ("cluster_id",),
    "council_member": ("council_member_id",),
    "noi_vu": (),
    "reader": (),
}
_LINKS = ("unit_id", "cluster_id", "council_member_id")
_LINK_MODELS = {"unit_id": Unit, "cluster_id": Cluster, "council_member_id": CouncilMember}
_LINK_NAMES = {"unit_id": "đơn vị", "cluster_id": "cụm, khối", "council_member_id": "thành viên HĐ"}


@dataclass(frozen=True)
class UserFilters:
    """The filters of `GET /users`; `q` is part of the username."""

    role: str | None = None
    unit_id: int | None = None
    active: bool | None = None
    q: str | None = None


USER_SORTING = sorting(User, "id", ["username", "full_name", "role", "unit_id", "active"])


async def list_users(
    session: AsyncSession,
    filters: UserFilters,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = select(User)
    equal = {User.role: filters.role, User.unit_id: filters.unit_id, User.active: filters.active}
    stmt = stmt.where(*(column == value for column, value in equal.items() if value is not None))
    if filters.q:
        stmt = stmt.where(User.username.contains(fold(filters.q)))
    return await paginate(session, USER_SORTING.apply(stmt, listing), limit, offset)


async def _check_links(session: AsyncSession, role: str, values: dict[str, int | None]) -> None:
    required = _LINK_BY_ROLE[role]
    for link in _LINKS:
        value = values.get(link)
        if link in required and value is None:
            raise Unprocessable(
                f"Tài khoản vai trò {role} phải gắn với một {_LINK_NAMES[link]} ({link}).",
                code="missing_link",
            )
        if (
            link not in required
            and value is not None
            and not (role == "noi_vu" and link == "unit_id")
        ):
            raise Unprocessable(
                f"Tài khoản vai trò {role} không gắn với {_LINK_NAMES[link]} ({link}).",
                code="unexpected_link",
            )
        if value is not None and await session.get(_LINK_MODELS[link], value) is None:
            raise Unprocessable(
                f"Không có {_LINK_NAMES[link]} mã số {value}.", code="unknown_reference"
            )


def _links(source: object) -> dict[str, int | None]:
    return {link: getattr(source, link) for link in _LINKS}


async def create_user(session: AsyncSession, actor: Principal, data: UserCreate) -> User:
    """Create an account of any role, linked to its unit, cluster or council member."""
    permissions.require(actor, "user.create")
    await _check_links(session, data.role, _links(data))
    username = data.username.lower()
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"Tên đăng nhập '{username}' đã tồn tại.", code="username_taken")
    user = User(
        username=username,
        full_name=data.full_name,
        password_hash=hash_password(data.password),
        role=data.role,
        unit_id=data.unit_id,
        cluster_id=data.cluster_id,
        council_member_id=data.council_member_id,
        active=True,
        token_version=1,
    )
    session.add(user)
    await flush_or_conflict(
        session,
        "Tên đăng nhập hoặc thành viên Hội đồng đã gắn với tài khoản khác.",
        code="duplicate",
    )
    await audit.record(
        session, actor, "user.created", "user", user.id,
        after=audit.snapshot(user, USER_AUDIT_FIELDS),
    )  # fmt: skip
    return user


async def get_user(session: AsyncSession, user_id: int) -> User:
    return await get_or_404(session, User, user_id, "tài khoản")


async def update_user(
    session: AsyncSession,
    actor: Principal,
    user_id: int,
    changes: UserUpdate,
    expected_version: int | None,
) -> User:
    """Edit an account; deactivating it or changing its password revokes its tokens."""
    permissions.require(actor, "user.update")
    user = await get_user(session, user_id)
    sent = changes.model_fields_set - {"password"}
    password = changes.password

    async def apply() -> None:
        if sent & set(_LINKS):
            merged = {link: getattr(changes if link in sent else user, link) for link in _LINKS}
            await _check_links(session, user.role, merged)
        for field in sent:
            setattr(user, field, getattr(changes, field))
        if password is not None:
            user.password_hash = hash_password(password)
        if password is not None or ("active" in sent and changes.active is False):
            user.token_version += 1

    return await audit.audited_update(
        session, actor, user, apply, expected_version,
        action="user.updated", entity="user", audited=USER_AUDIT_FIELDS,
        comment="password changed" if password else None,
    )  # fmt: skip


async def create_service_token(
    session: AsyncSession, actor: Principal, codec: TokenCodec, name: str, expires_on: date
) -> tuple[ServiceToken, str]:
    """Issue a revocable read-only token; the token text is returned only here."""
    permissions.require(actor, "service_token.create")
    today = utcnow().date()
    if expires_on <= today:
        raise Unprocessable("Ngày hết hạn phải sau hôm nay.", code="invalid_expiry")
    row = ServiceToken(
        name=name, role="reader", expires_on=expires_on, jti=secrets.token_hex(16),
        created_by_id=actor.user_id,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    token, _ = codec.encode(
        subject=f"service:{row.id}", typ="service", ttl=end_of_day_utc(expires_on) - utcnow(),
        claims={"role": "reader"}, jti=row.jti,
    )  # fmt: skip
    await audit.record(
        session, actor, "service_token.created", "service_token", row.id,
        after={"name": name, "expires_on": expires_on.isoformat()},
    )  # fmt: skip
    return row, token


SERVICE_TOKEN_SORTING = sorting(ServiceToken, "id", ["name", "role", "expires_on"])


async def list_service_tokens(
    session: AsyncSession, limit: int, offset: int, listing: Listing = NO_LISTING
) -> PageResult:
    return await paginate(
        session,
        SERVICE_TOKEN_SORTING.apply(select(ServiceToken), listing),
        limit,
        offset,
    )


async def revoke_service_token(session: AsyncSession, actor: Principal, token_id: int) -> None:
    permissions.require(actor, "service_token.revoke")
    row = await get_or_404(session, ServiceToken, token_id, "service token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        await audit.record(session, actor, "service_token.revoked", "service_token", row.id)
