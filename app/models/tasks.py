"""Tasks of a plan (nhiệm vụ trọng tâm), their coordinating units and progress reports."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.statuses import TaskStatus
from app.models.base import (
    Base,
    JSONType,
    TimestampMixin,
    UpdatedAtMixin,
    UTCDateTime,
    VersionedMixin,
    one_of,
    utcnow,
)
from app.models.plans import Plan

PERIODS = ("Q1", "Q2", "Q3", "Q4", "recurring")


DUE_KINDS = ("month", "by_date", "recurring", "unspecified")


TASK_STATUSES = TaskStatus.values()


# Done and cancelled tasks are never overdue; nor are recurring or undated ones.
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)
DATED_KINDS = ("month", "by_date")


@dataclass(frozen=True)
class Due:
    """Thời hạn as the contract shows it: its kind, the month or date, the plan's wording."""

    kind: str
    month: str | None
    date: date | None
    text: str


class Task(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(one_of("period", PERIODS), name="period"),
        CheckConstraint(one_of("due_kind", DUE_KINDS), name="due_kind"),
        CheckConstraint(one_of("status", TASK_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    seq: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    due_kind: Mapped[str] = mapped_column(String(20))
    due_month: Mapped[str | None] = mapped_column(String(7))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    due_text: Mapped[str] = mapped_column(String(200), default="")
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # The lead unit as the plan names it, kept when the name matches no unit of the directory.
    lead_unit_label: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.NOT_STARTED)
    completed_on: Mapped[date | None] = mapped_column(Date)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    # Số, ký hiệu of the paper issued to carry the task out (a kế hoạch, công văn, quyết định),
    # from the lead unit's report or Sở Nội vụ's correction.
    issued_document_no: Mapped[str | None] = mapped_column(String(100))
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    search_text: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="tasks", lazy="raise")
    coordinators: Mapped[list["TaskCoordinator"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="TaskCoordinator.position"
    )

    @property
    def due(self) -> Due:
        return Due(self.due_kind, self.due_month, self.due_date, self.due_text)

    def is_overdue(self, as_of: date) -> bool:
        """Quá hạn: a dated deadline (a month counts to its last day) passed before `as_of`
        and the task is neither done nor cancelled (`overdue_clause` says the same in SQL)."""
        return (
            self.due_kind in DATED_KINDS
            and self.due_date is not None
            and self.due_date < as_of
            and self.status not in CLOSED_STATUSES
        )


class TaskCoordinator(Base):
    """A coordinating unit (đơn vị phối hợp): a unit of the directory, a group, or a label only."""

    __tablename__ = "task_coordinators"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    group: Mapped[str | None] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(500))


class TaskReport(UpdatedAtMixin, Base):
    """A progress report (báo cáo tiến độ) by the lead or a coordinating unit."""

    __tablename__ = "task_reports"
    __table_args__ = (
        CheckConstraint(
            "progress_percent >= 0 AND progress_percent <= 100", name="progress_percent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    progress_percent: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    document_no: Mapped[str | None] = mapped_column(String(100))
    attachment_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    # True when the report moved the task (the lead unit's or Sở Nội vụ's report); a
    # coordinating unit's report is kept for the record only.
    applied: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
