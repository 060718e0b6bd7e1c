"""Số liệu của quy định: the legal clocks and quorum shares, data Sở Nội vụ may amend."""

from datetime import date

from sqlalchemy import CheckConstraint, Date, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, VersionedMixin


class RuleValue(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "rule_values"
    __table_args__ = (CheckConstraint("unit IN ('working_days', 'percent')", name="unit"),)

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The day `value` takes effect (the issuing decision's); before it, `previous_value` holds.
    effective_from: Mapped[date | None] = mapped_column(Date)
    previous_value: Mapped[float | None] = mapped_column(Float)

    def in_force(self, today: date) -> float:
        """The value that holds on `today`."""
        pending = self.effective_from is not None and today < self.effective_from
        return self.previous_value if pending and self.previous_value is not None else self.value
