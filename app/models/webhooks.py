"""Webhook subscriptions and their deliveries (the outbox derived from the event feed)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.statuses import DeliveryStatus
from app.models.base import (
    Base,
    JSONType,
    TimestampMixin,
    UpdatedAtMixin,
    UTCDateTime,
    VersionedMixin,
    one_of,
    utcnow,
)


class WebhookSubscription(TimestampMixin, VersionedMixin, Base):
    """An address that receives, signed, the events its owner may read on `GET /events`.

    The owner (a Sở Nội vụ account or a reader's service token) fixes the scope: the worker
    reads the feed as the owner would. `event_cursor` is the last event id the worker has
    turned into deliveries; the worker moves it and the health fields with plain UPDATEs, so
    they do not change the ETag a client edits against."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSONType, default=list)
    description: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    owner_role: Mapped[str] = mapped_column(String(20))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_service_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_tokens.id"), index=True
    )
    secret: Mapped[str] = mapped_column(String(100))
    # The secret before the last rotation, still signing beside the new one until then.
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_cursor: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when a delivery failed for good (retries exhausted); cleared by the next success.
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the worker turned `active` off itself: "gone" (the receiver answered 410).
    disabled_reason: Mapped[str | None] = mapped_column(String(40))

    @property
    def failing(self) -> bool:
        return self.failing_since is not None

    @property
    def owner(self) -> str:
        """Who manages it: Sở Nội vụ, a reader's service token, or a reader's account."""
        if self.owner_role == "noi_vu":
            return "noi_vu"
        return "service_token" if self.owner_service_token_id is not None else "reader"

    @property
    def previous_secret_valid_until(self) -> datetime | None:
        """Until when the secret before the last rotation still signs; None once it is over."""
        until = self.previous_secret_until
        return until if until is not None and until > utcnow() else None


class WebhookDelivery(UpdatedAtMixin, Base):
    """One message to one subscription: an event (or a ping) and every attempt's outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint(one_of("status", DeliveryStatus.values()), name="status"),
        # The worker's question: each subscription's oldest pending delivery.
        Index("ix_webhook_deliveries_queue", "subscription_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    event_id: Mapped[int | None] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(60))
    # The `webhook-id` header: the same for every attempt and every redelivery of a message.
    message_id: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # A worker sending it holds it until then; a crashed worker's lease runs out.
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_token: Mapped[str | None] = mapped_column(String(32))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(300))
    last_duration_ms: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
