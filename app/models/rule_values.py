"""Số liệu của quy định: the legal clocks and quorum shares, data Sở Nội vụ may amend."""

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, Float, String, Text, UniqueConstraint
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


class DatedRuleValue(VersionedMixin, TimestampMixin, Base):
    """A rule value that changes on a date and may carry money: the mức lương cơ sở (đồng),
    the multiples of it paid with each award (tiền thưởng). The value in force on a day is the
    row of its key with the latest `effective_from` not after that day. `verified` is false
    for a value shipped without having been checked against the text it cites."""

    __tablename__ = "dated_rule_values"
    __table_args__ = (
        CheckConstraint("unit IN ('dong', 'multiple')", name="unit"),
        UniqueConstraint("key", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), index=True)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    verified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
