"""What is known about a nominee beyond its nominations: the register of collectives (tập thể),
yearly ratings, discipline and investigations, initiatives and research.

A collective is not its unit. "Bệnh viện Đa khoa tỉnh Sơn La" and "Phòng Nghiệp vụ Y" are
collectives of the unit Sở Y tế, and so is Sở Y tế itself; each has its own row here, and award
history, ratings and nominations point at that row, so one collective's awards never count for
another of the same unit.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.nominee_kinds import RATED_KINDS
from app.models.base import Base, UpdatedAtMixin, UTCDateTime, VersionedMixin, one_of, utcnow


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


RATINGS = ("htxs", "httt", "ht", "kht")
# Ratings are kept for people and collectives; a household has none.
NOMINEE_KINDS = RATED_KINDS
DISCIPLINE_KINDS = ("discipline", "pending_discipline", "investigation", "inspection")
INITIATIVE_KINDS = ("initiative", "research")
SCOPES = ("grassroots", "provincial", "national")


class YearlyRating(UpdatedAtMixin, VersionedMixin, Base):
    """Xếp loại mức độ hoàn thành nhiệm vụ of one person or collective for one year (HTXS, HTTT,
    HTNV, KHTNV): entered by the unit, confirmed by Sở Nội vụ."""

    __tablename__ = "yearly_ratings"
    __table_args__ = (
        CheckConstraint(one_of("nominee_kind", NOMINEE_KINDS), name="nominee_kind"),
        CheckConstraint(one_of("rating", RATINGS), name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_key: Mapped[str] = mapped_column(String(300), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collectives.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(10))
    decision_no: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20), default="entry")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def confirmed(self) -> bool:
        """Sở Nội vụ đã xác nhận."""
        return self.confirmed_at is not None


class DisciplineRecord(UpdatedAtMixin, VersionedMixin, Base):
    """Kỷ luật, đang xem xét kỷ luật, điều tra, thanh tra of one person, with its dates; an
    open one (no `ended_on`, or ending later) rules out any award."""

    __tablename__ = "discipline_records"
    __table_args__ = (CheckConstraint(one_of("kind", DISCIPLINE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_key: Mapped[str] = mapped_column(String(300), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    form: Mapped[str | None] = mapped_column(String(200))
    decision_no: Mapped[str | None] = mapped_column(String(100))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Initiative(UpdatedAtMixin, VersionedMixin, Base):
    """Sáng kiến or đề tài khoa học, recognised by a body for a scope (cơ sở, tỉnh, toàn quốc)."""

    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint(one_of("kind", INITIATIVE_KINDS), name="kind"),
        CheckConstraint(one_of("scope", SCOPES), name="scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="initiative")
    title: Mapped[str] = mapped_column(String(500))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    recognised_by: Mapped[str | None] = mapped_column(String(300))
    decision_no: Mapped[str | None] = mapped_column(String(100))
    decided_on: Mapped[date | None] = mapped_column(Date)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    authors: Mapped[list["InitiativeAuthor"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="InitiativeAuthor.position"
    )


class InitiativeAuthor(Base):
    """Tác giả of an initiative, matched to nominees by folded name and unit."""

    __tablename__ = "initiative_authors"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)


class InitiativeUse(Base):
    """Một sáng kiến chỉ làm căn cứ cho một lần khen: the nomination an initiative justified,
    recorded when Sở Nội vụ concludes that nomination eligible with a check that passed on it.
    The unique initiative makes a second claim a conflict; the row goes with its nomination."""

    __tablename__ = "initiative_uses"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
