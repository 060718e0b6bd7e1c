"""Facts about nominees: yearly ratings, discipline and investigations, initiatives."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.nominee_kinds import RATED_KINDS
from app.schemas import common
from app.schemas.award_history import AwardHistoryRead, ImportRowError
from app.schemas.common import UPDATED_AT, Id, NomineeKind, ReadModel, StrictModel
from app.schemas.dossiers import AppraisalConclusion, NominationStatus

Rating = common.Rating


def _rated(kind: NomineeKind) -> NomineeKind:
    if kind not in RATED_KINDS:
        raise ValueError("xếp loại, kỷ luật, sáng kiến chỉ ghi cho cá nhân hoặc tập thể")
    return kind


# Ratings are kept for people and collectives; a household has none.
RatedKind = Annotated[NomineeKind, AfterValidator(_rated)]
DisciplineKind = common.named_enum(
    "DisciplineKind", ("discipline", "pending_discipline", "investigation", "inspection"),
    "Kỷ luật, đang bị xem xét kỷ luật, điều tra, thanh tra.", __name__,
)  # fmt: skip
Scope = common.named_enum(
    "InitiativeScope", ("grassroots", "provincial", "national"),
    "Phạm vi ảnh hưởng của sáng kiến, đề tài: cơ sở, tỉnh, toàn quốc.", __name__,
)  # fmt: skip
InitiativeKind = common.named_enum(
    "InitiativeKind", ("initiative", "research"), "Sáng kiến, hoặc đề tài khoa học.", __name__
)
Year = Field(ge=1945, le=2100)


class RatingCreate(StrictModel):
    nominee_kind: RatedKind = NomineeKind.INDIVIDUAL
    nominee_name: str = Field(min_length=1, max_length=300)
    unit_id: Id | None = Field(default=None, description="Đơn vị; mặc định là đơn vị của mình")
    year: int = Year
    rating: Rating = Field(description="htxs = HTXS, httt = HTTT, ht = HTNV, kht = KHTNV")
    decision_no: str | None = Field(default=None, max_length=100)


class RatingUpdate(StrictModel):
    """What may change of a rating; another person or collective is a new rating."""

    year: int | None = Field(default=None, ge=1945, le=2100)
    rating: Rating | None = None
    decision_no: str | None = Field(default=None, max_length=100)


class RatingRead(ReadModel):
    id: int
    nominee_kind: RatedKind
    nominee_name: str
    unit_id: Id | None
    collective_id: Id | None
    year: int
    rating: Rating
    decision_no: str | None
    source: str
    confirmed: bool = Field(description="Sở Nội vụ đã xác nhận")
    confirmed_at: datetime | None
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class RatingImportResult(ReadModel):
    imported: int
    skipped_duplicates: int
    errors: list[ImportRowError]
    dry_run: bool


class DisciplineCreate(StrictModel):
    nominee_name: str = Field(min_length=1, max_length=300)
    unit_id: Id | None = None
    kind: DisciplineKind = Field(
        description="discipline = kỷ luật, pending_discipline = đang xem xét kỷ luật, "
        "investigation = điều tra, inspection = thanh tra, kiểm tra"
    )
    form: str | None = Field(default=None, max_length=200, description="Hình thức kỷ luật")
    decision_no: str | None = Field(default=None, max_length=100)
    started_on: date
    ended_on: date | None = Field(
        default=None, description="Hết thời hạn kỷ luật / kết thúc; trống khi còn đang"
    )
    note: str | None = Field(default=None, max_length=2000)


class DisciplineUpdate(StrictModel):
    kind: DisciplineKind | None = None
    form: str | None = Field(default=None, max_length=200)
    decision_no: str | None = Field(default=None, max_length=100)
    started_on: date | None = None
    ended_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class DisciplineRead(ReadModel):
    id: int
    nominee_name: str
    unit_id: Id | None
    kind: DisciplineKind
    form: str | None
    decision_no: str | None
    started_on: date
    ended_on: date | None
    note: str | None
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class InitiativeCreate(StrictModel):
    kind: InitiativeKind = Field(
        default=InitiativeKind.INITIATIVE,
        description="initiative = sáng kiến, research = đề tài khoa học",
    )
    title: str = Field(min_length=1, max_length=500)
    authors: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        min_length=1, max_length=50
    )
    unit_id: Id | None = None
    scope: Scope = Field(description="Phạm vi ảnh hưởng: cơ sở, tỉnh, toàn quốc")
    year: int = Year
    recognised_by: str | None = Field(default=None, max_length=300)
    decision_no: str | None = Field(default=None, max_length=100)
    decided_on: date | None = None


class InitiativeUpdate(StrictModel):
    kind: InitiativeKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)
    authors: list[Annotated[str, Field(min_length=1, max_length=300)]] | None = Field(
        default=None, min_length=1, max_length=50
    )
    scope: Scope | None = None
    year: int | None = Field(default=None, ge=1945, le=2100)
    recognised_by: str | None = Field(default=None, max_length=300)
    decision_no: str | None = Field(default=None, max_length=100)
    decided_on: date | None = None


class InitiativeRead(ReadModel):
    id: int
    kind: InitiativeKind
    title: str
    authors: list[str]

    unit_id: Id | None
    scope: Scope
    year: int
    recognised_by: str | None
    decision_no: str | None
    decided_on: date | None
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)

    @field_validator("authors", mode="before")
    @classmethod
    def _names(cls, authors: Any) -> Any:
        # The ORM row holds its authors as rows (in order); the answer names them.
        return [getattr(a, "name", a) for a in authors]


class NomineeNomination(ReadModel):
    id: int
    dossier_id: Id
    dossier_code: str
    year: int
    award_type_code: str
    status: NominationStatus
    appraisal_conclusion: AppraisalConclusion | None


class NomineeRecord(ReadModel):
    """Hồ sơ đối tượng: everything recorded about one person, collective or household."""

    nominee_kind: NomineeKind
    nominee_name: str = Field(description="A household: as its papers name it (“Hộ ông …”)")
    unit_id: Id | None = Field(description="The unit; a household's: the xã where it lives")
    nominee_address: str | None = Field(
        description="Hộ gia đình: thôn/bản, xã, as its latest nomination or award gives it; null "
        "for people and collectives, and for readers"
    )
    collective_id: Id | None
    awards: list[AwardHistoryRead] = Field(description="Lịch sử khen thưởng, theo năm thành tích")
    ratings: list[RatingRead]
    initiatives: list[InitiativeRead]
    discipline: list[DisciplineRead] | None = Field(
        description="Kỷ luật, điều tra, thanh tra: chỉ đơn vị và Sở Nội vụ thấy (null cho "
        "vai trò khác)"
    )
    nominations: list[NomineeNomination]
