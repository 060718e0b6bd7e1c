from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, WithJsonSchema, model_validator

from app.core import statuses
from app.schemas.accounts import Role
from app.schemas.audit import AuditSnapshot
from app.schemas.common import (
    UPDATED_AT,
    DocumentType,
    Id,
    NomineeKind,
    ReadModel,
    StrictModel,
    named_enum,
)
from app.schemas.decisions import NominationDecision
from app.schemas.meetings import NominationVoteResult


class DossierKind(StrEnum):
    """Loại hồ sơ: thường xuyên (theo đợt), chuyên đề, đột xuất, cống hiến."""

    PERIODIC = "periodic"
    THEMATIC = "thematic"
    UNSCHEDULED = "unscheduled"
    DEDICATION = "dedication"


# A document type as a request names it: typed as `DocumentType` in the document, checked by the
# service so that an unknown code answers `unknown_document_type` with the list of codes.
DocumentTypeCode = Annotated[
    str,
    Field(max_length=40),
    WithJsonSchema({"$ref": "#/components/schemas/DocumentType"}, mode="validation"),
]

DossierStatus = statuses.DossierStatus
NominationStatus = statuses.NominationStatus


class AppraisalConclusion(StrEnum):
    """Kết luận thẩm định: đủ hay không đủ điều kiện; the nomination's status it leads to."""

    ELIGIBLE = statuses.NominationStatus.ELIGIBLE.value
    INELIGIBLE = statuses.NominationStatus.INELIGIBLE.value


Conclusion = AppraisalConclusion


CODE = r"^[a-z0-9_]{1,80}$"


class PriorAward(StrictModel):
    """Khen thưởng đã nhận, as the nominee declares it."""

    award_type_code: str = Field(pattern=CODE)
    year: int = Field(
        ge=1945,
        le=2100,
        description="Năm thành tích (the year the award was for, which the criteria read), not "
        "the year the decision was signed: a Chiến sĩ thi đua cơ sở decided in 03/2026 for the "
        "work of 2025 is 2025.",
    )
    decision_no: str | None = Field(default=None, max_length=100)


class NominationCreate(StrictModel):
    nominee_kind: NomineeKind = Field(
        description="`household`: name it as the papers do (“Hộ ông Lò Văn Pọm”), give its "
        "address and the unit (xã) in whose area it lives"
    )
    nominee_name: str = Field(min_length=1, max_length=300)
    nominee_unit_id: Id | None = None
    nominee_address: str | None = Field(
        default=None,
        max_length=300,
        description="Hộ gia đình: địa chỉ (thôn/bản, xã); required for a household, empty for "
        "others",
    )
    position: str | None = Field(default=None, max_length=300)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    award_type_code: str = Field(pattern=CODE)
    achievement_summary: str = Field(default="", max_length=20000)
    prior_awards: list[PriorAward] = Field(default_factory=list, max_length=100)


class NominationUpdate(StrictModel):
    nominee_kind: NomineeKind | None = None
    nominee_name: str | None = Field(default=None, min_length=1, max_length=300)
    nominee_unit_id: Id | None = None
    nominee_address: str | None = Field(
        default=None,
        max_length=300,
        description="Hộ gia đình: địa chỉ (thôn/bản, xã); required for a household, empty for "
        "others",
    )
    position: str | None = Field(default=None, max_length=300)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    award_type_code: str | None = Field(default=None, pattern=CODE)
    achievement_summary: str | None = Field(default=None, max_length=20000)
    prior_awards: list[PriorAward] | None = Field(default=None, max_length=100)


class DossierCreate(StrictModel):
    round_id: Id | None = Field(
        default=None, description="Null only for thematic and unscheduled dossiers"
    )
    kind: DossierKind = DossierKind.PERIODIC
    title: str = Field(min_length=1, max_length=500)
    nominations: list[NominationCreate] = Field(default_factory=list, max_length=500)


class DossierUpdate(StrictModel):
    round_id: Id | None = None
    kind: DossierKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)


