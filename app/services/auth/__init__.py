"""Log in, refresh, log out, and turn a bearer token into a Principal."""

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.errors import Unauthorized
from app.core.principal import Principal
from app.core.security import DUMMY_PASSWORD_HASH, InvalidToken, TokenCodec, verify_password
from app.models import RefreshToken, ServiceToken, User
from app.services import audit, permissions
from app.services.auth import throttle

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
INVALID_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def principal_of(user: User) -> Principal:
    return Principal(
        role=user.role,
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        unit_id=user.unit_id,
        cluster_id=user.cluster_id,
        council_member_id=user.council_member_id,
    )


async def authenticate(session: AsyncSession, codec: TokenCodec, token: str) -> Principal:
    """Verify an access or service token against the database; any doubt is one identical 401."""
    try:
        claims = codec.decode(token, typ="access")
    except InvalidToken:
        try:
            claims = codec.decode(token, typ="service")
        except InvalidToken as exc:
            raise Unauthorized() from exc
        return await _service_principal(session, claims)
    return await _user_principal(session, claims)


# What a request needs of its caller, read as one row of plain columns (no ORM entity).
_PRINCIPAL_COLUMNS = select(
    User.role,
    User.id,
    User.username,
    User.full_name,
    User.unit_id,
    User.cluster_id,
    User.council_member_id,
    User.active,
    User.token_version,
)


async def _user_principal(session: AsyncSession, claims: dict) -> Principal:
    sub = str(claims.get("sub", ""))
    if not sub.isdigit() or len(sub) > 18:
        raise Unauthorized()
    row = (await session.execute(_PRINCIPAL_COLUMNS.where(User.id == int(sub)))).first()
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
    )


async def _service_principal(session: AsyncSession, claims: dict) -> Principal:
    sub = str(claims.get("sub", ""))
    token_id = sub.removeprefix("service:")
    row = await session.get(ServiceToken, int(token_id)) if token_id.isdigit() else None
    if row is None or row.revoked_at is not None or row.jti != claims.get("jti"):
        raise Unauthorized()
    return Principal(role=row.role, service_token_id=row.id, username=f"service:{row.name}")


def _issue(codec: TokenCodec, user: User) -> tuple[str, str, str]:
    access, _ = codec.encode(
        subject=str(user.id),
        typ="access",
        ttl=codec.access_ttl,
        claims={"ver": user.token_version, "role": user.role},
    )
    refresh, jti = codec.encode(
        subject=str(user.id),
        typ="refresh",
        ttl=codec.refresh_ttl,
        claims={"ver": user.token_version},
    )
    return access, refresh, jti


async def _issue_pair(session: AsyncSession, codec: TokenCodec, user: User) -> TokenPair:
    access, refresh, jti = _issue(codec, user)
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
) -> TokenPair:
    """Check the password; count failures per username and per client address in the
    database and lock out floods of either."""
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
    pair = await _issue_pair(session, codec, user)
    await audit.record(session, principal_of(user), "auth.login", "user", user.id)
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
    return await _issue_pair(session, codec, user)


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
