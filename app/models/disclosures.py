"""Công khai: the lists of nominations Sở Nội vụ publishes for comment before the council (or
the Chủ tịch UBND tỉnh) decides on them, and the opinions (ý kiến) received about them."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.statuses import NominationStatus
from app.models.base import (
    Base,
    TimestampMixin,
    UpdatedAtMixin,
    UTCDateTime,
    VersionedMixin,
    utcnow,
)

if TYPE_CHECKING:
    from app.models.dossiers import Nomination

# A nomination in one of these is no longer proposed: a dossier returned for supplements puts
# its nominations back to draft, until it is submitted again.
NOT_STANDING = (NominationStatus.DRAFT, NominationStatus.WITHDRAWN, NominationStatus.REJECTED)


class Disclosure(UpdatedAtMixin, VersionedMixin, Base):
    """A published list (danh sách công khai): several nominations put before the public once,
    on one channel, from `published_on` until `ends_on` (hạn nhận ý kiến), with where to send
    opinions. A list recorded before these fields existed has no `ends_on` nor `feedback_to`."""

    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    # Where to send opinions: an address, an e-mail, a telephone number, as published.
    feedback_to: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list["DisclosureItem"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="DisclosureItem.nomination_id"
    )

    @property
    def nomination_ids(self) -> list[int]:
        """The nominations on the list (its items loaded)."""
        return [item.nomination_id for item in self.items]

    @property
    def ends_on_missing(self) -> bool:
        """No comment deadline (a list recorded before it was asked for): not shown publicly."""
        return self.ends_on is None


class DisclosureItem(Base):
    """One nomination on a published list."""

    __tablename__ = "disclosure_items"

    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), primary_key=True
    )
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id"), primary_key=True, index=True
    )

    nomination: Mapped["Nomination"] = relationship(lazy="raise")

    @property
    def nomination_status(self) -> str:
        return self.nomination.status

    @property
    def withdrawn(self) -> bool:
        """The nomination no longer stands (withdrawn, rejected, or its dossier returned or
        withdrawn): the list is no longer shown or printed with it."""
        return self.nomination.status in NOT_STANDING


class DisclosureOpinion(TimestampMixin, VersionedMixin, Base):
    """Ý kiến: an opinion received about a published list — from whom (or anonymous), about
    which nomination if it names one, what it says, and how Sở Nội vụ handled it."""

    __tablename__ = "disclosure_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), index=True
    )
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    sender: Mapped[str | None] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    handling: Mapped[str | None] = mapped_column(Text)
    handled_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
