"""Council meetings (phiên họp Hội đồng TĐKT tỉnh), their agenda and attendance, the secret
ballot (bỏ phiếu kín) and the stored results.

The ballot tables are shaped so that the database alone cannot tell how a member voted:
`ballot_participations` knows who voted but not how; while the meeting is open the choices
exist only encrypted in `sealed_ballots`; the close writes them to `ballot_choices` shuffled,
all in its own transaction, with no voter, timestamp, sequential id or ballot grouping;
`ballot_receipts` holds a read-back copy that only the voter's one-time receipt opens. On
SQLite these tables are WITHOUT ROWID, so no hidden insertion counter orders their rows.
"""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.statuses import MeetingStatus
from app.models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin

MEETING_KINDS = ("award", "regular")
MEETING_STATUSES = MeetingStatus.values()
BALLOT_CHOICES = ("approve", "reject", "abstain")
CAST_AS = ("present", "written")
# Rows stored in primary-key order, without SQLite's implicit, insertion-ordered rowid.
_NO_ROWID = {"sqlite_with_rowid": False}


def _in(column: str, values: tuple[str, ...]) -> str:
    """`column IN ('a', 'b')`, the same SQL as written out by hand in migration 0004."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Meeting(TimestampMixin, VersionedMixin, Base):
    """Một phiên họp of one council; `members_total` and `present` are fixed when it opens."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_in("kind", MEETING_KINDS), name="kind"),
        CheckConstraint(_in("status", MEETING_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(10), default="award")
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.SCHEDULED, index=True)
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
    absences: Mapped[list["Absence"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="Absence.member_id"
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


class Absence(Base):
    """A member absent from the meeting, with the reason the minutes print (vắng mặt có lý do:
    đi công tác, ốm, ...). A member absent without a row is printed "Vắng mặt" alone."""

    __tablename__ = "meeting_absences"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))


class MeetingVoter(Base):
    """The voter roll, fixed when the meeting opens: only these members may cast a ballot."""

    __tablename__ = "meeting_voters"

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
        CheckConstraint(_in("cast_as", CAST_AS), name="cast_as"),
        _NO_ROWID,
    )

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), primary_key=True)
    cast_as: Mapped[str] = mapped_column(String(10))


class SealedBallot(Base):
    """A ballot while the meeting is open: its choices encrypted (AES-GCM, meeting id as
    associated data) under the ballot key; opened, shuffled and counted at the close."""

    __tablename__ = "sealed_ballots"
    __table_args__ = _NO_ROWID

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    sealed: Mapped[str] = mapped_column(Text)


class BallotChoice(Base):
    """One choice on one ballot, written only at the close, all in the closing transaction:
    no voter, no time, nothing grouping the choices of one ballot."""

    __tablename__ = "ballot_choices"
    __table_args__ = (
        CheckConstraint(_in("choice", BALLOT_CHOICES), name="choice"),
        _NO_ROWID,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))
    choice: Mapped[str] = mapped_column(String(10))


class BallotReceipt(Base):
    """Lets the holder of a one-time receipt read back a ballot: HMAC(ballot key, receipt) →
    the choices sealed under a key derived from the receipt, which is never stored."""

    __tablename__ = "ballot_receipts"
    __table_args__ = _NO_ROWID

    receipt_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)


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
    # Where the threshold comes from: the legal basis of the rule value in force on the
    # meeting's day (null for results counted before thresholds were rule values).
    threshold_basis: Mapped[str | None] = mapped_column(Text)
    passed: Mapped[bool] = mapped_column(Boolean)
