from datetime import datetime
from typing import Any

from app.core.event_types import EventType
from app.schemas.common import Id, ReadModel


class EventRead(ReadModel):
    id: int
    type: EventType
    occurred_at: datetime
    entity_type: str
    entity_id: Id | None
    data: dict[str, Any]


class EventPage(ReadModel):
    items: list[EventRead]
    next_after: int | None
