"""Award history (lịch sử khen thưởng): records and the result of an import."""

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from app.schemas.common import UPDATED_AT, Id, ReadModel


class AwardHistoryRead(ReadModel):
    id: int
    nominee_kind: Literal["individual", "collective"]
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
    kind: str
    nomination_id: Id | None
    updated_at: datetime = Field(description=UPDATED_AT)


class ImportRowError(ReadModel):
    row: int
    message: str


class AwardHistoryImportResult(ReadModel):
    imported: int
    skipped_duplicates: int
    errors: list[ImportRowError]
    dry_run: bool