CheckResult = named_enum(
    "CheckResult", ("pass", "fail", "unknown"),
    "Kết quả một tiêu chí: đạt, không đạt, chưa đủ dữ liệu để kết luận.", __name__,
)  # fmt: skip
Eligibility = named_enum(
    "Eligibility", ("eligible", "ineligible", "undetermined"),
    "Đủ tiêu chuẩn, không đủ tiêu chuẩn, chưa xác định (còn tiêu chí chưa kết luận).", __name__,
)  # fmt: skip
PriorAwardStatus = named_enum(
    "PriorAwardStatus", ("confirmed", "declared"),
    "Khen thưởng đã kê khai: đã đối chiếu được với lịch sử khen thưởng, hoặc mới chỉ kê khai.",
    __name__,
)  # fmt: skip
ReviewAction = named_enum(
    "ReviewAction", ("verified", "overridden"),
    "Việc thẩm định viên làm với một tiêu chí: đã đối chiếu với quyết định gốc, hoặc ghi đè.",
    __name__,
)  # fmt: skip
OverrideResult = named_enum(
    "OverrideResult", ("pass", "fail"), "Kết quả thẩm định viên ghi đè: đạt, không đạt.", __name__
)
DossierOwnerKind = named_enum(
    "DossierOwnerKind", ("unit", "cluster"),
    "Hồ sơ của một đơn vị, hoặc của cụm, khối (do trưởng cụm, khối trình).", __name__,
)  # fmt: skip


class CheckReview(ReadModel):
    """Sở Nội vụ's review of one check: `verified` (đã đối chiếu với quyết định gốc) or
    `overridden` to `result` with `reason`. `stale`: the check (its result or evidence) changed
    since, so the review no longer counts and the check needs reviewing again."""

    action: ReviewAction
    result: OverrideResult | None
    reason: str | None
    reviewed_by_name: str | None
    reviewed_at: datetime
    stale: bool


class Check(ReadModel):
    rule: str
    result: CheckResult = Field(description="Kết quả tính từ dữ liệu")
    message: str = Field(description="Lý do, với căn cứ: quyết định, xếp loại, sáng kiến đã dùng")
    legal_basis: str | None = Field(
        default=None, description="Căn cứ pháp lý của tiêu chí (văn bản, điều, khoản)"
    )
    initiative_ids: list[int] = Field(
        default_factory=list,
        description="Sáng kiến, đề tài a passing check stood on (each justifies one award only)",
    )
    review: CheckReview | None = None
    effective_result: CheckResult = Field(
        description="The result that counts: a current override's, else `result`"
    )


class PriorAwardRead(PriorAward):
    """A declared prior award and how it stands against the award history: `confirmed` when a
    record of the same nominee, award type and achievement year exists (`history_id`), else
    `declared` only."""

    status: PriorAwardStatus
    history_id: int | None


class CheckReviewBody(StrictModel):
    action: ReviewAction = Field(
        description="`verified`: đã đối chiếu với quyết định gốc; `overridden`: the result is "
        "changed to `result`, with a `reason`"
    )
    result: OverrideResult | None = Field(default=None, description="Only to override")
    reason: str | None = Field(
        default=None, max_length=2000, description="Required to override; a note to verify"
    )


# Read from the nomination's `appraisal_*` columns (a docstring would enter the OpenAPI document).
class Appraisal(ReadModel):
    conclusion: Conclusion = Field(validation_alias="appraisal_conclusion")
    note: str | None = Field(validation_alias="appraisal_note")
    appraised_at: datetime | None
    appraised_by_name: str | None


