"""Webhook subscriptions: an address receives, signed, the events its owner may read.

Sở Nội vụ manages every subscription; a reader (a script's service token) manages its own.
The worker (`tdkt worker`, `queue.py`) delivers them; this module is what the API does.
"""

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.errors import Conflict, NotFound
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, paginate
from app.core.principal import Principal
from app.core.statuses import DeliveryStatus
from app.models import Event, WebhookDelivery, WebhookSubscription
from app.schemas.webhooks import WebhookCreate, WebhookUpdate
from app.services import audit, permissions, policies
from app.services.webhooks import signing, targets

AUDITED = ("url", "event_types", "description", "active")
PING = "webhook.ping"


async def create(
    session: AsyncSession, actor: Principal, settings: Settings, body: WebhookCreate
) -> tuple[WebhookSubscription, str]:
    """A subscription from the next event on, and its signing secret (shown this once)."""
    permissions.require(actor, "webhook.create")
    await targets.target_of(body.url, settings)
    secret = signing.new_secret()
    head = await session.scalar(select(func.max(Event.id))) or 0
    subscription = WebhookSubscription(
        url=body.url,
        event_types=sorted(set(body.event_types)),
        description=body.description,
        active=body.active,
        owner_role=actor.role,
        owner_user_id=actor.user_id if actor.service_token_id is None else None,
        owner_service_token_id=actor.service_token_id,
        secret=secret,
        event_cursor=head,
    )
    session.add(subscription)
    await session.flush()
    await audit.record(
        session, actor, "webhook.created", "webhook", subscription.id,
        after=audit.snapshot(subscription, AUDITED),
    )  # fmt: skip
    return subscription, secret


WEBHOOK_SORTING = sorting(WebhookSubscription, "id", ["url", "active"])


async def list_(
    session: AsyncSession, actor: Principal, limit: int, offset: int, listing: Listing = NO_LISTING
) -> PageResult:
    permissions.require(actor, "webhook.list")
    stmt = policies.webhook_scope(select(WebhookSubscription), actor)
    return await paginate(session, WEBHOOK_SORTING.apply(stmt, listing), limit, offset)


async def get(
    session: AsyncSession, actor: Principal, subscription_id: int, action: str = "webhook.read"
) -> WebhookSubscription:
    """The subscription if the caller manages it; another's is a 404, as if it did not exist."""
    permissions.require(actor, action)
    found = await session.scalar(
        policies.webhook_scope(
            select(WebhookSubscription).where(WebhookSubscription.id == subscription_id), actor
        )
    )
    if found is None:
        raise NotFound(f"Không tìm thấy đăng ký nhận sự kiện có mã số {subscription_id}.")
    return found


async def update(
    session: AsyncSession,
    actor: Principal,
    settings: Settings,
    subscription_id: int,
    body: WebhookUpdate,
    expected_version: int | None,
) -> WebhookSubscription:
    """Change the URL, the types, the description or `active` (the fields sent); turning it
    back on clears the reason it was turned off, and it resumes where it stopped."""
    subscription = await get(session, actor, subscription_id, "webhook.update")
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "url" in changes:
        await targets.target_of(changes["url"], settings)
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    if changes.get("active"):
        changes["disabled_reason"] = None
    return await audit.audited_update(
        session, actor, subscription, changes, expected_version,
        action="webhook.updated", entity="webhook", audited=AUDITED,
    )  # fmt: skip


async def remove(session: AsyncSession, actor: Principal, subscription_id: int) -> None:
    """Delete the subscription and its delivery log; nothing more is sent to it."""
    subscription = await get(session, actor, subscription_id, "webhook.delete")
    before = audit.snapshot(subscription, AUDITED)
    await session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
    )
    await session.delete(subscription)
    await session.flush()
    await audit.record(session, actor, "webhook.deleted", "webhook", subscription_id, before=before)


async def rotate_secret(
    session: AsyncSession, actor: Principal, settings: Settings, subscription_id: int
) -> tuple[WebhookSubscription, str]:
    """A new signing secret (shown this once); the old one still signs, beside it, for
    `TDKT_WEBHOOKS_SECRET_GRACE_HOURS`, so the receiver can switch without losing messages."""
    subscription = await get(session, actor, subscription_id, "webhook.rotate_secret")
    secret = signing.new_secret()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = utcnow() + timedelta(
        hours=settings.webhooks_secret_grace_hours
    )
    subscription.secret = secret
    await session.flush()
    await audit.record(
        session, actor, "webhook.secret_rotated", "webhook", subscription.id,
        comment="Đổi khóa ký; khóa cũ còn hiệu lực đến "
        f"{subscription.previous_secret_until.isoformat(timespec='seconds')}",
    )  # fmt: skip
    return subscription, secret


async def ping(session: AsyncSession, actor: Principal, subscription_id: int) -> WebhookDelivery:
    """Queue a `webhook.ping` message, sent after the subscription's pending deliveries."""
    subscription = await get(session, actor, subscription_id, "webhook.ping")
    now = utcnow()
    delivery = WebhookDelivery(
        subscription_id=subscription.id,
        event_id=None,
        event_type=PING,
        message_id=f"ping_{subscription.id}_{int(now.timestamp() * 1000)}",
        payload={
            "id": None, "type": PING, "occurred_at": now.isoformat(),
            "entity_type": "webhook", "entity_id": subscription.id, "data": {},
        },
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
    )  # fmt: skip
    session.add(delivery)
    await session.flush()
    return delivery


DELIVERY_SORTING = sorting(
    WebhookDelivery, "-id", ["status", "event_type", "attempts", "next_attempt_at"]
)


async def list_deliveries(
    session: AsyncSession,
    actor: Principal,
    subscription_id: int,
    status: str | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The delivery log, newest first."""
    subscription = await get(session, actor, subscription_id, "webhook.list_deliveries")
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    return await paginate(session, DELIVERY_SORTING.apply(stmt, listing), limit, offset)


async def redeliver(
    session: AsyncSession, actor: Principal, subscription_id: int, delivery_id: int
) -> WebhookDelivery:
    """Send a delivered or failed message again (same body, same `webhook-id`), queued after
    the subscription's pending deliveries."""
    subscription = await get(session, actor, subscription_id, "webhook.redeliver")
    original = await session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.subscription_id == subscription.id
        )
    )
    if original is None:
        raise NotFound(f"Không tìm thấy lần gửi có mã số {delivery_id} của đăng ký này.")
    if original.status == DeliveryStatus.PENDING:
        raise Conflict(
            "Lần gửi này vẫn đang chờ gửi (hoặc đang thử lại); không cần gửi lại.",
            code="delivery_pending",
        )
    again = WebhookDelivery(
        subscription_id=subscription.id,
        event_id=original.event_id,
        event_type=original.event_type,
        message_id=original.message_id,
        payload=original.payload,
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(again)
    await session.flush()
    await audit.record(
        session, actor, "webhook.redelivered", "webhook", subscription.id,
        after={"delivery_id": again.id, "message_id": again.message_id},
    )  # fmt: skip
    return again
