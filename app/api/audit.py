"""The audit log, for Sở Nội vụ and auditors."""

from typing import Annotated

from fastapi import Query

from app.api.deps import Allowed, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import envelope
from app.api.routing import feature_router
from app.schemas.audit import AuditEntryRead
from app.schemas.common import DATETIME_QUERY_HELP, Id, ListEnvelope, QueryDateTime
from app.services.audit import log as audit_log
from app.services.audit.log import AUDIT_SORTING

router = feature_router(tags=["audit"])


@router.get("/audit", summary="Read the audit log", response_model=ListEnvelope[AuditEntryRead])
async def list_audit_entries(
    session: SessionDep,
    principal: Allowed("audit.list"),
    page: PageDep,
    listing: Listed(AUDIT_SORTING),
    fields: Fields(AuditEntryRead),
    entity_type: Annotated[str | None, Query(max_length=80)] = None,
    entity_id: Id | None = None,
    actor_id: Id | None = None,
    action: Annotated[str | None, Query(max_length=80)] = None,
    from_: Annotated[
        QueryDateTime | None, Query(alias="from", description=DATETIME_QUERY_HELP)
    ] = None,
    to: Annotated[QueryDateTime | None, Query(description=DATETIME_QUERY_HELP)] = None,
):
    """Oldest first. Votes are never here: ballots are not audited per voter."""
    result = await audit_log.list_entries(
        session, entity_type=entity_type, entity_id=entity_id, actor_id=actor_id,
        action=action, from_=from_, to=to, limit=page.limit, offset=page.offset, listing=listing,
    )  # fmt: skip
    return fields.apply(envelope(result))
