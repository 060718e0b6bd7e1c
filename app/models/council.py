"""Council meetings (phiên họp Hội đồng TĐKT tỉnh), their agenda and attendance, the secret
ballot (bỏ phiếu kín) and the stored results.

The ballot tables are shaped so that the database alone cannot tell how a member voted:
`ballot_participations` knows who voted but not how; `ballot_choices` knows how but not who,
and carries neither a timestamp nor a sequential id; `ballot_receipts` links the two only
through an HMAC key and an encrypted reference that need the application's secret. On SQLite
the three tables are WITHOUT ROWID, so no hidden insertion counter orders their rows.
"""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin

MEETING_KINDS = ("award", "regular")
MEETING_STATUSES = ("scheduled", "open", "closed")
BALLOT_CHOICES = ("approve", "reject", "abstain")
CAST_AS = ("present", "written")
# Rows stored in primary-key order, without SQLite's implicit, insertion-ordered rowid.
_NO_ROWID = {"sqlite_with_rowid": False}


class Meeting(TimestampMixin, VersionedMixin, Base):
    """Một phiên họp of one council; `members_total` and `present` are fixed when it opens."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("kind IN ('award', 'regular')", name="kind"),
        CheckConstraint("status IN ('scheduled', 'open', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(10), default="award")
    status: Mapped[str] = mapped_column(String(10), default="scheduled", index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    members_total: Mapped[int | None] = mapped_column(Integer)
    present: Mapped[int | None] = mapped_column(Integer)

    agenda: Mapped[list["AgendaItem"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="AgendaItem.position"
    )
    attendance: Mapped[list["Attendance"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="Attendance.member_id"
    )


class AgendaItem(Base):
    """A nomination put to the vote in a meeting."""

    __tablename__ = "meeting_agenda_items"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class Attendance(Base):
    """A member present at the meeting (có mặt); the others may send a written ballot."""

    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), primary_key=True)


class BallotParticipation(Base):
    """That a member voted, and how it reached the council — never what was chosen, never when.

    The primary key is what lets only one of many concurrent ballots of a member in.
    """

    __tablename__ = "ballot_participations"
    __table_args__ = (
        CheckConstraint("cast_as IN ('present', 'written')", name="cast_as"),
        _NO_ROWID,
    )

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), primary_key=True)
    cast_as: Mapped[str] = mapped_column(String(10))


class BallotChoice(Base):
    """One choice on one ballot: no voter, no time; `ballot_ref` (random) groups one ballot."""

    __tablename__ = "ballot_choices"
    __table_args__ = (
        CheckConstraint("choice IN ('approve', 'reject', 'abstain')", name="choice"),
        _NO_ROWID,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))
    choice: Mapped[str] = mapped_column(String(10))
    ballot_ref: Mapped[str] = mapped_column(String(36))


class BallotReceipt(Base):
    """Lets a member read back their own ballot: HMAC(meeting:member) → the encrypted ref."""

    __tablename__ = "ballot_receipts"
    __table_args__ = _NO_ROWID

    receipt_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed_ref: Mapped[str] = mapped_column(String(200))


class MeetingResult(Base):
    """Kết quả biểu quyết of one agenda item, counted when the meeting closed."""

    __tablename__ = "meeting_results"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), primary_key=True)
    approve: Mapped[int] = mapped_column(Integer)
    reject: Mapped[int] = mapped_column(Integer)
    abstain: Mapped[int] = mapped_column(Integer)
    members_total: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    approve_percent: Mapped[float] = mapped_column(Float)
    threshold_percent: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
