"""Log in, refresh, log out, and turn a bearer token into a Principal."""

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import BEFORE_TRANSACTION
from app.core.errors import Unauthorized, Unprocessable
from app.core.principal import Principal
from app.core.principal_cache import PrincipalCache
from app.core.security import DUMMY_PASSWORD_HASH, InvalidToken, TokenCodec, verify_password
from app.models import RefreshToken, RoleGrant, ServiceToken, User
from app.services import audit, permissions
from app.services.auth import throttle

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
INVALID_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def principal_of(user: User, grant: RoleGrant | None = None) -> Principal:
    """The account acting under its own role, or under `grant` (one of its role grants)."""
    scope = grant if grant is not None else user
    return Principal(
        role=scope.role,
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        unit_id=scope.unit_id,
        cluster_id=scope.cluster_id,
        council_member_id=scope.council_member_id,
        grant_id=grant.id if grant is not None else None,
    )


async def authenticate(
    session: AsyncSession, codec: TokenCodec, token: str, cache: PrincipalCache | None = None
) -> Principal:
    """Verify an access or service token against the database (or the rows `cache` keeps of
    it, forgotten on any change); any doubt is one identical 401."""
    try:
        claims = codec.decode(token, typ="access")
    except InvalidToken:
        try:
            claims = codec.decode(token, typ="service")
        except InvalidToken as exc:
            raise Unauthorized() from exc
        return await _service_principal(session, claims)
    return await _user_principal(session, claims, cache)


# What a request needs of its caller, read as one row of plain columns: Core statements over
# the tables, built once with bound parameters, so that a request neither builds a statement
# nor goes through the ORM's compilation (each request runs one of these two), and run just
# before the request's transaction (`BEFORE_TRANSACTION`).
_users = User.__table__
_grants = RoleGrant.__table__
_PRINCIPAL_COLUMNS = (
    select(
        _users.c.role,
        _users.c.id,
        _users.c.username,
        _users.c.full_name,
        _users.c.unit_id,
        _users.c.cluster_id,
        _users.c.council_member_id,
        _users.c.active,
        _users.c.token_version,
    )
    .where(_users.c.id == bindparam("user_id"))
    .execution_options(**{BEFORE_TRANSACTION: True})
)


# The same, acting under one of the account's role grants: the grant's role and scope replace
# the account's own, in the same one statement. A revoked grant finds no row.
_GRANT_COLUMNS = (
    select(
        _grants.c.role,
        _users.c.id,
        _users.c.username,
        _users.c.full_name,
        _grants.c.unit_id,
        _grants.c.cluster_id,
        _grants.c.council_member_id,
        _users.c.active,
        _users.c.token_version,
    )
    .select_from(
        _users.join(_grants, (_grants.c.user_id == _users.c.id) & _grants.c.revoked_at.is_(None))
    )
    .where(_users.c.id == bindparam("user_id"), _grants.c.id == bindparam("grant_id"))
    .execution_options(**{BEFORE_TRANSACTION: True})
)


def _grant_claim(claims: dict) -> int | None:
    grant = claims.get("grant")
    if grant is None:
        return None
    if not isinstance(grant, int) or isinstance(grant, bool) or not 0 < grant < 2**62:
        raise Unauthorized()
    return grant


async def _user_principal(
    session: AsyncSession, claims: dict, cache: PrincipalCache | None
) -> Principal:
    sub = str(claims.get("sub", ""))
    if not sub.isdigit() or len(sub) > 18:
        raise Unauthorized()
    grant = _grant_claim(claims)
    key = (int(sub), grant)
    row = cache.get(key) if cache is not None else None
    if row is None:
        generation = cache.generation if cache is not None else 0
        if grant is None:
            found = await session.execute(_PRINCIPAL_COLUMNS, {"user_id": int(sub)})
        else:
            found = await session.execute(_GRANT_COLUMNS, {"user_id": int(sub), "grant_id": grant})
        row = found.first()
        if row is not None and cache is not None:
            cache.put(key, row, generation)
    if row is None or not row.active or claims.get("ver") != row.token_version:
        raise Unauthorized()
    return Principal(
        role=row.role,
        user_id=row.id,
        username=row.username,
        full_name=row.full_name,
        unit_id=row.unit_id,
        cluster_id=row.cluster_id,
        council_member_id=row.council_member_id,
        grant_id=grant,
        holds_grants=bool(claims.get("grants")),
    )


