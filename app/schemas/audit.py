from datetime import datetime
from typing import Any

from pydantic import Field

from app.schemas.common import UPDATED_AT, Id, ReadModel


class AuditEntryRead(ReadModel):
    id: int
    occurred_at: datetime
    actor_id: Id | None
    actor_role: str | None
    actor_name: str | None
    action: str
    entity_type: str
    entity_id: Id | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str | None
    request_id: str | None
    updated_at: datetime = Field(description=UPDATED_AT)
