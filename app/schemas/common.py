"""Shared schema pieces: strict request models, read models, the list envelope."""

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from annotated_types import Ge, Le
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from app.core import nominee_kinds
from app.core.errors import ProblemCode

T = TypeVar("T")


# Every id: a positive integer a 32-bit column can hold, so an absurd id is a 422, not a crash.
Id = Annotated[int, Ge(1), Le(2_147_483_647)]


UPDATED_AT = (
    "Thời điểm bản ghi thay đổi lần cuối (UTC): giá trị để gửi lại làm `updated_since` khi đồng "
    "bộ gia tăng."
)


class StrictModel(BaseModel):
    """Request bodies: unknown fields are refused (422), so `status` or `id` cannot slip in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ReadModel(BaseModel):
    """Answers: validated from the ORM row's attributes (`Model.model_validate(row)`). Every
    field is always sent, those with a default too: the document says so (`required`)."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


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


class DocumentType(StrEnum):
    """Loại giấy tờ của hồ sơ: tờ trình, biên bản họp, báo cáo thành tích, minh chứng sáng
    kiến, kết quả bình xét, văn bản xác nhận, khác."""

    TO_TRINH = "to_trinh"
    BIEN_BAN_HOP = "bien_ban_hop"
    BAO_CAO_THANH_TICH = "bao_cao_thanh_tich"
    MINH_CHUNG_SANG_KIEN = "minh_chung_sang_kien"
    KET_QUA_BINH_XET = "ket_qua_binh_xet"
    VAN_BAN_XAC_NHAN = "van_ban_xac_nhan"
    OTHER = "other"


# Đối tượng được đề nghị, được ghi nhận: cá nhân, tập thể hay hộ gia đình. The one list every
# `nominee_kind` (nominations, award history, ratings, a nominee's record) takes, defined once
# in app.core.nominee_kinds where the models' CHECK constraints read it too.
NomineeKind = nominee_kinds.NomineeKind


def named_enum(name: str, values: tuple[str, ...], doc: str, module: str) -> type[StrEnum]:
    """A closed list as one named schema (`$ref`) in the document, so a generated client gets
    one named type instead of the same union repeated in every place it is used."""
    enum = StrEnum(name, [(value.upper(), value) for value in values], module=module)
    enum.__doc__ = doc
    return enum


Rating = named_enum(
    "Rating", ("htxs", "httt", "ht", "kht"),
    "Xếp loại mức độ hoàn thành nhiệm vụ: htxs = HTXS, httt = HTTT, ht = HTNV, kht = KHTNV.",
    __name__,
)  # fmt: skip
VoteChoice = named_enum(
    "VoteChoice", ("approve", "reject", "abstain"),
    "Lựa chọn trên phiếu bầu: tán thành, không tán thành, không biểu quyết.", __name__,
)  # fmt: skip
CastAs = named_enum(
    "CastAs", ("present", "written"),
    "Cách bỏ phiếu: tại cuộc họp, hoặc bằng văn bản khi vắng mặt.", __name__,
)  # fmt: skip


class ValidationIssue(BaseModel):
    """One field in error: where it is (`["body", "nominations", 0, "nominee_name"]`), what is
    wrong in Vietnamese (`msg`), and the stable kind of error (`type`, e.g. `missing`)."""

    loc: list[str | int]
    msg: str
    type: str


class RowIssue(BaseModel):
    """A row of an imported table that could not be read (`import_rows_invalid`)."""

    row: int
    message: str


class MissingDocument(BaseModel):
    """A required paper not yet uploaded (`missing_documents`)."""

    nomination_id: int
    nominee_name: str
    award_type_code: str
    document_type: DocumentType
    document_name: str


class DuplicateNomination(BaseModel):
    """A nomination proposed twice for the same award in a year (`duplicate_nomination`)."""

    nomination_id: int
    nominee_name: str
    award_type_code: str


class RefusedNomination(BaseModel):
    """A nomination that cannot go on an agenda or into a decision, and why."""

    nomination_id: int
    reason: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every 4xx and 5xx answer is shaped (`application/problem+json`).
    Programs branch on `code`; `title` and `detail` are Vietnamese, for people. The members after
    `code` appear only with the codes named in their descriptions."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem; ends with `code`")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path of the request")
    code: ProblemCode
    errors: list[ValidationIssue | RowIssue] | None = Field(
        default=None,
        description="`validation_error`, `invalid_criterion_parameters`: the fields in error; "
        "`import_rows_invalid`: the rows in error",
    )
    current_status: str | None = Field(
        default=None, description="Refused moves (`invalid_transition`, ...): the status now"
    )
    current_version: int | None = Field(
        default=None, description="`version_mismatch`: the version the ETag must name"
    )
    missing: list[MissingDocument] | list[str] | list[int] | None = Field(
        default=None,
        description="`missing_documents`: the papers still required; `missing_columns`: the "
        "columns; `ballot_incomplete`: the agenda nominations not voted",
    )
    duplicates: list[DuplicateNomination] | None = Field(
        default=None, description="`duplicate_nomination`"
    )
    refused: list[RefusedNomination] | None = Field(
        default=None, description="`agenda_refused`, `nominations_not_decidable`"
    )
    pending_nomination_ids: list[int] | None = Field(
        default=None, description="`appraisal_incomplete`: nominations without a conclusion"
    )
    nomination_ids: list[int] | None = Field(
        default=None, description="`open_complaint`: nominations with an open complaint"
    )
    member_ids: list[int] | None = Field(
        default=None, description="`not_council_members`: ids that are not active members"
    )
    not_on_agenda: list[int] | None = Field(default=None, description="`ballot_incomplete`")
    repeated: list[int] | None = Field(default=None, description="`ballot_incomplete`")
    present: int | None = Field(default=None, description="`quorum_not_met`")
    members_total: int | None = Field(default=None, description="`quorum_not_met`")
    present_percent: float | None = Field(default=None, description="`quorum_not_met`")
    required_percent: float | None = Field(default=None, description="`quorum_not_met`")
    required_present: int | None = Field(default=None, description="`quorum_not_met`")
    limit_bytes: int | None = Field(default=None, description="`payload_too_large`: the limit")
    minimum: float | None = Field(default=None, description="`rule_value_out_of_range`")
    maximum: float | None = Field(default=None, description="`rule_value_out_of_range`")
    row: int | None = Field(default=None, description="`unsupported_format`: the row unread")
    allowed: list[str] | None = Field(
        default=None, description="`invalid_fields`: the field names the list may be cut to"
    )


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
# One that must carry its offset (`updated_since`: a moment a client got from the server).
AwareQueryDateTime = Annotated[AwareDatetime, AfterValidator(_as_utc)]
