"""The delivery queue, derived from the event feed (a transactional outbox).

Events are written in the transaction of the change they report, so a rolled-back change
leaves none. The worker turns the events after each subscription's cursor into delivery rows
(`derive`), claims each subscription's oldest due delivery (`lease`), sends it outside any
transaction, and writes the attempt (`record`). A worker that dies while sending leaves a lease
that runs out, and the delivery is sent again: at least once, in event order per subscription.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import skip_locked
from app.core.principal import Principal
from app.core.statuses import DeliveryStatus
from app.models import Event, ServiceToken, User, WebhookDelivery, WebhookSubscription
from app.services import events, policies, workflow
from app.services.webhooks.sending import Attempt

# Events read per subscription and pass; a long backlog is drained over several passes.
DERIVE_BATCH = 500
# Status codes after which the same message is tried again.
RETRIED = frozenset({408, 425, 429})


def owner_of(subscription: WebhookSubscription) -> Principal:
    """The caller the subscription reads the feed as."""
    return Principal(
        role=subscription.owner_role,
        user_id=subscription.owner_user_id,
        service_token_id=subscription.owner_service_token_id,
    )


def signing_secrets(subscription: WebhookSubscription, now: datetime) -> list[str]:
    """The secret, and during a rotation's grace period the previous one too."""
    found = [subscription.secret]
    until = subscription.previous_secret_until
    if subscription.previous_secret and until is not None and until > now:
        found.append(subscription.previous_secret)
    return found


def owner_still_entitled():
    """The subscriptions whose owner may still read the feed: a service token neither revoked
    nor expired, an account still active and in the role it had. Others send nothing (their
    cursor waits) — revoking a script's token stops its webhooks too."""
    today = utcnow().date()
    tokens = select(ServiceToken.id).where(
        ServiceToken.revoked_at.is_(None), ServiceToken.expires_on >= today
    )
    accounts = select(User.id).where(
        User.active.is_(True), User.role == WebhookSubscription.owner_role
    )
    return or_(
        WebhookSubscription.owner_service_token_id.in_(tokens),
        and_(
            WebhookSubscription.owner_service_token_id.is_(None),
            WebhookSubscription.owner_user_id.in_(accounts),
        ),
    )


def matching_events(subscription: WebhookSubscription):
    """The events the subscription delivers: those its owner may read on `GET /events`
    (the same scope), of the types it asked for."""
    stmt = policies.event_scope(select(Event), owner_of(subscription))
    if subscription.event_types:
        stmt = stmt.where(Event.type.in_(subscription.event_types))
    return stmt


async def derive(session: AsyncSession, batch: int = DERIVE_BATCH) -> int:
    """Queue a delivery for every new event each active subscription may see; move the
    cursors. Returns the number of deliveries queued."""
    head = await session.scalar(select(func.max(Event.id))) or 0
    subscriptions = await session.scalars(
        skip_locked(
            select(WebhookSubscription)
            .where(WebhookSubscription.active.is_(True), owner_still_entitled())
            .where(WebhookSubscription.event_cursor < head)
            .order_by(WebhookSubscription.id)
        )
    )
    queued = 0
    for subscription in list(subscriptions):
        cursor = subscription.event_cursor
        ids = list(
            await session.scalars(
                select(Event.id).where(Event.id > cursor).order_by(Event.id).limit(batch)
            )
        )
        if not ids:
            continue
        upper = ids[-1]
        found = await session.scalars(
            matching_events(subscription)
            .where(Event.id > cursor, Event.id <= upper)
            .order_by(Event.id)
        )
        for event in found:
            session.add(
                WebhookDelivery(
                    subscription_id=subscription.id,
                    event_id=event.id,
                    event_type=event.type,
                    message_id=f"evt_{event.id}",
                    payload=events.as_message(event),
                    status=DeliveryStatus.PENDING,
                    attempts=0,
                    next_attempt_at=utcnow(),
                )
            )
            queued += 1
        # A plain UPDATE: the worker's bookkeeping does not change the client's ETag.
        await session.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == subscription.id)
            .values(event_cursor=upper)
            .execution_options(synchronize_session=False)
        )
    await session.flush()
    return queued


@dataclass(frozen=True)
class Lease:
    """A delivery claimed by one worker, with what sending it needs."""

    delivery_id: int
    token: str
    subscription_id: int
    url: str
    signing_secrets: list[str]
    message_id: str
    payload: dict[str, Any]


