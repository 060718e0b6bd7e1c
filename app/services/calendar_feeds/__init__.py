"""Calendar subscriptions (lịch đăng ký): each user creates secret feed addresses for their
calendar apps, which cannot send a Bearer header, and revokes them.

The token is the credential, so only its SHA-256 is stored; it is shown once, in the answer
that creates it. A feed shows what its owner may see at the moment it is read: deactivating
the account, or a change of role or unit, changes the feed at once.
"""

import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, paginate
from app.core.principal import Principal
from app.models import CalendarFeed, User
from app.schemas.calendar_feeds import CalendarFeedCreate
from app.services import audit, permissions
from app.services.auth import principal_of
from app.services.calendar_feeds import entries

# A user's devices (phone, desktop, a shared office calendar) each get their own address, so
# one can be revoked alone; more than this is a leak waiting to happen.
MAX_FEEDS_PER_USER = 10
_FEED_NOT_FOUND = "Không tìm thấy lịch: địa chỉ không đúng hoặc đã bị thu hồi."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create(
    session: AsyncSession, actor: Principal, body: CalendarFeedCreate
) -> tuple[CalendarFeed, str]:
    """A new feed of the caller's; the token is returned here only."""
    permissions.require(actor, "calendar_feed.create")
    owned = await session.scalar(
        select(func.count()).select_from(CalendarFeed).where(CalendarFeed.user_id == actor.user_id)
    )
    if owned >= MAX_FEEDS_PER_USER:
        raise Conflict(
            f"Mỗi tài khoản có tối đa {MAX_FEEDS_PER_USER} địa chỉ lịch. Thu hồi địa chỉ không "
            "còn dùng rồi tạo lại.",
            code="too_many_calendar_feeds",
        )
    token = secrets.token_urlsafe(32)
    row = CalendarFeed(user_id=actor.user_id, name=body.name, token_hash=_digest(token))
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor, "calendar_feed.created", "calendar_feed", row.id, after={"name": row.name}
    )
    return row, token


CALENDAR_FEED_SORTING = sorting(CalendarFeed, "id", ["name"])


async def list_own(
    session: AsyncSession, actor: Principal, limit: int, offset: int, listing: Listing = NO_LISTING
) -> PageResult:
    """The caller's own feeds (never anyone else's, Sở Nội vụ included)."""
    permissions.require(actor, "calendar_feed.list")
    stmt = select(CalendarFeed).where(CalendarFeed.user_id == actor.user_id)
    return await paginate(session, CALENDAR_FEED_SORTING.apply(stmt, listing), limit, offset)


async def revoke(session: AsyncSession, actor: Principal, feed_id: int) -> None:
    """Delete one of the caller's feeds: its address stops working at once. Another user's
    feed is a 404, as if it did not exist."""
    permissions.require(actor, "calendar_feed.revoke")
    row = await session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.id == feed_id, CalendarFeed.user_id == actor.user_id
        )
    )
    if row is None:
        raise NotFound(f"Không tìm thấy địa chỉ lịch có mã số {feed_id}.")
    await session.delete(row)
    await session.flush()
    await audit.record(
        session, actor, "calendar_feed.revoked", "calendar_feed", feed_id, before={"name": row.name}
    )


async def read_feed(session: AsyncSession, token: str) -> tuple[CalendarFeed, bytes]:
    """The iCalendar document behind a feed address, as its owner may see it now; an unknown
    or revoked token, or an owner no longer active, is a 404."""
    row = await session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == _digest(token))
    )
    owner = await session.get(User, row.user_id) if row is not None else None
    if row is None or owner is None or not owner.active:
        raise NotFound(_FEED_NOT_FOUND)
    return row, await entries.calendar_of(session, principal_of(owner), row.name)