async def _service_principal(session: AsyncSession, claims: dict) -> Principal:
    sub = str(claims.get("sub", ""))
    token_id = sub.removeprefix("service:")
    row = await session.get(ServiceToken, int(token_id)) if token_id.isdigit() else None
    if row is None or row.revoked_at is not None or row.jti != claims.get("jti"):
        raise Unauthorized()
    return Principal(role=row.role, service_token_id=row.id, username=f"service:{row.name}")


def _issue(
    codec: TokenCodec, user: User, grant: RoleGrant | None, grants: int
) -> tuple[str, str, str]:
    acting = {"grant": grant.id} if grant is not None else {}
    access, _ = codec.encode(
        subject=str(user.id),
        typ="access",
        ttl=codec.access_ttl,
        claims={
            "ver": user.token_version, "role": (grant or user).role, **acting,
            **({"grants": grants} if grants else {}),
        },
    )  # fmt: skip
    refresh, jti = codec.encode(
        subject=str(user.id),
        typ="refresh",
        ttl=codec.refresh_ttl,
        claims={"ver": user.token_version, **acting},
    )
    return access, refresh, jti


async def _issue_pair(
    session: AsyncSession, codec: TokenCodec, user: User, grant: RoleGrant | None = None
) -> TokenPair:
    grants = await session.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
    )
    access, refresh, jti = _issue(codec, user, grant, grants or 0)
    session.add(RefreshToken(jti=jti, user_id=user.id, expires_at=utcnow() + codec.refresh_ttl))
    await session.flush()
    return TokenPair(access, refresh, int(codec.access_ttl.total_seconds()))


async def login(
    session: AsyncSession,
    codec: TokenCodec,
    settings: Settings,
    username: str,
    password: str,
    *,
    address: str | None = None,
    grant_id: int | None = None,
) -> TokenPair:
    """Check the password; count failures per username and per client address in the
    database and lock out floods of either. `grant_id` picks the role grant the tokens act
    under (none: the account's own role)."""
    username = username.strip().lower()
    by_name = await throttle.username_counter(session, username)
    by_address = await throttle.address_counter(session, throttle.address_key(address))
    throttle.refuse_if_locked(by_name, by_address)
    user = await session.scalar(select(User).where(User.username == username))
    ok = verify_password(password, user.password_hash if user else DUMMY_PASSWORD_HASH)
    if not ok or user is None or not user.active:
        throttle.count_failure(by_name, settings, settings.login_max_failures)
        throttle.count_failure(by_address, settings, settings.login_address_max_failures)
        await throttle.purge_expired(session, settings)
        raise Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials", persist=True)
    # A success clears the username's count, not the address's: a sprayer who owns one
    # account must not reset the address counter with it.
    by_name.failures = 0
    by_name.locked_until = None
    grant = await acting_grant(session, user, grant_id)
    pair = await _issue_pair(session, codec, user, grant)
    await audit.record(session, principal_of(user, grant), "auth.login", "user", user.id)
    return pair


async def acting_grant(session: AsyncSession, user: User, grant_id: int | None) -> RoleGrant | None:
    """The account's grant `grant_id`, in force; None for the account's own role."""
    if grant_id is None:
        return None
    grant = await session.scalar(
        select(RoleGrant).where(
            RoleGrant.id == grant_id, RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None)
        )
    )
    if grant is None:
        raise Unprocessable(
            f"Tài khoản không có vai trò được giao mã số {grant_id} (hoặc vai trò đó đã bị thu "
            "hồi); xem danh sách vai trò ở GET /auth/me.",
            code="unknown_grant",
            grant_id=grant_id,
        )
    return grant


