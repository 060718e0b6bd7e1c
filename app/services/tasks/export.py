"""Task lists as a spreadsheet (xuất danh sách nhiệm vụ): XLSX or CSV, headed like the appendix."""

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Unprocessable
from app.core.statuses import TaskStatus
from app.models import Task
from app.services.tasks.records import TaskFilters, lead_unit_name, lead_unit_names, task_query

HEADERS = (
    "TT",
    "Nội dung",
    "Dự kiến thời gian",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Trạng thái",
    "Quá hạn",
)
WIDTHS = (8, 70, 18, 28, 45, 16, 10)
EXPORT_MAX_ROWS = 20_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Spreadsheet programs run a cell that starts like a formula; exported text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


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
    if fmt == "csv":
        return ExportFile(_csv(rows), CSV_TYPE, f"{stem}.csv")
    return ExportFile(_xlsx(rows), XLSX_TYPE, f"{stem}.xlsx")


def _row(task: Task, lead: str, filters: TaskFilters) -> list[str]:
    content = f"{task.content} ({task.note})" if task.note else task.content
    return [
        task.code,
        content,
        task.due_text,
        lead,
        "; ".join(c.label for c in task.coordinators),
        TaskStatus(task.status).display,
        "Có" if task.is_overdue(filters.as_of) else "",
    ]


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    # The BOM lets Excel open the Vietnamese text as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    sheet.append(HEADERS)
    for row in rows:
        # Text saved before control characters were refused may still hold one; XLSX cannot.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip(sheet.columns, WIDTHS, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = width
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
