"""Task lists as a spreadsheet (xuất danh sách nhiệm vụ): XLSX or CSV, headed like the appendix."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Unprocessable
from app.core.statuses import TaskStatus
from app.models import Task
from app.services.dossiers.exports import Column, ExportFile, tabular_file
from app.services.tasks.records import TaskFilters, lead_unit_name, lead_unit_names, task_query

COLUMNS = (
    Column("task_id", "ID nhiệm vụ", 10), Column("code", "TT", 8),
    Column("plan_id", "ID kế hoạch", 10), Column("period", "Kỳ", 8),
    Column("content", "Nội dung", 70), Column("due_text", "Dự kiến thời gian", 18),
    Column("due_date", "Hạn (ngày)", 12), Column("lead_unit_id", "ID đơn vị chủ trì", 10),
    Column("lead_unit", "Đơn vị chủ trì", 28), Column("coordinators", "Đơn vị phối hợp", 45),
    Column("status", "Trạng thái (mã)", 14), Column("status_label", "Trạng thái", 16),
    Column("progress_percent", "Tiến độ (%)", 10), Column("completed_on", "Ngày hoàn thành", 12),
    Column("overdue", "Quá hạn", 10),
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
    rows = [_row(task, lead_unit_name(task, names), filters) for task in tasks]
    stem = f"nhiem-vu-{filters.as_of.isoformat()}"
    return await tabular_file(fmt, "Nhiệm vụ", list(COLUMNS), rows, stem)


def _row(task: Task, lead: str, filters: TaskFilters) -> list[object]:
    content = f"{task.content} ({task.note})" if task.note else task.content
    return [
        task.id, task.code, task.plan_id, task.period, content, task.due_text, task.due_date,
        task.lead_unit_id, lead, "; ".join(c.label for c in task.coordinators), task.status,
        TaskStatus(task.status).display, task.progress_percent, task.completed_on,
        task.is_overdue(filters.as_of),
    ]  # fmt: skip
