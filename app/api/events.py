"""The domain event feed for followers (dashboards, the mobile backend, notifications), as
pages (`GET /events`) and as a live stream of Server-Sent Events (`GET /events/stream`)."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from app.api.deps import Allowed, SessionDep
from app.api.fields import Fields
from app.api.routing import feature_router
from app.core.errors import Unauthorized
from app.core.principal import Principal
from app.schemas.events import EventFields, EventPage
from app.services import auth as auth_service
from app.services import events

router = feature_router(tags=["events"])

After = Annotated[
    str | None,
    Query(
        pattern=r"^(head|[0-9]{0,10})$",
        description="`next_after` of the previous page; `head` starts from now; absent or "
        "empty starts from the beginning. A number beyond the newest event is a 422.",
    ),
]
STREAM_BATCH = 100


@router.get("/events", summary="Read the event feed", response_model=EventPage)
async def list_events(
    session: SessionDep,
    principal: Allowed("event.list"),
    fields: Fields(EventFields),
    after: After = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Oldest first. Sở Nội vụ sees every event; a unit those about itself; a cluster head its
    cluster's; a council member those of the clusters it monitors; a reader the unrestricted
    ones. Event data carries ids, codes and statuses (and a return's reason), never personal
    data. Events older than `TDKT_EVENTS_RETENTION_DAYS` (if set) are deleted."""
    start = await events.cursor(session, after)
    return fields.apply(await events.feed(session, principal, start, limit))


@router.get(
    "/events/stream",
    summary="Follow the event feed live (SSE)",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def stream_events(
    request: Request,
    session: SessionDep,
    principal: Allowed("event.stream"),
    after: After = None,
    last_event_id: Annotated[
        str | None,
        Header(pattern=r"^[0-9]{1,10}$", description="Sent by the browser on reconnection"),
    ] = None,
):
    """The same events as `GET /events`, live: each message has `id:` (the event id) and
    `data:` (the event as the feed shows it). A reconnecting client resumes after its
    `Last-Event-ID` (else after `after`; `head` by default). A comment line every
    `TDKT_EVENTS_STREAM_HEARTBEAT_SECONDS` keeps proxies from closing it. It ends with an
    `event: end` message when the token expires or is revoked: sign in again and reconnect."""
    start = await events.cursor(session, last_event_id or after or events.HEAD)
    settings = request.app.state.settings
    token = request.headers.get("authorization", "").partition(" ")[2]
    return EventSourceResponse(
        _messages(request, principal, token, start),
        ping=settings.events_stream_heartbeat_seconds,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _messages(
    request: Request, principal: Principal, token: str, after: int | None
) -> AsyncIterator[ServerSentEvent]:
    """Poll the feed in short transactions of its own (the request's has ended), checking the
    token each time, so a logout, a revocation or the expiry ends the stream."""
    db, codec = request.app.state.db, request.app.state.tokens
    poll = request.app.state.settings.events_stream_poll_seconds
    while True:
        async with db.sessionmaker() as session:
            try:
                await auth_service.authenticate(session, codec, token)
            except Unauthorized:
                yield ServerSentEvent(data="token_expired", event="end")
                return
            page = await events.feed(session, principal, after, STREAM_BATCH)
        for event in page.items:
            yield ServerSentEvent(
                data=json.dumps(events.as_message(event), ensure_ascii=False), id=str(event.id)
            )
        after = page.next_after
        if len(page.items) < STREAM_BATCH:
            await asyncio.sleep(poll)
