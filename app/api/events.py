"""The domain event feed for followers (dashboards, the mobile backend, notifications)."""

from typing import Annotated

from fastapi import Query

from app.api.deps import Allowed, SessionDep
from app.api.routing import feature_router
from app.schemas.events import EventPage
from app.services import events

router = feature_router(tags=["events"])


@router.get("/events", response_model=EventPage)
async def list_events(
    session: SessionDep,
    principal: Allowed("event.list"),
    after: Annotated[
        int | None, Query(ge=0, description="`next_after` of the previous page; omit to start")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Oldest first. Sở Nội vụ sees every event; a unit those about itself; a cluster head its
    cluster's; a council member those of the clusters it monitors; a reader the unrestricted
    ones. Event data carries ids, codes and statuses only, never personal data."""
    return await events.feed(session, principal, after, limit)
