"""What follows the council: decisions (quyết định), complaints (đơn thư) and the outcomes of
state-level submissions. Public disclosures (công khai) live in `disclosures`."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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

from app.core import statuses
from app.core.statuses import ComplaintStatus
from app.models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, utcnow

DECISION_KINDS = ("provincial_award", "state_submission")
COMPLAINT_STATUSES = ComplaintStatus.values()
STATE_OUTCOMES = tuple(outcome.value for outcome in statuses.STATE_OUTCOMES)


def _in(column: str, values: tuple[str, ...]) -> str:
    """`column IN ('a', 'b')`, the same SQL as written out by hand in migration 0004."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Decision(TimestampMixin, VersionedMixin, Base):
    """A signed decision: the Chủ tịch UBND tỉnh's award, or the province's tờ trình to the
    centre. Its number is unique within its kind and year."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("kind", "year", "number_key"),
        CheckConstraint(_in("kind", DECISION_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(100))
    # The number folded (case, spaces, diacritics), so "12/QĐ-UBND" and "12/qđ-ubnd" clash.
    number_key: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer, index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(String(200))
    # Who signed, in which capacity (NĐ 30/2020, quyền hạn ký): the signer's office (chức vụ),
    # and whether a deputy signed for the Chủ tịch (ký thay, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
    signer_title: Mapped[str] = mapped_column(
        String(100), default="Chủ tịch", server_default="Chủ tịch"
    )
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The signed paper (bản quyết định đã ký, PDF), stored as attachments are: under a generated
    # name outside any served folder; the uploader's file name kept only as metadata.
    signed_pdf_filename: Mapped[str | None] = mapped_column(String(255))
    signed_pdf_size: Mapped[int | None] = mapped_column(BigInteger)
    signed_pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_pdf_storage_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    signed_pdf_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_pdf_uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list["DecisionItem"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="DecisionItem.nomination_id"
    )

    @property
    def nomination_ids(self) -> list[int]:
        """The nominations the decision covers (its items loaded)."""
        return [item.nomination_id for item in self.items]

    @property
    def signed_pdf(self) -> dict | None:
        """The signed paper's metadata, or None while only the numbers are recorded."""
        if self.signed_pdf_storage_name is None:
            return None
        return {
            "filename": self.signed_pdf_filename,
            "size": self.signed_pdf_size,
            "sha256": self.signed_pdf_sha256,
            "uploaded_at": self.signed_pdf_uploaded_at,
        }


class DecisionItem(Base):
    __tablename__ = "decision_items"

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True
    )
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id"), primary_key=True, index=True
    )


class Complaint(TimestampMixin, VersionedMixin, Base):
    """Đơn thư khiếu nại, tố cáo about a nomination; while open it blocks any decision."""

    __tablename__ = "complaints"
    __table_args__ = (CheckConstraint(_in("status", COMPLAINT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=ComplaintStatus.OPEN, index=True)
    resolution: Mapped[str | None] = mapped_column(Text)
    upheld: Mapped[bool | None] = mapped_column(Boolean)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class StateResult(Base):
    """What the centre decided on a state-level submission (one outcome per nomination)."""

    __tablename__ = "state_results"
    __table_args__ = (CheckConstraint(_in("outcome", STATE_OUTCOMES), name="outcome"),)

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(10))
    decision_no: Mapped[str | None] = mapped_column(String(100))
    decided_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
