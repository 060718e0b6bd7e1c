"""Task lists as a spreadsheet (xuất danh sách nhiệm vụ): XLSX or CSV, headed like the appendix,
with where each task stands — progress, completion date, the paper issued for it and its last
report. The XLSX prints as an official would: A4 landscape, one page wide, the header row on
every page, borders, Times New Roman."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Unprocessable
from app.core.statuses import TaskStatus
from app.core.working_days import VIETNAM_TZ
from app.models import Task, TaskReport
from app.services.dossiers.exports import Column, ExportFile, tabular_file
from app.services.tasks.records import TaskFilters, lead_unit_name, lead_unit_names, task_query

COLUMNS = (
    Column("task_id", "ID nhiệm vụ", 10, printed=False), Column("code", "TT", 6),
    Column("plan_id", "ID kế hoạch", 10, printed=False), Column("period", "Kỳ", 5),
    Column("content", "Nội dung", 50), Column("due_text", "Dự kiến thời gian", 10),
    Column("due_date", "Hạn (ngày)", 11),
    Column("lead_unit_id", "ID đơn vị chủ trì", 10, printed=False),
    Column("lead_unit", "Đơn vị chủ trì", 18), Column("coordinators", "Đơn vị phối hợp", 26),
    Column("status", "Trạng thái (mã)", 14, printed=False),
    Column("status_label", "Trạng thái", 12), Column("progress_percent", "Tiến độ (%)", 8),
    Column("completed_on", "Ngày hoàn thành", 11), Column("overdue", "Quá hạn", 7),
    Column("issued_document_no", "Số văn bản ban hành", 13),
    Column("last_report_on", "Ngày báo cáo gần nhất", 11),
    Column("last_report", "Báo cáo gần nhất", 32),
)  # fmt: skip
HEADERS = tuple(c.header for c in COLUMNS)
EXPORT_MAX_ROWS = 20_000


async def export_tasks(session: AsyncSession, filters: TaskFilters, fmt: str) -> ExportFile:
    """The tasks `GET /tasks` would list with the same filters, every page at once; more than
    `EXPORT_MAX_ROWS` is refused rather than cut short without a word."""
    tasks = list(await session.scalars(task_query(filters).limit(EXPORT_MAX_ROWS + 1)))
    if len(tasks) > EXPORT_MAX_ROWS:
        raise Unprocessable(
            f"Có hơn {EXPORT_MAX_ROWS} nhiệm vụ khớp điều kiện, quá nhiều cho một tệp. Hãy lọc "
            "bớt (theo kế hoạch plan_id, kỳ period, đơn vị, trạng thái hoặc thời hạn) rồi xuất "
            "từng phần.",
            code="export_too_large",
        )
    names = await lead_unit_names(session, tasks)
    reports = await _last_reports(session, {task.id for task in tasks})
    rows = [_row(task, lead_unit_name(task, names), filters, reports.get(task.id))
            for task in tasks]  # fmt: skip
    stem = f"nhiem-vu-{filters.as_of.isoformat()}"
    return await tabular_file(fmt, "Nhiệm vụ", list(COLUMNS), rows, stem)


async def _last_reports(session: AsyncSession, task_ids: set[int]) -> dict[int, TaskReport]:
    """Each task's latest progress report (by whichever unit), in one query."""
    if not task_ids:
        return {}
    latest = select(func.max(TaskReport.id)).group_by(TaskReport.task_id)
    rows = await session.scalars(select(TaskReport).where(TaskReport.id.in_(latest)))
    return {report.task_id: report for report in rows if report.task_id in task_ids}


def _row(task: Task, lead: str, filters: TaskFilters, report: TaskReport | None) -> list[object]:
    content = f"{task.content} ({task.note})" if task.note else task.content
    reported_on = report.created_at.astimezone(VIETNAM_TZ).date() if report else None
    return [
        task.id, task.code, task.plan_id, task.period, content, task.due_text, task.due_date,
        task.lead_unit_id, lead, "; ".join(c.label for c in task.coordinators), task.status,
        TaskStatus(task.status).display, task.progress_percent, task.completed_on,
        task.is_overdue(filters.as_of), task.issued_document_no, reported_on,
        report.content if report else None,
    ]  # fmt: skip
