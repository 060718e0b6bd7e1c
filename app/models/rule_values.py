"""Số liệu của quy định: the legal clocks and quorum shares, data Sở Nội vụ may amend."""

from sqlalchemy import CheckConstraint, Float, String, Text
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
