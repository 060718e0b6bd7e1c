"""Webhook subscriptions: signed pushes of the event feed, their delivery log and replays."""

from typing import Annotated

from fastapi import Query, Request, Response, status

from app.api import idempotency
from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.webhooks import (
    DeliveryRead,
    DeliveryStatus,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookSecret,
    WebhookUpdate,
)
from app.services import webhooks
from app.services.webhooks import DELIVERY_SORTING, WEBHOOK_SORTING

router = feature_router(tags=["webhooks"])


@router.post(
    "/webhooks",
    summary="Subscribe a URL to the events",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    responses=CREATED,
)
async def create_webhook(
    request: Request,
    session: SessionDep,
    principal: Allowed("webhook.create"),
    body: WebhookCreate,
    response: Response,
):
    """Receive the events the caller may read on `GET /events`, from the next one on, signed
    by the Standard Webhooks scheme. The `secret` is in this answer only: a retry with the same
    Idempotency-Key replays it with `secret: null` (rotate the secret if it was lost). The URL
    must be `https://` and resolve to public addresses (422 `webhook_url_refused`)."""
    subscription, secret = await webhooks.create(
        session, principal, request.app.state.settings, body
    )
    read = WebhookRead.model_validate(subscription).model_dump()
    idempotency.replay_instead(request, WebhookCreated(**read, secret=None))
    response.headers["Location"] = f"/api/v1/webhooks/{subscription.id}"
    set_etag(response, subscription.version)
    return WebhookCreated(**read, secret=secret)


@router.get(
    "/webhooks", summary="List the webhook subscriptions", response_model=ListEnvelope[WebhookRead]
)
async def list_webhooks(
    session: SessionDep,
    principal: Allowed("webhook.list"),
    page: PageDep,
    listing: Listed(WEBHOOK_SORTING),
    fields: Fields(WebhookRead),
):
    """Sở Nội vụ sees every subscription; a reader its own."""
    result = await webhooks.list_(session, principal, page.limit, page.offset, listing=listing)
    return fields.apply(envelope(result))


@router.get(
    "/webhooks/{webhook_id}",
    summary="Read a webhook subscription",
    response_model=WebhookRead,
    responses=NOT_FOUND,
)
async def get_webhook(
    session: SessionDep, principal: Allowed("webhook.read"), webhook_id: Id, response: Response
):
    """One subscription (webhook): its address, event types, state and failures; never its
    secret."""
    subscription = await webhooks.get(session, principal, webhook_id)
    set_etag(response, subscription.version)
    return subscription


@router.patch(
    "/webhooks/{webhook_id}",
    summary="Change, pause or resume a webhook",
    response_model=WebhookRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_webhook(
    request: Request,
    session: SessionDep,
    principal: Allowed("webhook.update"),
    webhook_id: Id,
    body: WebhookUpdate,
    expected: IfMatch,
    response: Response,
):
    """`active: false` pauses it; `active: true` resumes it (also after a 410 turned it off)
    from where it stopped, while the events are kept."""
    subscription = await webhooks.update(
        session, principal, request.app.state.settings, webhook_id, body, expected
    )
    set_etag(response, subscription.version)
    return subscription


@router.delete(
    "/webhooks/{webhook_id}",
    summary="Delete a webhook subscription",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def delete_webhook(
    session: SessionDep, principal: Allowed("webhook.delete"), webhook_id: Id
) -> Response:
    """Delete the subscription (webhook); nothing more is sent to it."""
    await webhooks.remove(session, principal, webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    summary="Rotate a webhook's signing secret",
    response_model=WebhookSecret,
    responses=NOT_FOUND,
)
async def rotate_webhook_secret(
    request: Request, session: SessionDep, principal: Allowed("webhook.rotate_secret"),
    webhook_id: Id,
):  # fmt: skip
    """A new secret, shown once (a replay with the same Idempotency-Key has `secret: null`).
    Messages carry a signature by each secret until `previous_secret_valid_until`."""
    subscription, secret = await webhooks.rotate_secret(
        session, principal, request.app.state.settings, webhook_id
    )
    until = subscription.previous_secret_valid_until
    idempotency.replay_instead(
        request, WebhookSecret(secret=None, previous_secret_valid_until=until)
    )
    return WebhookSecret(secret=secret, previous_secret_valid_until=until)


@router.post(
    "/webhooks/{webhook_id}/ping",
    summary="Send a test message to a webhook",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=NOT_FOUND,
)
async def ping_webhook(session: SessionDep, principal: Allowed("webhook.ping"), webhook_id: Id):
    """Queue a test message of type `webhook.ping`; follow it in the delivery log."""
    return await webhooks.ping(session, principal, webhook_id)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    summary="List a webhook's deliveries",
    response_model=ListEnvelope[DeliveryRead],
    responses=NOT_FOUND,
)
async def list_webhook_deliveries(
    session: SessionDep,
    principal: Allowed("webhook.list_deliveries"),
    webhook_id: Id,
    page: PageDep,
    listing: Listed(DELIVERY_SORTING),
    fields: Fields(DeliveryRead),
    status: Annotated[DeliveryStatus | None, Query()] = None,
):
    """Newest first: status, attempts, the last answer's code, duration and the next try."""
    result = await webhooks.list_deliveries(
        session, principal, webhook_id, status, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    summary="Send a webhook message again",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def redeliver_webhook_delivery(
    session: SessionDep, principal: Allowed("webhook.redeliver"), webhook_id: Id, delivery_id: Id
):
    """Send a delivered or failed message again (same body and `webhook-id`); a pending one is
    409 `delivery_pending`."""
    return await webhooks.redeliver(session, principal, webhook_id, delivery_id)
