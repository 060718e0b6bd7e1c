"""The audit log, for Sở Nội vụ and auditors."""

from datetime import datetime
from typing import Annotated

from fastapi import Query

from app.api.deps import Allowed, PageDep, SessionDep
from app.api.responses import envelope
from app.api.routing import feature_router
from app.schemas.audit import AuditEntryRead
from app.schemas.common import Id, ListEnvelope
from app.services.audit import log as audit_log

router = feature_router(tags=["audit"])


@router.get("/audit", response_model=ListEnvelope[AuditEntryRead])
async def list_audit_entries(
    session: SessionDep,
    principal: Allowed("audit.list"),
    page: PageDep,
    entity_type: str | None = None,
    entity_id: Id | None = None,
    actor_id: Id | None = None,
    action: str | None = None,
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: datetime | None = None,
):
    """Oldest first. Votes are never here: ballots are not audited per voter."""
    result = await audit_log.list_entries(
        session, entity_type=entity_type, entity_id=entity_id, actor_id=actor_id,
        action=action, from_=from_, to=to, limit=page.limit, offset=page.offset,
    )  # fmt: skip
    return envelope(result)
