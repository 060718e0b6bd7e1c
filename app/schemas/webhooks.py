"""Webhook subscriptions, their signing secret and their delivery log."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core import statuses
from app.core.event_types import EventType
from app.schemas.common import UPDATED_AT, ReadModel, StrictModel, Text, named_enum

WebhookUrl = Annotated[str, StringConstraints(min_length=8, max_length=2000)]
DeliveryStatus = statuses.DeliveryStatus
WebhookOwner = named_enum(
    "WebhookOwner", ("noi_vu", "service_token", "reader"),
    "Ai quản lý đăng ký: Sở Nội vụ, mã truy cập dịch vụ của người đọc, hoặc tài khoản người đọc.",
    __name__,
)  # fmt: skip

EVENT_TYPES_HELP = "Loại sự kiện muốn nhận, ví dụ `dossier.returned`; để trống: mọi loại."


class WebhookCreate(StrictModel):
    url: WebhookUrl = Field(description="Địa chỉ `https://` nhận sự kiện (POST)")
    event_types: list[EventType] = Field(
        default_factory=list, max_length=100, description=EVENT_TYPES_HELP
    )
    description: Text | None = Field(default=None, max_length=500)
    active: bool = True


class WebhookUpdate(StrictModel):
    # Not nullable: an absent field keeps its value, an explicit null is a 422.
    url: WebhookUrl = None
    event_types: list[EventType] = Field(default=None, max_length=100)
    description: Text | None = Field(default=None, max_length=500)
    active: bool = None


class WebhookRead(ReadModel):
    id: int
    url: str
    event_types: list[EventType]
    description: str | None
    active: bool
    failing: bool = Field(description="Lần gửi gần nhất đã thất bại sau mọi lần thử lại")
    failing_since: datetime | None
    disabled_reason: Literal["gone"] | None = Field(
        description="`gone`: địa chỉ nhận trả lời 410, đăng ký đã tự tắt"
    )
    owner: WebhookOwner
    previous_secret_valid_until: datetime | None
    created_at: datetime
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class WebhookCreated(WebhookRead):
    secret: str | None = Field(
        description="Khóa ký `whsec_…`, chỉ hiện một lần; `null` khi trả lời lặp lại "
        "(Idempotency-Key)"
    )


class WebhookSecret(ReadModel):
    secret: str | None = Field(description="Khóa ký mới, chỉ hiện một lần")
    previous_secret_valid_until: datetime | None


class DeliveryRead(ReadModel):
    id: int
    event_id: int | None
    event_type: EventType
    message_id: str = Field(description="Header `webhook-id`: giống nhau ở mọi lần gửi lại")
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_duration_ms: int | None
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    updated_at: datetime = Field(description=UPDATED_AT)
