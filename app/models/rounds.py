"""Rounds (đợt xét khen thưởng): the submission windows, their plan tasks and late extensions."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.statuses import RoundStatus
from app.models.base import (
    Base,
    TimestampMixin,
    UpdatedAtMixin,
    UTCDateTime,
    VersionedMixin,
    one_of,
    utcnow,
)

ROUND_STATUSES = RoundStatus.values()


class Round(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        CheckConstraint("number IN (1, 2)", name="number"),
        CheckConstraint(one_of("status", ROUND_STATUSES), name="status"),
        CheckConstraint("submission_opens_on <= submission_closes_on", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    submission_opens_on: Mapped[date] = mapped_column(Date)
    # Submissions are accepted until the end of this day, Asia/Ho_Chi_Minh.
    submission_closes_on: Mapped[date] = mapped_column(Date)
    appraisal_due_on: Mapped[date | None] = mapped_column(Date)
    council_meeting_on: Mapped[date | None] = mapped_column(Date)
    state_submission_due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=RoundStatus.DRAFT)

    task_links: Mapped[list["RoundTask"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="RoundTask.task_id"
    )

    @property
    def task_ids(self) -> list[int]:
        """The plan tasks the round carries out (its task links loaded)."""
        return [link.task_id for link in self.task_links]


class RoundTask(Base):
    """A plan task (nhiệm vụ) that this round carries out, e.g. I.8 / I.9 for đợt 1 of 2026."""

    __tablename__ = "round_tasks"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )


class RoundExtension(UpdatedAtMixin, Base):
    """Gia hạn nộp hồ sơ: one unit may submit until `until`; who approved it and why."""

    __tablename__ = "round_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
