"""Plans (kế hoạch) and their appendix tasks (nhiệm vụ trọng tâm), with progress reports."""

from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, JSONType, TimestampMixin, VersionedMixin


class Plan(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(500))
    issued_on: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of the imported document: importing the same file twice finds the first plan.
    source_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)

    tasks: Mapped[list["Task"]] = relationship(  # noqa: F821 (app.models.tasks)
        back_populates="plan", lazy="raise", order_by="Task.id"
    )
