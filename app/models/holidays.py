"""Sở Nội vụ's own days off and make-up working days, beside the statutory holidays."""

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UpdatedAtMixin


class Holiday(UpdatedAtMixin, Base):
    """A day Sở Nội vụ declared off (`off=True`) or declared a working day despite the calendar."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    off: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200), default="")
