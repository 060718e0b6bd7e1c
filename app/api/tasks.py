"""Tasks of the plans (nhiệm vụ trọng tâm), their progress reports, counts (báo cáo tổng hợp)
and the task export."""

from dataclasses import replace
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query, Response, status

from app.api.deps import Allowed, IfMatch, Listed, OptionalIfMatch, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import (
    CONFLICT,
    CREATED,
    NOT_FOUND,
    VERSIONED,
    content_disposition,
    envelope,
    set_etag,
)
from app.api.routing import feature_router
from app.core.working_days import today_in_vietnam
from app.schemas.common import Id, ListEnvelope
from app.schemas.tasks import (
    Period,
    TaskCountsReport,
    TaskCreate,
    TaskRead,
    TaskReportCreate,
    TaskReportRead,
    TaskStatus,
    TaskUpdate,
)
from app.services.tasks import counts
from app.services.tasks import export as task_export
from app.services.tasks import records as task_records
from app.services.tasks import reports as task_reports
from app.services.tasks.reports import TASK_REPORT_SORTING

router = feature_router()


async def as_of_param(
    as_of: Annotated[
        date | None,
        Query(description="Ngày xét quá hạn (YYYY-MM-DD); mặc định hôm nay theo giờ Việt Nam"),
    ] = None,
) -> date:
    return as_of or today_in_vietnam()


AsOf = Annotated[date, Depends(as_of_param)]


async def common_task_filters(
    as_of: AsOf,
    listing: Listed(task_records.TASK_SORTING),
    period: Period | None = None,
    lead_unit_id: Id | None = None,
    unit_id: Annotated[
        int | None, Query(description="Đơn vị chủ trì hoặc phối hợp của nhiệm vụ")
    ] = None,
    status: TaskStatus | None = None,
    overdue: Annotated[
        bool | None, Query(description="true: chỉ nhiệm vụ quá hạn tại as_of; false: chưa quá hạn")
    ] = None,
    due_from: Annotated[date | None, Query(description="Thời hạn từ ngày")] = None,
    due_to: Annotated[date | None, Query(description="Thời hạn đến ngày")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Tìm trong mã, nội dung, ghi chú; không dấu")
    ] = None,
) -> task_records.TaskFilters:
    return task_records.TaskFilters(
        as_of=as_of,
        period=period,
        lead_unit_id=lead_unit_id,
        unit_id=unit_id,
        status=status,
        overdue=overdue,
        due_from=due_from,
        due_to=due_to,
        q=q,
        listing=listing,
    )


CommonTaskFilters = Annotated[task_records.TaskFilters, Depends(common_task_filters)]


async def task_filters(
    filters: CommonTaskFilters, plan_id: Id | None = None
) -> task_records.TaskFilters:
    return replace(filters, plan_id=plan_id)


TaskFilterDep = Annotated[task_records.TaskFilters, Depends(task_filters)]


@router.get(
    "/tasks/export",
    summary="Export the tasks as a spreadsheet",
    response_class=Response,
    responses={
        200: {
            "description": "Tệp XLSX, CSV (UTF-8) hoặc JSON với các cột như phụ lục kế hoạch",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                "text/csv": {},
                "application/json": {},
            },
        }
    },
    tags=["tasks"],
)
async def export_tasks(
    session: SessionDep,
    principal: Allowed("task.export"),
    filters: TaskFilterDep,
    format_: Annotated[Literal["xlsx", "csv", "json"], Query(alias="format")] = "xlsx",
):
    """Every task matching the list's filters, as a spreadsheet (no paging). One header row;
    ids and status codes beside the Vietnamese labels (`status`, `status_label`); dates as
    date cells (XLSX) or ISO dates (CSV); `format=json` gives the same rows as
    `{"items": [...]}` keyed task_id, code, plan_id, period, content, due_text, due_date,
    lead_unit_id, lead_unit, coordinators, status, status_label, progress_percent,
    completed_on, overdue."""
    exported = await task_export.export_tasks(session, filters, format_)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={
            "Content-Disposition": content_disposition(exported.filename, exported.ascii_filename)
        },
    )


@router.get(
    "/tasks",
    summary="List and filter the plan tasks",
    response_model=ListEnvelope[TaskRead],
    tags=["tasks"],
)
async def list_tasks(
    session: SessionDep,
    principal: Allowed("task.list"),
    fields: Fields(TaskRead),
    page: PageDep,
    filters: TaskFilterDep,
):
    """Plan tasks are public to every signed-in role."""
    result = await task_records.list_tasks(session, filters, page.limit, page.offset)
    return fields.apply(
        envelope(
            result,
            [TaskRead.model_validate(t, context={"as_of": filters.as_of}) for t in result.items],
        )
    )