async def switch(
    session: AsyncSession, codec: TokenCodec, principal: Principal, grant_id: int | None
) -> TokenPair:
    """A new token pair for the same account acting under another of its grants (None: its
    own role). The token presented keeps working until it expires, as after a refresh."""
    permissions.require(principal, "auth.switch")
    user = await session.get(User, principal.user_id) if principal.user_id is not None else None
    if user is None:
        raise Unprocessable(
            "Service token không đổi được vai trò; chỉ tài khoản người dùng mới có vai trò "
            "được giao.",
            code="unknown_grant",
        )
    grant = await acting_grant(session, user, grant_id)
    pair = await _issue_pair(session, codec, user, grant)
    await audit.record(
        session, principal, "auth.switched", "user", user.id,
        before={"grant_id": principal.grant_id}, after={"grant_id": grant_id},
    )  # fmt: skip
    return pair


async def refresh(session: AsyncSession, codec: TokenCodec, token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token is spent."""
    try:
        claims = codec.decode(token, typ="refresh")
    except InvalidToken as exc:
        raise Unauthorized("Refresh token không hợp lệ hoặc đã hết hạn.") from exc
    spent = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == claims["jti"], RefreshToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    user = await session.get(User, int(claims["sub"])) if str(claims["sub"]).isdigit() else None
    if (
        spent.rowcount != 1
        or user is None
        or not user.active
        or claims.get("ver") != user.token_version
    ):
        raise Unauthorized("Refresh token không hợp lệ hoặc đã được dùng.")
    try:
        grant = await acting_grant(session, user, _grant_claim(claims))
    except Unprocessable as exc:
        raise Unauthorized("Vai trò của refresh token đã bị thu hồi; đăng nhập lại.") from exc
    return await _issue_pair(session, codec, user, grant)


async def logout(session: AsyncSession, principal: Principal) -> None:
    """Every token of the caller stops working at once."""
    permissions.require(principal, "auth.logout")
    if principal.user_id is None:
        return
    user = await session.get(User, principal.user_id)
    if user is not None:
        user.token_version += 1
        await audit.record(session, principal, "auth.logout", "user", user.id)


def end_of_day_utc(day) -> datetime:
    """The last moment of a calendar day in Việt Nam, in UTC (service tokens expire then)."""
    return datetime.combine(day, time(23, 59, 59), VN_TZ).astimezone(UTC)


@dataclass(frozen=True)
class RoleOption:
    """A role an account may act under: its own (`id` None) or one of its grants in force."""

    id: int | None
    role: str
    unit_id: int | None
    cluster_id: int | None
    council_member_id: int | None


async def role_options(session: AsyncSession, principal: Principal) -> list[RoleOption]:
    """The caller's own role then its grants in force, read in one statement; none when the
    token says the account holds no grant (its own role is then the one it acts under)."""
    if principal.user_id is None or not principal.holds_grants:
        own = (principal.unit_id, principal.cluster_id, principal.council_member_id)
        return [RoleOption(None, principal.role, *own)]
    rows = await session.execute(
        select(
            User.role, User.unit_id, User.cluster_id, User.council_member_id,
            RoleGrant.id.label("g_id"), RoleGrant.role.label("g_role"),
            RoleGrant.unit_id.label("g_unit"), RoleGrant.cluster_id.label("g_cluster"),
            RoleGrant.council_member_id.label("g_member"),
        )
        .outerjoin(
            RoleGrant, (RoleGrant.user_id == User.id) & RoleGrant.revoked_at.is_(None)
        )
        .where(User.id == principal.user_id)
        .order_by(RoleGrant.id)
    )  # fmt: skip
    options: list[RoleOption] = []
    for row in rows:
        if not options:
            options.append(
                RoleOption(None, row.role, row.unit_id, row.cluster_id, row.council_member_id)
            )
        if row.g_id is not None:
            grant = (row.g_id, row.g_role, row.g_unit, row.g_cluster, row.g_member)
            options.append(RoleOption(*grant))
    return options
