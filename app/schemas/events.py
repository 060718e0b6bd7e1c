from datetime import datetime
from typing import Any

from app.schemas.common import Id, ReadModel


class EventRead(ReadModel):
    id: int
    type: str
    occurred_at: datetime
    entity_type: str
    entity_id: Id | None
    data: dict[str, Any]


class EventPage(ReadModel):
    items: list[EventRead]
    next_after: int | None
