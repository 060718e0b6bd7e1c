"""Audit entries and domain events, written in the caller's transaction."""

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import advisory_lock
from app.core.event_types import EventType
from app.core.observability import request_id_var
from app.core.orm import check_version
from app.core.principal import Principal
from app.models import AuditEntry, Event, EventUnit
from app.schemas.events import DECLARED, EVENT_DATA


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
    unit_ids: Iterable[int] = (),
) -> Event:
    """Append a domain event; the scope fields decide which callers may read it (`unit_ids`:
    further units that may, for an event about several units' nominations). Its type is
    one of `EventType`, the list a client and a webhook subscription choose from, and its data
    the shape the document declares for that type (`app.schemas.events.EVENT_DATA`): data
    that would not match is refused here, not sent to a follower that trusts the document."""
    type_ = EventType(type_)
    check_event_data(type_, data or {})
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
    session.add_all(EventUnit(event_id=event.id, unit_id=u) for u in sorted(set(unit_ids)))
    return event


def check_event_data(type_: EventType, data: Mapping[str, Any]) -> None:
    """Raise ValueError unless `data` has every member `type_` declares, each of its type (a
    member it does not name passes through, as the document allows)."""
    shape = EVENT_DATA.get(type_)
    if shape is None:
        raise ValueError(f"{type_} is not an event of the feed")
    try:
        shape.model_validate(dict(data), context={DECLARED: True})
    except ValidationError as exc:
        raise ValueError(f"{type_}: data does not match {shape.__name__}: {exc}") from exc


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited view of an ORM object: the named fields, JSON-safe."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[name] = value
    return out


T = TypeVar("T")
# What an audit entry shows of an object: the named fields, or a view built by a function.
Audited = tuple[str, ...] | Callable[[Any], dict[str, Any]]
# What an edit changes: the fields a PATCH body sent, named fields, or a function applying them.
Changes = BaseModel | Mapping[str, Any] | Callable[[], Awaitable[None] | None]
_OWN_ID: Any = object()


def _state(obj: Any, audited: Audited) -> dict[str, Any]:
    return audited(obj) if callable(audited) else snapshot(obj, audited)


async def _flush(session: AsyncSession) -> None:
    await session.flush()


async def audited_update(
    session: AsyncSession,
    actor: Principal,
    obj: T,
    changes: Changes,
    expected_version: int | None,
    *,
    action: str,
    entity: str,
    audited: Audited,
    entity_id: int | None = _OWN_ID,
    flush: Callable[[AsyncSession], Awaitable[None]] = _flush,
    comment: str | None = None,
) -> T:
    """The one way an edit is written: check If-Match, snapshot, change, flush, audit.

    `changes` is a PATCH body (the fields it sent are set), the fields to set, or a function
    that applies them (and may refuse first: it runs after the version check and the
    snapshot). `flush` turns the database's
    refusals into domain errors (e.g. `flush_or_conflict`). The entry goes on `entity` with
    the object's own id unless `entity_id` says otherwise."""
    check_version(obj, expected_version)
    before = _state(obj, audited)
    if callable(changes):
        applied = changes()
        if inspect.isawaitable(applied):
            await applied
    elif isinstance(changes, BaseModel):
        for name in changes.model_fields_set:
            setattr(obj, name, getattr(changes, name))
    else:
        for name, value in changes.items():
            setattr(obj, name, value)
    await flush(session)
    audit_id = obj.id if entity_id is _OWN_ID else entity_id  # type: ignore[attr-defined]
    await record(
        session, actor, action, entity, audit_id,
        before=before, after=_state(obj, audited), comment=comment,
    )  # fmt: skip
    return obj


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
