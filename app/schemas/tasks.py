"""Tasks (nhiệm vụ trọng tâm), their progress reports and counts."""

import datetime as dt
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from app.core import statuses
from app.models.tasks import DUE_KINDS, PERIODS, Task
from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel, Text, named_enum
from app.schemas.plans import PlanWarning

Period = named_enum(
    "Period", PERIODS, "Kỳ thực hiện nhiệm vụ: quý I–IV hoặc thường xuyên.", __name__
)


DueKind = named_enum(
    "DueKind", DUE_KINDS,
    "Loại thời hạn: trong tháng, đến ngày, định kỳ, không nêu thời hạn.", __name__,
)  # fmt: skip


TaskStatus = statuses.TaskStatus


GroupCode = named_enum(
    "CoordinatorGroup",
    ("cluster_member_units", "council_members", "provincial_leaders", "all_units", "related_units"),
    "Nhóm đơn vị phối hợp nêu chung trong kế hoạch (các đơn vị trong cụm, khối; thành viên Hội "
    "đồng; lãnh đạo tỉnh; các đơn vị; đơn vị liên quan).",
    __name__,
)


# ---- tasks -----------------------------------------------------------------------------------


class DueIn(StrictModel):
    """Thời hạn: `month` needs `month` ("2026-03") and no `date`, `by_date` needs `date` and no
    `month`; `recurring` and `unspecified` take neither. `text` is optional."""

    kind: DueKind
    month: str | None = Field(default=None, pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$")
    date: dt.date | None = None
    text: Text | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _fields_match_kind(self) -> "DueIn":
        if self.kind == "month" and (self.month is None or self.date is not None):
            raise ValueError("thời hạn theo tháng cần month, ví dụ '2026-03', và không có date")
        if self.kind == "by_date" and (self.date is None or self.month is not None):
            raise ValueError("thời hạn theo ngày cần trường date và không có month")
        if self.kind in ("recurring", "unspecified") and (self.month or self.date):
            raise ValueError("nhiệm vụ thường xuyên hoặc chưa có thời hạn không có month, date")
        return self


class DueRead(ReadModel):
    kind: DueKind
    month: str | None
    date: dt.date | None
    text: str


class CoordinatorIn(StrictModel):
    """Đơn vị phối hợp: a unit of the directory, a group of units, or a name (label) only."""

    unit_id: Id | None = None
    group: GroupCode | None = None
    label: Text | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _names_something(self) -> "CoordinatorIn":
        if self.unit_id is None and self.group is None and not self.label:
            raise ValueError("đơn vị phối hợp cần unit_id, group hoặc label")
        return self


class CoordinatorRead(ReadModel):
    unit_id: Id | None
    group: str | None
    label: str


class TaskCreate(StrictModel):
    plan_id: Id
    code: Text = Field(min_length=1, max_length=20, description="Mã nhiệm vụ, ví dụ 'I.8'")
    period: Period
    seq: int | None = Field(default=None, ge=0, le=9999)
    content: Text = Field(min_length=1, max_length=10_000)
    note: Text | None = Field(default=None, max_length=2_000)
    due: DueIn = DueIn(kind="unspecified")
    lead_unit_id: Id | None = None
    lead_unit_label: Text | None = Field(default=None, max_length=500)
    coordinators: list[CoordinatorIn] = Field(default_factory=list, max_length=100)


class TaskUpdate(StrictModel):
    """Only the fields sent change. Fields a task cannot be without are not nullable: an
    explicit null is a 422 rather than silently ignored."""

    code: Text = Field(default=None, min_length=1, max_length=20)
    period: Period = None
    seq: int = Field(default=None, ge=0, le=9999)
    content: Text = Field(default=None, min_length=1, max_length=10_000)
    note: Text | None = Field(default=None, max_length=2_000)
    due: DueIn = None
    lead_unit_id: Id | None = None
    lead_unit_label: Text | None = Field(default=None, max_length=500)
    coordinators: list[CoordinatorIn] = Field(default=None, max_length=100)
    status: TaskStatus = None
    progress_percent: int = Field(default=None, ge=0, le=100)
    issued_document_no: Text | None = Field(default=None, min_length=1, max_length=100)


class TaskRead(ReadModel):
    # Built from a task with `context={"as_of": day}`: `overdue` depends on the day asked.
    id: int
    plan_id: Id
    code: str
    period: Period
    seq: int
    content: str
    note: str | None
    due: DueRead
    lead_unit_id: Id | None
    lead_unit_label: str | None = Field(
        description="Tên đơn vị chủ trì như kế hoạch ghi (giữ lại khi không khớp danh bạ)"
    )
    coordinators: list[CoordinatorRead]
    status: TaskStatus
    completed_on: date | None
    overdue: bool = Field(description="Quá hạn tại ngày as_of (mặc định hôm nay, giờ Việt Nam)")
    warnings: list[PlanWarning]
    progress_percent: int
    issued_document_no: str | None = Field(
        description="Số, ký hiệu văn bản đã ban hành để thực hiện nhiệm vụ (từ báo cáo của đơn vị "
        "chủ trì hoặc Sở Nội vụ)"
    )
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)

    @model_validator(mode="before")
    @classmethod
    def _overdue_as_of(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, Task):
            as_of: date = (info.context or {})["as_of"]
            fields = {name: getattr(value, name) for name in cls.model_fields if name != "overdue"}
            return {**fields, "overdue": value.is_overdue(as_of)}
        return value


# ---- progress reports ------------------------------------------------------------------------


class TaskReportCreate(StrictModel):
    """`progress_percent` must fit `status`: 100 when done, 0 when not started."""

    status: TaskStatus
    progress_percent: int = Field(ge=0, le=100)
    content: Text = Field(min_length=1, max_length=10_000)
    document_no: Text | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Số, ký hiệu văn bản đã ban hành để thực hiện nhiệm vụ (vd. 125/KH-UBND); "
        "báo cáo của đơn vị chủ trì ghi nó vào nhiệm vụ",
    )
    attachment_ids: list[Id] = Field(
        default_factory=list,
        max_length=50,
        description="Giấy tờ đã tải lên hồ sơ của chính đơn vị báo cáo (Sở Nội vụ: mọi hồ sơ)",
    )


class TaskReportRead(ReadModel):
    id: int
    task_id: Id
    unit_id: Id | None
    author_id: Id | None
    status: TaskStatus
    progress_percent: int
    content: str
    document_no: str | None
    attachment_ids: list[Id]
    applied: bool = Field(
        description="True khi báo cáo cập nhật trạng thái nhiệm vụ (của đơn vị chủ trì hoặc "
        "Sở Nội vụ); báo cáo của đơn vị phối hợp chỉ được lưu lại"
    )
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED_AT)


# ---- counts ----------------------------------------------------------------------------------


class TaskCounts(BaseModel):
    total: int
    done: int
    in_progress: int
    not_started: int
    cancelled: int
    overdue: int


class PeriodTaskCounts(TaskCounts):
    period: Period


class LeadUnitTaskCounts(TaskCounts):
    lead_unit_id: Id | None
    lead_unit_name: str | None


class TaskCountsReport(BaseModel):
    plan_id: Id | None
    as_of: date
    totals: TaskCounts
    by_period: list[PeriodTaskCounts]
    by_lead_unit: list[LeadUnitTaskCounts]
