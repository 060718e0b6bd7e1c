"""Số liệu của quy định: the legal clocks, the council's quorums and vote thresholds, the base
salary and the prize multiples — data with a legal basis and a start date, set by Sở Nội vụ."""

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, Float, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, VersionedMixin


class RuleValue(VersionedMixin, TimestampMixin, Base):
    """One value of a rule from a date: the value of a key in force on a day is the row of
    that key with the latest `effective_from` not after that day. `verified` is false for a
    value shipped without having been checked against the text it cites (or, for the
    council's rules, before the text is issued)."""

    __tablename__ = "dated_rule_values"
    __table_args__ = (
        CheckConstraint("unit IN ('working_days', 'percent', 'dong', 'multiple')", name="unit"),
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
