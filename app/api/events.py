"""The domain event feed for followers (dashboards, the mobile backend, notifications)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import AnyRole, SessionDep
from app.api.responses import PROBLEMS
from app.api.routing import TransactionalRoute
from app.schemas.events import EventPage
from app.services import events

router = APIRouter(route_class=TransactionalRoute, responses=PROBLEMS, tags=["events"])


@router.get("/events", response_model=EventPage)
async def list_events(
    session: SessionDep,
    principal: AnyRole,
    after: Annotated[
        int | None, Query(ge=0, description="`next_after` of the previous page; omit to start")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Oldest first. Sở Nội vụ sees every event; a unit those about itself; a cluster head its
    cluster's; a council member those of the clusters it monitors; a reader the unrestricted
    ones. Event data carries ids, codes and statuses only, never personal data."""
    return await events.feed(session, principal, after, limit)
