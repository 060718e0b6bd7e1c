"""The event feed (`GET /events`): domain events after a cursor, oldest first, in scope."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def feed(session: AsyncSession, principal: Principal, after: int | None, limit: int) -> Feed:
    """Events with an id above `after` that the caller may see; `next_after` is the cursor to
    send next time (unchanged when nothing new has happened)."""
    stmt = select(Event).order_by(Event.id).limit(limit)
    if after is not None:
        stmt = stmt.where(Event.id > after)
    items = list(await session.scalars(policies.event_scope(stmt, principal)))
    return Feed(items, items[-1].id if items else after)