class NominationRead(ReadModel):
    id: int
    dossier_id: Id
    nominee_kind: NomineeKind
    nominee_name: str
    nominee_unit_id: Id | None
    nominee_address: str | None = Field(description="Hộ gia đình: thôn/bản, xã (null for others)")
    collective_id: Id | None = Field(
        description="Tập thể được đề nghị, trong sổ tập thể (null cho cá nhân)"
    )
    position: str | None = Field(description="Omitted (null) for readers")
    birth_year: int | None = Field(description="Omitted (null) for readers")
    award_type_code: str
    achievement_summary: str
    prior_awards: list[PriorAwardRead]
    status: NominationStatus
    checks: list[Check]
    eligibility: Eligibility = Field(
        description="From the checks' effective results: `ineligible` when one fails, "
        "`undetermined` while one is unknown, else `eligible`"
    )
    appraisal: Appraisal | None
    vote_result: NominationVoteResult | None = Field(
        description="The latest council vote on it (null: not voted on yet)"
    )
    decision: NominationDecision | None = Field(
        description="The latest decision naming it (null: none yet)"
    )
    version: int


class ReaderNominationRead(NominationRead):
    """A nomination as a reader sees it: no position, birth year or household address, and a
    person's or a household's own account (achievement summary, declared prior awards) blank; a
    collective's stays."""

    @model_validator(mode="after")
    def _redact(self) -> Self:
        self.position = self.birth_year = self.nominee_address = None
        if self.nominee_kind != NomineeKind.COLLECTIVE:
            self.achievement_summary, self.prior_awards = "", []
        return self


class AttachmentRead(ReadModel):
    id: int
    dossier_id: Id
    nomination_id: Id | None
    filename: str
    content_type: str
    size: int
    sha256: str
    document_type: DocumentType
    created_at: datetime


class ReturnRequestRead(ReadModel):
    """A line of the last return as stored: the nominee and the papers, by name."""

    nomination_id: Id | None
    nominee_name: str | None = Field(description="Null: a request for the whole dossier")
    document_types: list[DocumentType]
    papers: list[str] = Field(description="Every paper asked for, by name (types first)")
    note: str | None


class _DossierHeader(ReadModel):
    id: int
    code: str
    year: int
    round_id: Id | None
    kind: DossierKind
    owner_kind: DossierOwnerKind
    submitting_unit_id: Id
    cluster_id: Id | None
    title: str
    status: DossierStatus
    submitted_at: datetime | None
    received_at: datetime | None
    appraised_at: datetime | None
    return_due_on: date | None = Field(description="Sở Nội vụ returns within 5 working days")
    appraisal_due_on: date | None
    supplement_due_on: date | None
    submission_count: int
    returned_at: datetime | None = Field(description="Lần trả hồ sơ gần nhất")
    return_reason: str | None = Field(description="Lý do trả hồ sơ lần gần nhất")


class DossierRead(_DossierHeader):
    return_requests: list[ReturnRequestRead] = Field(
        description="Giấy tờ yêu cầu bổ sung theo từng đề nghị, lần trả gần nhất"
    )
    nominations: list[NominationRead]
    attachments: list[AttachmentRead]
    created_at: datetime
    updated_at: datetime
    version: int


class ReaderDossierRead(DossierRead):
    """A dossier as a reader sees it: its nominations redacted (`ReaderNominationRead`)."""

    nominations: list[ReaderNominationRead]


class CheckCounts(ReadModel):
    """How many of the nomination's criteria checks came out each way (effective results)."""

    passed: int = Field(alias="pass")
    failed: int = Field(alias="fail")
    unknown: int


class NominationSummary(ReadModel):
    """A nomination as a dossier list shows it: who, for what, where it stands; its summary,
    prior awards and checks in full are at `GET /dossiers/{id}`."""

    id: int
    nominee_kind: NomineeKind
    nominee_name: str
    nominee_unit_id: Id | None
    collective_id: Id | None
    award_type_code: str
    status: NominationStatus
    checks: CheckCounts
    eligibility: Eligibility


class DossierSummary(_DossierHeader):
    """A dossier as `GET /dossiers` lists it: its nominations as summaries and the number of
    its papers, so that a page stays small whatever the dossiers hold."""

    nominations: list[NominationSummary]
    attachment_count: int = Field(description="Papers attached (listed at `GET /dossiers/{id}`)")
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class DossierFilter:
    """The filters of `GET /dossiers`, shared by the list and its export; None: any."""

    round_id: int | None = None
    status: str | None = None
    submitting_unit_id: int | None = None
    cluster_id: int | None = None
    award_type_code: str | None = None
    kind: str | None = None
    q: str | None = None
    overdue: Literal["appraisal", "supplement"] | None = None
    as_of: date | None = None  # default: today in Việt Nam