@router.post(
    "/tasks",
    summary="Add a task to a plan",
    response_model=TaskRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
    tags=["tasks"],
)
async def create_task(
    session: SessionDep, principal: Allowed("task.create"), body: TaskCreate, response: Response
):
    """Add a task to a plan; `overdue` in the answer is as of today in Vietnam."""
    task = await task_records.create_task(session, principal, body)
    response.headers["Location"] = f"/api/v1/tasks/{task.id}"
    set_etag(response, task.version)
    return TaskRead.model_validate(task, context={"as_of": today_in_vietnam()})


@router.get(
    "/tasks/{task_id}",
    summary="Read a task",
    response_model=TaskRead,
    responses=NOT_FOUND,
    tags=["tasks"],
)
async def get_task(
    session: SessionDep,
    principal: Allowed("task.read"),
    task_id: Id,
    as_of: AsOf,
    response: Response,
):
    """One plan task (nhiệm vụ) with its lead and coordinating units; `overdue` is as of today in
    Vietnam."""
    task = await task_records.get_task(session, task_id)
    set_etag(response, task.version)
    return TaskRead.model_validate(task, context={"as_of": as_of})


@router.patch(
    "/tasks/{task_id}",
    summary="Change a task",
    response_model=TaskRead,
    responses={**NOT_FOUND, **VERSIONED, **CONFLICT},
    tags=["tasks"],
)
async def update_task(
    session: SessionDep,
    principal: Allowed("task.update"),
    task_id: Id,
    body: TaskUpdate,
    expected: IfMatch,
    response: Response,
):
    """Correct a task; `status: done` stamps `completed_on`, another status clears it. Only the
    fields sent change; `overdue` in the answer is as of today in Vietnam."""
    task = await task_records.update_task(session, principal, task_id, body, expected)
    set_etag(response, task.version)
    return TaskRead.model_validate(task, context={"as_of": today_in_vietnam()})


@router.post(
    "/tasks/{task_id}/reports",
    summary="Report progress on a task",
    response_model=TaskReportRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT, 412: VERSIONED[412], **CREATED},
    tags=["tasks"],
)
async def submit_task_report(
    session: SessionDep,
    principal: Allowed("task.report"),
    task_id: Id,
    body: TaskReportCreate,
    expected: OptionalIfMatch,
    response: Response,
):
    """Báo cáo tiến độ by the lead unit (moves the task's status and progress), a coordinating
    unit (kept for the record only) or Sở Nội vụ (moves the task). Reports sent together on
    one task are applied one after the other. `progress_percent` must fit `status` (422
    `progress_mismatch`); `attachment_ids` name papers already uploaded to the reporting
    unit's dossiers (422 `unknown_attachment`)."""
    report = await task_reports.submit_report(session, principal, task_id, body, expected)
    response.headers["Location"] = f"/api/v1/tasks/{task_id}/reports"
    return report


@router.get(
    "/tasks/{task_id}/reports",
    summary="List a task's progress reports",
    response_model=ListEnvelope[TaskReportRead],
    responses=NOT_FOUND,
    tags=["tasks"],
)
async def list_task_reports(
    session: SessionDep,
    principal: Allowed("task.list_reports"),
    page: PageDep,
    listing: Listed(TASK_REPORT_SORTING),
    task_id: Id,
):
    """A unit sees its own reports, a cluster head those of its cluster's units."""
    result = await task_reports.list_reports(
        session, principal, task_id, page.limit, page.offset, listing=listing
    )
    return envelope(result)


@router.get(
    "/reports/tasks",
    summary="Count the tasks per period and lead unit",
    response_model=TaskCountsReport,
    responses=NOT_FOUND,
    tags=["reports"],
)
async def task_report(
    session: SessionDep,
    principal: Allowed("task.counts"),
    as_of: AsOf,
    plan_id: Annotated[int | None, Query(description="Một kế hoạch; trống: mọi kế hoạch")] = None,
):
    """Tasks per period and per lead unit: total, done, in progress, not started, cancelled and
    overdue at `as_of` (default today in Vietnam)."""
    return await counts.task_counts(session, plan_id, as_of)
