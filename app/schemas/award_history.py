"""Award history (lịch sử khen thưởng): records and the result of an import."""

from datetime import date
from typing import Literal

from app.schemas.common import Id, ReadModel


class AwardHistoryRead(ReadModel):
    id: int
    nominee_kind: Literal["individual", "collective"]
    nominee_name: str
    unit_id: Id | None
    award_type_code: str
    year: int
    decision_no: str | None
    decided_on: date | None
    source: str
    kind: str
    nomination_id: Id | None


class ImportRowError(ReadModel):
    row: int
    message: str


class AwardHistoryImportResult(ReadModel):
    imported: int
    skipped_duplicates: int
    errors: list[ImportRowError]
    dry_run: bool
