"""Plans (kế hoạch), their tasks (nhiệm vụ), progress reports and the task counts."""

import datetime as dt
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from app.schemas.common import ReadModel, StrictModel

Period = Literal["Q1", "Q2", "Q3", "Q4", "recurring"]
DueKind = Literal["month", "by_date", "recurring", "unspecified"]
TaskStatus = Literal["not_started", "in_progress", "done", "cancelled"]
GroupCode = Literal[
    "cluster_member_units", "council_members", "provincial_leaders", "all_units", "related_units"
]


class PlanWarning(BaseModel):
    """Something doubtful found on import; `row` counts appendix rows, the header being 1."""

    row: int | None = None
    code: str
    message: str
    task_code: str | None = None


# ---- plans -----------------------------------------------------------------------------------


class PlanCreate(StrictModel):
    year: int = Field(ge=2000, le=2100)
    number: str | None = Field(default=None, max_length=100)
    title: str = Field(min_length=1, max_length=500)
    issued_on: date | None = None
    issuer: str | None = Field(default=None, max_length=300)
    body: str | None = Field(default=None, max_length=200_000)


class PlanUpdate(StrictModel):
    year: int | None = Field(default=None, ge=2000, le=2100)
    number: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    issued_on: date | None = None
    issuer: str | None = Field(default=None, max_length=300)
    body: str | None = Field(default=None, max_length=200_000)


class PlanRead(ReadModel):
    id: int
    year: int
    number: str | None
    title: str
    issued_on: date | None
    issuer: str | None
    body: str | None
    warnings: list[PlanWarning]
    version: int


class ImportedPlan(ReadModel):
    """The plan an import made or found; `id` and `version` are null in a dry run."""

    id: int | None
    year: int
    number: str | None
    title: str
    issued_on: date | None
    issuer: str | None
    body: str | None
    version: int | None


class PlanImportResult(BaseModel):
    plan: ImportedPlan
    tasks_created: int
    warnings: list[PlanWarning]
    dry_run: bool = Field(description="True: nothing was saved; `tasks_created` is a forecast")
    already_imported: bool = Field(
        description="True: the same file was imported before; the existing plan is returned"
    )


# ---- tasks -----------------------------------------------------------------------------------


class DueIn(StrictModel):
    """Thời hạn: `month` needs `month` ("2026-03"), `by_date` needs `date`; `text` is optional."""

    kind: DueKind
    month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    date: dt.date | None = None
    text: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _fields_match_kind(self) -> "DueIn":
        if self.kind == "month" and self.month is None:
            raise ValueError("thời hạn theo tháng cần trường month, ví dụ '2026-03'")
        if self.kind == "by_date" and self.date is None:
            raise ValueError("thời hạn theo ngày cần trường date")
        if self.kind in ("recurring", "unspecified") and (self.month or self.date):
            raise ValueError("nhiệm vụ thường xuyên hoặc chưa có thời hạn không có month, date")
        return self


class DueRead(BaseModel):
    kind: DueKind
    month: str | None
    date: dt.date | None
    text: str


class CoordinatorIn(StrictModel):
    """Đơn vị phối hợp: a unit of the directory, a group of units, or a name (label) only."""

    unit_id: int | None = None
    group: GroupCode | None = None
    label: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _names_something(self) -> "CoordinatorIn":
        if self.unit_id is None and self.group is None and not self.label:
            raise ValueError("đơn vị phối hợp cần unit_id, group hoặc label")
        return self


class CoordinatorRead(BaseModel):
    unit_id: int | None
    group: str | None
    label: str


class TaskCreate(StrictModel):
    plan_id: int
    code: str = Field(min_length=1, max_length=20, description="Mã nhiệm vụ, ví dụ 'I.8'")
    period: Period
    seq: int | None = Field(default=None, ge=0, le=9999)
    content: str = Field(min_length=1, max_length=10_000)
    note: str | None = Field(default=None, max_length=2_000)
    due: DueIn = DueIn(kind="unspecified")
    lead_unit_id: int | None = None
    lead_unit_label: str | None = Field(default=None, max_length=500)
    coordinators: list[CoordinatorIn] = Field(default_factory=list, max_length=100)


class TaskUpdate(StrictModel):
    code: str | None = Field(default=None, min_length=1, max_length=20)
    period: Period | None = None
    seq: int | None = Field(default=None, ge=0, le=9999)
    content: str | None = Field(default=None, min_length=1, max_length=10_000)
    note: str | None = Field(default=None, max_length=2_000)
    due: DueIn | None = None
    lead_unit_id: int | None = None
    lead_unit_label: str | None = Field(default=None, max_length=500)
    coordinators: list[CoordinatorIn] | None = Field(default=None, max_length=100)
    status: TaskStatus | None = None
    progress_percent: int | None = Field(default=None, ge=0, le=100)


class TaskRead(BaseModel):
    id: int
    plan_id: int
    code: str
    period: Period
    seq: int
    content: str
    note: str | None
    due: DueRead
    lead_unit_id: int | None
    lead_unit_label: str | None = Field(
        description="Tên đơn vị chủ trì như kế hoạch ghi (giữ lại khi không khớp danh bạ)"
    )
    coordinators: list[CoordinatorRead]
    status: TaskStatus
    completed_on: date | None
    overdue: bool = Field(description="Quá hạn tại ngày as_of (mặc định hôm nay, giờ Việt Nam)")
    warnings: list[PlanWarning]
    progress_percent: int
    version: int


# ---- progress reports ------------------------------------------------------------------------


class TaskReportCreate(StrictModel):
    status: TaskStatus
    progress_percent: int = Field(ge=0, le=100)
    content: str = Field(min_length=1, max_length=10_000)
    attachment_ids: list[int] = Field(default_factory=list, max_length=50)


class TaskReportRead(ReadModel):
    id: int
    task_id: int
    unit_id: int | None
    author_id: int | None
    status: TaskStatus
    progress_percent: int
    content: str
    attachment_ids: list[int]
    applied: bool = Field(
        description="True khi báo cáo cập nhật trạng thái nhiệm vụ (của đơn vị chủ trì hoặc "
        "Sở Nội vụ); báo cáo của đơn vị phối hợp chỉ được lưu lại"
    )
    created_at: datetime


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
    lead_unit_id: int | None
    lead_unit_name: str | None


class TaskCountsReport(BaseModel):
    plan_id: int | None
    as_of: date
    totals: TaskCounts
    by_period: list[PeriodTaskCounts]
    by_lead_unit: list[LeadUnitTaskCounts]
