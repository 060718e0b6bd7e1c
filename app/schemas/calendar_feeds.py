"""Calendar subscriptions: create one (the secret address is shown once), list, revoke."""

from datetime import datetime

from pydantic import Field

from app.schemas.common import UPDATED_AT, ReadModel, StrictModel, Text


class CalendarFeedCreate(StrictModel):
    name: Text = Field(
        default="Lịch công tác thi đua, khen thưởng",
        min_length=1,
        max_length=100,
        description="Tên gợi nhớ, ví dụ thiết bị dùng địa chỉ này (điện thoại, Outlook).",
    )


class CalendarFeedRead(ReadModel):
    id: int
    name: str
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED_AT)


class CalendarFeedCreated(CalendarFeedRead):
    token: str | None = Field(
        description="Mã bí mật của địa chỉ lịch, chỉ trả về một lần (null khi trả lời lại theo "
        "Idempotency-Key)."
    )
    url: str | None = Field(
        description="Địa chỉ đăng ký lịch (iCalendar) để dán vào ứng dụng lịch; ai có địa chỉ "
        "này đều xem được lịch, nên giữ bí mật. Null khi trả lời lại theo Idempotency-Key."
    )
