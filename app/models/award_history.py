"""Award history (lịch sử khen thưởng): the awards a nominee already holds."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.nominee_kinds import NomineeKind
from app.models.base import (
    Base,
    UpdatedAtMixin,
    UTCDateTime,
    VersionedMixin,
    one_of,
    trigram_index,
    utcnow,
)


class AwardHistory(UpdatedAtMixin, VersionedMixin, Base):
    """Một lần được khen của cá nhân / tập thể / hộ gia đình: from a decision recorded here or
    imported; a household's only from its decision.

    Individuals are matched by their folded name (`nominee_key`) and unit, collectives by their
    row in the register (`collective_id`), never by their unit alone. Only `kind = 'regular'`
    awards count toward a higher award.

    `year` is the year of the achievement (năm thành tích) that every criterion reads: a Chiến sĩ
    thi đua cơ sở decided in March 2026 for the work of 2025 has `year` 2025 and
    `decision_year` 2026.
    """

    __tablename__ = "award_history"
    __table_args__ = (
        CheckConstraint(one_of("nominee_kind", NomineeKind.values()), name="nominee_kind"),
        CheckConstraint("kind IN ('regular', 'thematic', 'unscheduled')", name="kind"),
        trigram_index("award_history"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_key: Mapped[str] = mapped_column(String(300), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # A household's address (thôn/bản, xã), from its nomination or the imported table; null for
    # individuals and collectives.
    nominee_address: Mapped[str | None] = mapped_column(String(300))
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collectives.id"), index=True)
    award_type_code: Mapped[str] = mapped_column(String(80), index=True)
    year: Mapped[int] = mapped_column(Integer)
    decision_year: Mapped[int | None] = mapped_column(Integer)
    decision_no: Mapped[str | None] = mapped_column(String(100))
    decided_on: Mapped[date | None] = mapped_column(Date)
    # "decision" (recorded here), "import" (past years), or another named source.
    source: Mapped[str] = mapped_column(String(20), default="import")
    kind: Mapped[str] = mapped_column(String(20), default="regular")
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL")
    )
    # A grassroots title a unit entered (`source = 'unit'`) waits for Sở Nội vụ to confirm it
    # against its decision; rows from decisions and imports need no confirming.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def confirmed(self) -> bool:
        return self.source != "unit" or self.confirmed_at is not None
