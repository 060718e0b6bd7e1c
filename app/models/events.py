"""The event feed (GET /events): one row per domain event, written with the change."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime, utcnow


class Event(Base):
    """A domain event for followers (`GET /events`); the scope columns decide who may see it."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    type: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    unit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    meeting_id: Mapped[int | None] = mapped_column(Integer)
    # Events about personal data or internals are for Sở Nội vụ only.
    restricted: Mapped[bool] = mapped_column(default=False)


class EventUnit(Base):
    """A unit that may follow an event besides `Event.unit_id`: an event about several units'
    nominations at once (a published list) is seen by each of them."""

    __tablename__ = "event_units"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
