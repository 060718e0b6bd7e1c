"""Decisions, state-level results, complaints and the award history."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from app.core import statuses
from app.core.statuses import NominationStatus
from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel


class DecisionKind(StrEnum):
    """Quyết định khen thưởng của Chủ tịch UBND tỉnh (`provincial_award`) hay tờ trình đề nghị
    cấp Nhà nước khen thưởng (`state_submission`)."""

    PROVINCIAL_AWARD = "provincial_award"
    STATE_SUBMISSION = "state_submission"


class StateOutcome(StrEnum):
    """Kết quả cấp Nhà nước trả về: được khen thưởng hay không; the nomination's status after."""

    AWARDED = statuses.NominationStatus.AWARDED.value
    REJECTED = statuses.NominationStatus.REJECTED.value


ComplaintStatus = statuses.ComplaintStatus


SIGNER_TITLE = (
    'Chức vụ của người ký: "Chủ tịch", or the deputy\'s office ("Phó Chủ tịch") when '
    "`on_behalf`; left out, the one that goes with `on_behalf`"
)
ON_BEHALF = (
    'Ký thay (KT.): a deputy signed for the Chủ tịch; the paper prints "KT. CHỦ TỊCH" '
    "and the signer's office under it (Nghị định 30/2020/NĐ-CP)"
)


class DecisionCreate(StrictModel):
    kind: DecisionKind
    number: str = Field(min_length=1, max_length=100, examples=["125/QĐ-UBND"])
    signed_on: date
    signed_by: str = Field(min_length=1, max_length=200)
    signer_title: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description=SIGNER_TITLE,
        examples=["Phó Chủ tịch"],
    )
    on_behalf: bool = Field(default=False, description=ON_BEHALF)
    nomination_ids: list[Id] = Field(min_length=1, max_length=500)


class DecisionUpdate(StrictModel):
    """A correction of what was recorded (a mistyped number or date); the award history rows the
    decision wrote follow. Only the fields sent change."""

    number: str | None = Field(default=None, min_length=1, max_length=100)
    signed_on: date | None = None
    signed_by: str | None = Field(default=None, min_length=1, max_length=200)
    signer_title: str | None = Field(
        default=None, min_length=1, max_length=100, description=SIGNER_TITLE
    )
    on_behalf: bool | None = Field(default=None, description=ON_BEHALF)


class SignedPdfRead(ReadModel):
    """The signed paper (bản quyết định đã ký) stored with the decision."""

    filename: str
    size: int
    sha256: str
    uploaded_at: datetime


class DecisionRead(ReadModel):
    id: int
    kind: DecisionKind
    number: str
    year: int
    signed_on: date
    signed_by: str
    signer_title: str = Field(description=SIGNER_TITLE)
    on_behalf: bool = Field(description=ON_BEHALF)
    nomination_ids: list[Id]
    signed_pdf: SignedPdfRead | None = Field(
        description="The signed PDF, once uploaded (`GET .../signed-pdf` downloads it)"
    )
    created_at: datetime
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class NominationDecision(ReadModel):
    """The latest decision on a nomination, as the nomination's `decision` shows it."""

    id: int
    number: str
    signed_on: date
    signed_by: str
    kind: DecisionKind


@dataclass(frozen=True)
class DecisionFilter:
    """The filters of `GET /decisions`; None: any. `q` searches the decision number."""

    kind: str | None = None
    year: int | None = None
    nomination_id: int | None = None
    q: str | None = None


class StateResultCreate(StrictModel):
    outcome: StateOutcome
    decision_no: str | None = Field(default=None, max_length=100)
    decided_on: date | None = None


class StateResultRead(ReadModel):
    nomination_id: Id
    outcome: StateOutcome
    decision_no: str | None
    decided_on: date | None
    status: NominationStatus = Field(description="The nomination's status after the result")


class ComplaintCreate(StrictModel):
    received_on: date
    summary: str = Field(min_length=1, max_length=10000)


class ComplaintResolve(StrictModel):
    resolution: str = Field(min_length=1, max_length=10000)
    upheld: bool = Field(description="True: the complaint has grounds (có cơ sở)")


class ComplaintRead(ReadModel):
    id: int
    nomination_id: Id
    received_on: date
    summary: str
    status: ComplaintStatus
    resolution: str | None
    upheld: bool | None
    resolved_at: datetime | None
    created_at: datetime
    version: int
