"""The award-type catalogue as Sở Nội vụ edits it, and the award history criteria checks read."""

from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.nominee_kinds import RECIPIENTS
from app.models.base import Base, JSONType, TimestampMixin, VersionedMixin, one_of

AWARD_KINDS = ("regular", "thematic", "unscheduled")


class AwardType(TimestampMixin, VersionedMixin, Base):
    """Danh hiệu thi đua / hình thức khen thưởng: seeded from the shipped catalogue, then edited."""

    __tablename__ = "award_types"
    __table_args__ = (
        CheckConstraint("level IN ('grassroots', 'provincial', 'state')", name="level"),
        CheckConstraint(one_of("recipient", RECIPIENTS), name="recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(20))
    # Hộ gia đình: given to households too (Luật 2022, Điều 2; e.g. Bằng khen cấp tỉnh).
    accepts_households: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    decided_by: Mapped[str] = mapped_column(String(200))
    council_vote: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    required_documents: Mapped[list[str]] = mapped_column(JSONType, default=list)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    needs_public_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)
    disclosure_working_days: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
