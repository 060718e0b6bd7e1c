"""Award history (lịch sử khen thưởng): records and the result of an import."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from app.schemas.common import UPDATED_AT, Id, NomineeKind, ReadModel, StrictModel


class AwardHistoryKind(StrEnum):
    """Khen thưởng theo công trạng thường xuyên (`regular`), theo chuyên đề (`thematic`) hay
    đột xuất (`unscheduled`); only `regular` awards count toward a higher award."""

    REGULAR = "regular"
    THEMATIC = "thematic"
    UNSCHEDULED = "unscheduled"


class AwardHistoryRead(ReadModel):
    id: int
    nominee_kind: NomineeKind = Field(
        description="`household`: a household's award, recorded from its decision"
    )
    nominee_name: str
    unit_id: Id | None
    collective_id: Id | None = Field(
        description="Tập thể trong sổ tập thể (null cho cá nhân): lịch sử của tập thể nào."
    )
    award_type_code: str
    year: int = Field(description="Năm thành tích: năm mà các tiêu chuẩn xét đến.")
    decision_year: int | None = Field(description="Năm ký quyết định khen thưởng.")
    decision_no: str | None
    decided_on: date | None
    source: str
    kind: AwardHistoryKind
    nomination_id: Id | None
    confirmed: bool = Field(
        description="Sở Nội vụ đã xác nhận (a unit's own entry waits for it; rows from "
        "decisions and imports are confirmed)"
    )
    confirmed_at: datetime | None
    version: int = Field(description="If-Match of a correction or deletion of a unit's entry")
    updated_at: datetime = Field(description=UPDATED_AT)


class UnitTitleCreate(StrictModel):
    """A grassroots title decided inside a unit (Lao động tiên tiến, Chiến sĩ thi đua cơ sở,
    Tập thể lao động tiên tiến, Giấy khen), with its decision."""

    nominee_kind: NomineeKind = NomineeKind.INDIVIDUAL
    nominee_name: str = Field(min_length=1, max_length=300)
    unit_id: Id | None = Field(default=None, description="Đơn vị; mặc định là đơn vị của mình")
    award_type_code: str = Field(
        pattern=r"^[a-z0-9_]{1,80}$",
        description="lao_dong_tien_tien, chien_si_thi_dua_co_so, tap_the_lao_dong_tien_tien or "
        "giay_khen (any award type of level `grassroots`)",
    )
    year: int = Field(ge=1945, le=2100, description="Năm thành tích (the year it is for)")
    decision_no: str = Field(min_length=1, max_length=100)
    decided_on: date


class UnitTitleUpdate(StrictModel):
    """A correction of a unit's own grassroots title; a field left out keeps its value."""

    nominee_name: str | None = Field(default=None, min_length=1, max_length=300)
    award_type_code: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,80}$")
    year: int | None = Field(default=None, ge=1945, le=2100, description="Năm thành tích")
    decision_no: str | None = Field(default=None, min_length=1, max_length=100)
    decided_on: date | None = None


class ImportRowError(ReadModel):
    row: int
    message: str


class ImportRowWarning(ReadModel):
    row: int
    code: str = Field(description="`household_incomplete`: a household without its address or xã")
    message: str


class AwardHistoryImportResult(ReadModel):
    imported: int
    skipped_duplicates: int
    errors: list[ImportRowError]
    dry_run: bool
    warnings: list[ImportRowWarning] = Field(
        description="Rows imported but incomplete (a household without its address or xã)"
    )
