"""Calendar subscriptions: a user's secret feed addresses, and the feed a calendar app reads."""

from typing import Annotated

from fastapi import Path, Request, Response, status

from app.api import conditional, idempotency
from app.api.deps import Allowed, Listed, PageDep, Public, SessionDep
from app.api.fields import Fields
from app.api.responses import NO_SECURITY, NOT_FOUND, envelope
from app.api.routing import feature_router
from app.schemas.calendar_feeds import CalendarFeedCreate, CalendarFeedCreated, CalendarFeedRead
from app.schemas.common import Id, ListEnvelope
from app.services import calendar_feeds
from app.services.calendar_feeds import CALENDAR_FEED_SORTING

router = feature_router(tags=["calendar"])
ICALENDAR = "text/calendar; charset=utf-8"


@router.post(
    "/calendar-feeds",
    summary="Create a calendar subscription address",
    response_model=CalendarFeedCreated,
    status_code=status.HTTP_201_CREATED,
)
async def create_calendar_feed(
    request: Request,
    session: SessionDep,
    principal: Allowed("calendar_feed.create"),
    body: CalendarFeedCreate,
) -> CalendarFeedCreated:
    """A secret address (`url`) to subscribe to in a calendar app (Google Calendar, Outlook,
    the phone's calendar): the plan deadlines, the rounds' dates, the council's meetings and
    the disclosure periods the caller may see. The token is shown in this answer only; a retry
    with the same Idempotency-Key replays it with `token` and `url` null."""
    row, token = await calendar_feeds.create(session, principal, body)
    read = CalendarFeedRead.model_validate(row).model_dump()
    idempotency.replay_instead(request, CalendarFeedCreated(**read, token=None, url=None))
    url = str(request.url_for("read_calendar_feed", token=token))
    return CalendarFeedCreated(**read, token=token, url=url)


@router.get(
    "/calendar-feeds",
    summary="List one's calendar subscriptions",
    response_model=ListEnvelope[CalendarFeedRead],
)
async def list_calendar_feeds(
    session: SessionDep,
    principal: Allowed("calendar_feed.list"),
    page: PageDep,
    listing: Listed(CALENDAR_FEED_SORTING),
    fields: Fields(CalendarFeedRead),
):
    """The caller's own feed addresses (their tokens are never shown again)."""
    return fields.apply(
        envelope(
            await calendar_feeds.list_own(
                session, principal, page.limit, page.offset, listing=listing
            )
        )
    )


@router.delete(
    "/calendar-feeds/{feed_id}",
    summary="Revoke a calendar subscription",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def revoke_calendar_feed(
    session: SessionDep, principal: Allowed("calendar_feed.revoke"), feed_id: Id
) -> Response:
    """Revoke one of the caller's feed addresses: calendar apps using it get 404 from now on."""
    await calendar_feeds.revoke(session, principal, feed_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/calendar/{token}.ics",
    summary="Read a calendar subscription feed",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {}},
            "description": "iCalendar",
            "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
        },
        **NOT_FOUND,
    },
    dependencies=[Public("calendar.feed")],
    openapi_extra=NO_SECURITY,
)
async def read_calendar_feed(
    session: SessionDep, token: Annotated[str, Path(min_length=1, max_length=100)]
) -> Response:
    """The feed for calendar apps, which send no Bearer header: the token in the address is the
    credential. It shows what the feed's owner may see now. Poll with `If-None-Match`: 304
    while nothing in it changed."""
    row, body = await calendar_feeds.read_feed(session, token)
    response = Response(body, media_type=ICALENDAR, headers={"Cache-Control": "private, no-cache"})
    response.headers["ETag"] = conditional.representation_tag(f"feed{row.id}", body)
    return response