def lease_seconds(settings: Settings) -> float:
    """How long a claim holds: well beyond the longest attempt (the timeout bounds the DNS
    lookup and the send together), so only a dead worker's claim runs out."""
    return settings.webhooks_timeout_seconds * 2 + 1


async def lease(session: AsyncSession, settings: Settings, limit: int) -> list[Lease]:
    """Claim up to `limit` due deliveries, each the oldest pending one of its subscription
    (so a subscription receives its messages in order, one at a time)."""
    now = utcnow()
    heads = (
        select(func.min(WebhookDelivery.id))
        .where(WebhookDelivery.status == DeliveryStatus.PENDING)
        .group_by(WebhookDelivery.subscription_id)
    )
    stmt = (
        select(WebhookDelivery, WebhookSubscription)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            WebhookDelivery.id.in_(heads),
            WebhookSubscription.active.is_(True),
            owner_still_entitled(),
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    rows = (await session.execute(skip_locked(stmt, WebhookDelivery))).all()
    leases = []
    until = now + timedelta(seconds=lease_seconds(settings))
    for delivery, subscription in rows:
        token = uuid.uuid4().hex
        delivery.leased_until, delivery.lease_token = until, token
        leases.append(
            Lease(
                delivery.id,
                token,
                subscription.id,
                subscription.url,
                signing_secrets(subscription, now),
                delivery.message_id,
                delivery.payload,
            )
        )
    await session.flush()
    return leases


async def purge_deliveries(session: AsyncSession, retention_days: int) -> int:
    """Delete delivered and failed deliveries older than `retention_days` (0: keep all)."""
    if retention_days <= 0:
        return 0
    result = await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status != DeliveryStatus.PENDING,
            WebhookDelivery.created_at < utcnow() - timedelta(days=retention_days),
        )
    )
    return result.rowcount or 0


def backoff_seconds(settings: Settings, attempts: int) -> float:
    """The wait after the `attempts`-th failed attempt: doubling from the base, capped, with
    ±25% jitter so receivers that come back are not hit by every sender at once."""
    nominal = min(
        settings.webhooks_retry_base_seconds * 2 ** min(attempts - 1, 40),
        settings.webhooks_retry_max_delay_seconds,
    )
    return nominal * random.uniform(0.75, 1.25)  # noqa: S311 (jitter, not a secret)


def _retried(attempt: Attempt) -> bool:
    code = attempt.status_code
    return code is None or code >= 500 or code in RETRIED


async def record(
    session: AsyncSession, settings: Settings, claimed: Lease, attempt: Attempt
) -> WebhookDelivery | None:
    """Write one attempt's outcome. None when the lease was lost (it ran out and another
    worker took the delivery) or the subscription was deleted meanwhile."""
    delivery = await session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.id == claimed.delivery_id,
            WebhookDelivery.lease_token == claimed.token,
        )
    )
    if delivery is None:
        return None
    now = utcnow()
    delivery.attempts += 1
    delivery.first_attempt_at = delivery.first_attempt_at or now
    delivery.last_attempt_at = now
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error
    delivery.last_duration_ms = attempt.duration_ms
    delivery.leased_until, delivery.lease_token = None, None
    health: dict[str, Any] = {}
    if attempt.succeeded:
        workflow.apply(delivery, "webhook_delivery", "deliver",
                       changes={"delivered_at": now, "next_attempt_at": None})  # fmt: skip
        health = {"failing_since": None}
    elif attempt.status_code == 410:
        # The receiver says the address is gone: stop sending until someone turns it back on.
        workflow.apply(delivery, "webhook_delivery", "fail", changes={"next_attempt_at": None})
        health = {"active": False, "disabled_reason": "gone"}
    else:
        wait = backoff_seconds(settings, delivery.attempts)
        if attempt.retry_after is not None:
            wait = max(wait, attempt.retry_after)
        deadline = delivery.first_attempt_at + timedelta(
            seconds=settings.webhooks_retry_window_seconds
        )
        retry_at = now + timedelta(seconds=wait)
        if _retried(attempt) and retry_at <= deadline:
            delivery.next_attempt_at = retry_at
        else:
            workflow.apply(delivery, "webhook_delivery", "fail", changes={"next_attempt_at": None})
            health = {"failing_since": now}
    await session.flush()
    if health:
        stmt = update(WebhookSubscription).where(WebhookSubscription.id == delivery.subscription_id)
        if "failing_since" in health and health["failing_since"] is not None:
            # The first failure of a run is when it started failing.
            stmt = stmt.where(WebhookSubscription.failing_since.is_(None))
        await session.execute(stmt.values(**health).execution_options(synchronize_session=False))
    return delivery
