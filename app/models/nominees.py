"""What is known about a nominee beyond its nominations: the register of collectives (tập thể).

A collective is not its unit. "Bệnh viện Đa khoa tỉnh Sơn La" and "Phòng Nghiệp vụ Y" are
collectives of the unit Sở Y tế, and so is Sở Y tế itself; each has its own row here, and award
history, ratings and nominations point at that row, so one collective's awards never count for
another of the same unit.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class Collective(Base):
    """Một tập thể: `unit_id` is the unit that proposes it (its own unit or its parent sở);
    `name_key` is its folded name without the unit's name, and empty for the unit itself."""

    __tablename__ = "collectives"
    __table_args__ = (UniqueConstraint("unit_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