class ActionBody(StrictModel):
    comment: str | None = Field(default=None, max_length=2000)


class SupplementRequest(StrictModel):
    """Phiếu yêu cầu bổ sung, one line: what one nominee (or, without `nomination_id`, the
    dossier as a whole) must add or correct before submitting again."""

    nomination_id: Id | None = Field(
        default=None, description="Đề nghị của hồ sơ này; bỏ trống: yêu cầu chung cho cả hồ sơ"
    )
    document_types: list[DocumentTypeCode] = Field(
        default_factory=list,
        max_length=10,
        description="Loại giấy tờ phải bổ sung (mã như khi đính kèm: `bao_cao_thanh_tich`…)",
    )
    papers: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=list,
        max_length=20,
        description="Giấy tờ, nội dung phải bổ sung hoặc sửa, ghi bằng lời",
    )
    note: str | None = Field(default=None, max_length=2000, description="Ghi chú, hướng dẫn")

    @model_validator(mode="after")
    def _asks_something(self) -> Self:
        if not (self.document_types or self.papers or self.note):
            raise ValueError("Mỗi yêu cầu bổ sung phải nêu ít nhất một giấy tờ hoặc ghi chú.")
        return self


class ReturnBody(StrictModel):
    reason: str = Field(min_length=1, max_length=2000)
    supplement_due_on: date | None = Field(
        default=None, description="Default: 5 working days from today"
    )
    requests: list[SupplementRequest] = Field(
        default_factory=list,
        max_length=500,
        description="Danh sách giấy tờ phải bổ sung theo từng đề nghị (phiếu yêu cầu bổ sung)",
    )


class AppraisalBody(StrictModel):
    conclusion: Conclusion
    note: str | None = Field(default=None, max_length=4000)


class HistoryEntry(ReadModel):
    id: int
    occurred_at: datetime
    actor_name: str | None
    actor_role: Role | None
    action: str
    comment: str | None
    before: AuditSnapshot | None
    after: AuditSnapshot | None
    updated_at: datetime = Field(description=UPDATED_AT)


class ReaderHistoryEntry(HistoryEntry):
    """A reader sees who did what and when, not the values recorded before and after."""

    @model_validator(mode="after")
    def _redact(self) -> Self:
        self.before = self.after = None
        return self


APPROVED = (
    "Passed the council or cleared for a decision: now `approved`, `awarded` or "
    "`submitted_to_state`"
)


class NominationCounts(ReadModel):
    total: int
    individual: int = Field(description="Cá nhân")
    collective: int = Field(description="Tập thể")
    household: int = Field(description="Hộ gia đình")
    by_status: dict[str, int] = Field(description="Nomination status → count (zeros omitted)")
    approved: int = Field(description=APPROVED)
    awarded: int = Field(description="Status `awarded` (khen thưởng / Nhà nước tặng)")


class AwardTypeCounts(ReadModel):
    award_type_code: str
    name: str | None
    total: int
    individual: int
    collective: int
    household: int
    eligible: int = Field(description="Concluded eligible by the appraisal (thẩm định)")
    approved: int = Field(description=APPROVED)
    awarded: int


class ClusterCounts(ReadModel):
    cluster_id: Id | None = Field(description="Null: dossiers outside any cụm/khối")
    name: str | None
    dossiers: int
    nominations: int


class UnitCounts(ReadModel):
    unit_id: Id = Field(description="The submitting unit (đơn vị trình)")
    name: str
    dossiers: int
    nominations: int


class DossierReport(ReadModel):
    round_id: Id | None
    year: int | None
    total_dossiers: int
    dossiers_by_status: dict[str, int] = Field(description="Dossier status → count")
    nominations: NominationCounts
    by_award_type: list[AwardTypeCounts]
    by_cluster: list[ClusterCounts]
    by_unit: list[UnitCounts]
