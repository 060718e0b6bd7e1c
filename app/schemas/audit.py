from datetime import datetime
from typing import Any

from pydantic import Field, RootModel

from app.schemas.accounts import Role
from app.schemas.common import UPDATED_AT, Id, ReadModel


class AuditSnapshot(RootModel[dict[str, Any]]):
    """What an audit entry (nhật ký) recorded of the object, before or after the change: its
    audited fields by name, each a JSON value as stored then (codes, ids, ISO dates, numbers),
    e.g. `{"status": "submitted", "returned_at": null}`. Which fields depend on `entity_type`
    and `action`, and on the version that wrote the entry: read them by name, tolerate others."""


class AuditEntryRead(ReadModel):
    id: int
    occurred_at: datetime
    actor_id: Id | None
    actor_role: Role | None
    actor_name: str | None
    action: str
    entity_type: str
    entity_id: Id | None
    before: AuditSnapshot | None
    after: AuditSnapshot | None
    comment: str | None
    request_id: str | None
    updated_at: datetime = Field(description=UPDATED_AT)
