"""The event feed (`GET /events`): domain events after a cursor, oldest first, in scope."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.models import Event
from app.services import policies


async def feed(
    session: AsyncSession, principal: Principal, after: int | None, limit: int
) -> dict[str, Any]:
    """Events with an id above `after` that the caller may see; `next_after` is the cursor to
    send next time (unchanged when nothing new has happened)."""
    stmt = select(Event).order_by(Event.id).limit(limit)
    if after is not None:
        stmt = stmt.where(Event.id > after)
    items = list(await session.scalars(policies.event_scope(stmt, principal)))
    return {
        "items": [
            {
                "id": e.id,
                "type": e.type,
                "occurred_at": e.occurred_at,
                "entity_type": e.entity_type,
                "entity_id": e.entity_id,
                "data": e.data,
            }
            for e in items
        ],
        "next_after": items[-1].id if items else after,
    }
