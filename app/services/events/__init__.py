"""The event feed (`GET /events`): domain events after a cursor, oldest first, in scope."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import Unprocessable
from app.core.principal import Principal
from app.models import Event
from app.schemas.events import EventRead
from app.services import policies


def as_message(event: Event) -> dict[str, Any]:
    """An event as the feed shows it, JSON-ready: the body of a webhook and of a stream
    message is exactly this."""
    return EventRead.model_validate(event).model_dump(mode="json")


@dataclass(frozen=True)
class Feed:
    items: list[Event]
    next_after: int | None


HEAD = "head"


async def head(session: AsyncSession) -> int:
    """The id of the newest event (0 when there is none)."""
    return await session.scalar(select(func.max(Event.id))) or 0


async def cursor(session: AsyncSession, after: str | None) -> int | None:
    """The event id a follower's `after` stands for: absent or empty, the beginning (None);
    `head`, the newest event now (so only what happens next follows); a number, itself — one
    beyond the newest event is a 422 `cursor_beyond_head` (a cursor from another database,
    or a typo), which would otherwise wait silently for events that never come."""
    if not after:
        return None
    newest = await head(session)
    if after == HEAD:
        return newest
    value = int(after)
    if value > newest:
        raise Unprocessable(
            f"Con trỏ after={value} vượt quá sự kiện mới nhất (số {newest}); dùng `next_after` "
            "của lần đọc trước, `head` để bắt đầu từ bây giờ hoặc để trống để đọc từ đầu.",
            code="cursor_beyond_head",
        )
    return value


async def purge_expired(session: AsyncSession, retention_days: int) -> int:
    """Delete the events older than `retention_days` (0: keep them all). The newest event is
    always kept, so a follower's cursor is never beyond the head. Returns how many went."""
    if retention_days <= 0:
        return 0
    newest = await head(session)
    result = await session.execute(
        delete(Event).where(
            Event.occurred_at < utcnow() - timedelta(days=retention_days), Event.id < newest
        )
    )
    return result.rowcount or 0


async def feed(session: AsyncSession, principal: Principal, after: int | None, limit: int) -> Feed:
    """Events with an id above `after` that the caller may see; `next_after` is the cursor to
    send next time (unchanged when nothing new has happened)."""
    stmt = select(Event).order_by(Event.id).limit(limit)
    if after is not None:
        stmt = stmt.where(Event.id > after)
    items = list(await session.scalars(policies.event_scope(stmt, principal)))
    return Feed(items, items[-1].id if items else after)
