"""The award-type catalogue as Sở Nội vụ edits it, and the award history criteria checks read."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, TimestampMixin, UTCDateTime, VersionedMixin, utcnow

AWARD_KINDS = ("regular", "thematic", "unscheduled")
NOMINEE_KINDS = ("individual", "collective")


class AwardType(TimestampMixin, VersionedMixin, Base):
    """Danh hiệu thi đua / hình thức khen thưởng: seeded from the shipped catalogue, then edited."""

    __tablename__ = "award_types"
    __table_args__ = (
        CheckConstraint("level IN ('grassroots', 'provincial', 'state')", name="level"),
        CheckConstraint("recipient IN ('individual', 'collective', 'both')", name="recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200))
    council_vote: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    required_documents: Mapped[list[str]] = mapped_column(JSONType, default=list)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    needs_public_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)
    disclosure_working_days: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class AwardHistory(Base):
    """Một lần được khen của cá nhân / tập thể: from a decision recorded here or imported.

    Individuals are matched by their folded name (`nominee_key`) and unit, collectives by unit.
    Only `kind = 'regular'` awards count toward consecutive-year criteria.
    """

    __tablename__ = "award_history"
    __table_args__ = (
        CheckConstraint("nominee_kind IN ('individual', 'collective')", name="nominee_kind"),
        CheckConstraint("kind IN ('regular', 'thematic', 'unscheduled')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_key: Mapped[str] = mapped_column(String(300), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    award_type_code: Mapped[str] = mapped_column(String(80), index=True)
    year: Mapped[int] = mapped_column(Integer)
    decision_no: Mapped[str | None] = mapped_column(String(100))
    decided_on: Mapped[date | None] = mapped_column(Date)
    # "decision" (recorded here), "import" (past years), or another named source.
    source: Mapped[str] = mapped_column(String(20), default="import")
    kind: Mapped[str] = mapped_column(String(20), default="regular")
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
