"""Calendar subscriptions (lịch đăng ký): a secret feed address per device of a user."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin


class CalendarFeed(TimestampMixin, Base):
    """A calendar app polls `/api/v1/calendar/{token}.ics` without a Bearer header, so the token
    in the address is the credential. Only its SHA-256 is kept; the owner sees the token once
    and revokes the feed by deleting it. The feed shows what the owner may see now."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
