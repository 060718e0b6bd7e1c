"""Shared schema pieces: strict request models, read models, the list envelope."""

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, ConfigDict

T = TypeVar("T")


# Every id: a positive integer a 32-bit column can hold, so an absurd id is a 422, not a crash.
Id = Annotated[int, Ge(1), Le(2_147_483_647)]


class StrictModel(BaseModel):
    """Request bodies: unknown fields are refused (422), so `status` or `id` cannot slip in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ReadModel(BaseModel):
    """Answers: validated from the ORM row's attributes (`Model.model_validate(row)`)."""

    model_config = ConfigDict(from_attributes=True)


class RowWith:
    """An ORM row read together with values computed beside it (a nomination's checks, its
    vote result): a Read schema validates from its attributes, and the computed values answer
    before the row's own. `NominationRead.model_validate(RowWith(row, checks=[...]))`."""

    __slots__ = ("_computed", "_row")

    def __init__(self, row: object, **computed: Any) -> None:
        self._row, self._computed = row, computed

    def __getattr__(self, name: str) -> Any:
        if name in self._computed:
            return self._computed[name]
        return getattr(self._row, name)


def sent_fields(body: BaseModel) -> dict[str, Any]:
    """The fields a PATCH body carried, `null` included, as their validated values (nested
    models stay models): what a partial update applies, and nothing it left out."""
    return {name: getattr(body, name) for name in body.model_fields_set}


class ListEnvelope(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Problem(BaseModel):
    """RFC 9457 problem details, as every 4xx and 5xx answer is shaped."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    errors: list[dict] | None = None


# Control characters other than tab and line breaks cannot be written to a spreadsheet cell
# (nor shown by a browser); they only arrive by mistake, pasted from another program.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("không được chứa ký tự điều khiển (ngoài Tab và xuống dòng)")
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]


VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATETIME_QUERY_HELP = (
    "ISO 8601 date-time; without an offset it is read as Asia/Ho_Chi_Minh (UTC+7). "
    "A value that falls outside years 1–9999 once converted to UTC is a 422."
)


def _as_utc(value: datetime) -> datetime:
    """A query date-time in UTC; a naive one is Việt Nam's wall-clock time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("thời điểm nằm ngoài khoảng năm 1–9999 khi đổi sang UTC") from exc


# A date-time in a query string, always compared in UTC.
QueryDateTime = Annotated[datetime, AfterValidator(_as_utc)]
