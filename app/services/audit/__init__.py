"""Audit entries and domain events, written in the caller's transaction."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import advisory_lock
from app.core.observability import request_id_var
from app.core.principal import Principal
from app.models import AuditEntry, Event


async def record(
    session: AsyncSession,
    actor: Principal,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str | None = None,
) -> AuditEntry:
    """Append one audit entry (who, what, when, before/after) to the current transaction."""
    entry = AuditEntry(
        actor_id=actor.user_id,
        actor_role=actor.role,
        actor_name=actor.username or None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        comment=comment,
        request_id=request_id_var.get(),
    )
    session.add(entry)
    await session.flush()
    return entry


async def emit(
    session: AsyncSession,
    type_: str,
    entity_type: str,
    entity_id: int | None,
    data: dict[str, Any] | None = None,
    *,
    unit_id: int | None = None,
    cluster_id: int | None = None,
    meeting_id: int | None = None,
    restricted: bool = False,
) -> Event:
    """Append a domain event; the scope fields decide which callers may read it."""
    await _serialise_event_ids(session)
    event = Event(
        type=type_,
        entity_type=entity_type,
        entity_id=entity_id,
        data=data or {},
        unit_id=unit_id,
        cluster_id=cluster_id,
        meeting_id=meeting_id,
        restricted=restricted,
    )
    session.add(event)
    await session.flush()
    return event


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited view of an ORM object: the named fields, JSON-safe."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[name] = value
    return out


# Any constant: the key of the PostgreSQL advisory lock that orders event ids.
EVENT_ORDER_LOCK = 7_316_201


async def _serialise_event_ids(session: AsyncSession) -> None:
    """Make event ids become visible in id order, so a follower never skips one.

    Followers read `id > cursor`. On PostgreSQL two transactions may take ids 7 and 8 and
    commit 8 first; a follower polling in between would move past 7 for ever. Holding a
    transaction-scoped advisory lock from the first event to the commit makes event-writing
    transactions commit in id order. (SQLite already lets one writer in at a time.)
    """
    await advisory_lock(session, EVENT_ORDER_LOCK)
