"""Reading the audit log (noi_vu): who did what and when."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, paginate
from app.models import AuditEntry

AUDIT_SORTING = sorting(
    AuditEntry,
    "id",
    ["occurred_at", "action", "entity_type", "actor_id"],
    updated_at=AuditEntry.occurred_at,
)


async def list_entries(
    session: AsyncSession,
    *,
    entity_type: str | None,
    entity_id: int | None,
    actor_id: int | None,
    action: str | None,
    from_: datetime | None,
    to: datetime | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = select(AuditEntry)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if from_:
        stmt = stmt.where(AuditEntry.occurred_at >= from_)
    if to:
        stmt = stmt.where(AuditEntry.occurred_at < to)
    return await paginate(session, AUDIT_SORTING.apply(stmt, listing), limit, offset)
