"""`parse_plan`: bytes of an uploaded plan into a `ParsedPlan`."""

from collections import Counter

from .cells import clean_inline
from .document import read_document
from .due import parse_due
from .models import ParsedPlan, ParseWarning, PlanParseError
from .tables import EXPECTED, TableRow, read_table
from .tasks import build_tasks


def parse_plan(data: bytes, filename: str | None = None, *, year: int | None = None) -> ParsedPlan:
    """Read a kế hoạch: the markdown document with its tab-separated appendix (phụ lục), or
    the appendix alone as TSV, CSV or XLSX.

    The plan year is `year` when given, else the one in the title ("… năm 2026"), else the
    most common year among the due cells. Raises `PlanParseError` when the file is not a plan.
    """
    table = read_table(data, filename)
    document = read_document(table.preamble)
    plan_year = year or document.year or _most_common_due_year(table.rows)
    tasks, row_warnings = build_tasks(table.rows, plan_year)
    if not tasks:
        raise PlanParseError(
            "no_tasks",
            "Bảng phụ lục không có nhiệm vụ nào: cần các dòng mục (I, II, …) và dưới mỗi mục "
            "các dòng nhiệm vụ đánh số 1, 2, … có nội dung. " + EXPECTED,
        )
    return ParsedPlan(
        year=plan_year,
        number=document.number,
        title=document.title,
        issued_on=document.issued_on,
        issuer=document.issuer,
        body=document.body,
        tasks=tuple(tasks),
        warnings=(*_document_warnings(document.warnings, plan_year), *row_warnings),
    )


def _document_warnings(
    warnings: tuple[ParseWarning, ...], plan_year: int | None
) -> tuple[ParseWarning, ...]:
    if plan_year is not None:
        return warnings
    message = "Không xác định được năm của kế hoạch (tên kế hoạch hay thời hạn không nêu năm)."
    return (*warnings, ParseWarning(None, "plan_year_missing", message))


def _most_common_due_year(rows: tuple[TableRow, ...]) -> int | None:
    years = Counter(
        due.date.year
        for due, _ in (parse_due(clean_inline(row.due), None) for row in rows)
        if due.date is not None
    )
    return years.most_common(1)[0][0] if years else None
