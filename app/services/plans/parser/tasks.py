"""Rows of the appendix into tasks: sections (mục I, II, …) give the period, rows the tasks."""

import re
from dataclasses import dataclass, field

from app.core.text import fold

from .cells import clean_inline, split_note
from .coordinators import split_coordinators
from .due import parse_due, quarter_of
from .models import Due, ParsedTask, ParseWarning
from .tables import TableRow

_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
_SEQ = re.compile(r"^(\d{1,3})[.)]?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_QUARTER_IN_HEADING = re.compile(r"\bquy (iv|iii|ii|i|[1-4])\b")
_RECURRING_HEADING = re.compile(r"\b(thuong xuyen|hang thang|dinh ky|ca nam)\b")
_QUARTERS = {
    **{"i": "Q1", "ii": "Q2", "iii": "Q3", "iv": "Q4"},
    **{"1": "Q1", "2": "Q2", "3": "Q3", "4": "Q4"},
}
_PERIOD_NAMES = {
    **{"Q1": "quý I", "Q2": "quý II", "Q3": "quý III", "Q4": "quý IV"},
    "recurring": "nhiệm vụ thường xuyên",
}


@dataclass(frozen=True)
class _Section:
    roman: str
    period: str | None


@dataclass
class _Builder:
    plan_year: int | None
    section: _Section | None = None
    codes: set[str] = field(default_factory=set)
    tasks: list[ParsedTask] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def period_of_heading(heading: str) -> str | None:
    """The period of a section heading: "Q1" for "… trong quý I", "recurring" for "thường xuyên"."""
    key = fold(heading)
    if match := _QUARTER_IN_HEADING.search(key):
        return _QUARTERS[match[1]]
    return "recurring" if _RECURRING_HEADING.search(key) else None


def build_tasks(
    rows: tuple[TableRow, ...], plan_year: int | None
) -> tuple[list[ParsedTask], list[ParseWarning]]:
    """Tasks in table order and every warning (rows skipped, sections, tasks) in row order."""
    builder = _Builder(plan_year)
    for row in rows:
        tt = clean_inline(row.tt).rstrip(".")
        if _ROMAN.match(tt.upper()):
            _open_section(builder, tt.upper(), row)
        elif match := _SEQ.match(tt):
            _add_task(builder, int(match[1]), row)
        elif not _is_column_numbering(row):
            builder.warnings.append(_unrecognised(row, tt))
    return builder.tasks, builder.warnings


def _open_section(builder: _Builder, roman: str, row: TableRow) -> None:
    heading = clean_inline(row.content)
    builder.section = _Section(roman, period_of_heading(heading))
    if builder.section.period is None:
        message = (
            f"Mục {roman} '{heading}' không nêu quý (I–IV) hay 'thường xuyên'; kỳ của các "
            "nhiệm vụ trong mục được suy ra từ thời hạn."
        )
        builder.warnings.append(ParseWarning(row.row, "unknown_period", message))


def _is_column_numbering(row: TableRow) -> bool:
    # Vietnamese tables often number their columns "(1) (2) (3)…" under the header.
    cells = [clean_inline(c) for c in (row.tt, row.content, row.due, row.lead, row.coordinators)]
    filled = [cell for cell in cells if cell]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(cell) for cell in filled)


def _unrecognised(row: TableRow, tt: str) -> ParseWarning:
    content = clean_inline(row.content)[:80]
    reason = f"cột TT '{tt}' không phải số thứ tự" if tt else "cột TT để trống"
    message = f"Dòng {row.row}: {reason}; dòng này không được nhập ('{content}')."
    return ParseWarning(row.row, "row_unrecognised", message)


def _add_task(builder: _Builder, seq: int, row: TableRow) -> None:
    section = builder.section
    if section is None:
        message = (
            f"Dòng {row.row}: nhiệm vụ số {seq} đứng trước mục đầu tiên (I, II, …) nên không "
            "xác định được kỳ thực hiện; dòng này không được nhập."
        )
        builder.warnings.append(ParseWarning(row.row, "row_without_section", message))
        return
    code = f"{section.roman}.{seq}"
    content, note = split_note(row.content)
    if not content:
        message = f"Nhiệm vụ {code} (dòng {row.row}) không có nội dung; dòng này không được nhập."
        builder.warnings.append(ParseWarning(row.row, "empty_content", message, code))
        return
    task = _task(builder, section, code, seq, content, note, row)
    builder.codes.add(code)
    builder.tasks.append(task)
    builder.warnings.extend(task.warnings)


def _task(
    builder: _Builder,
    section: _Section,
    code: str,
    seq: int,
    content: str,
    note: str | None,
    row: TableRow,
) -> ParsedTask:
    due, due_problems = parse_due(clean_inline(row.due), builder.plan_year)
    problems = list(due_problems)
    period = section.period or _period_from_due(due)
    problems += _period_problems(section, period, due, code, builder.plan_year)
    lead_unit = clean_inline(row.lead) or None
    if lead_unit is None:
        problems.append(("missing_lead_unit", f"Nhiệm vụ {code} chưa có đơn vị chủ trì."))
    if code in builder.codes:
        problems.append(("duplicate_code", f"Mã nhiệm vụ {code} trùng với một dòng phía trên."))
    return ParsedTask(
        code=code,
        period=period,
        seq=seq,
        content=content,
        note=note,
        due=due,
        lead_unit=lead_unit,
        coordinators=tuple(split_coordinators(row.coordinators)),
        row=row.row,
        warnings=tuple(ParseWarning(row.row, c, m, code) for c, m in problems),
    )


def _period_from_due(due: Due) -> str:
    if due.date is None:
        return "recurring"
    return f"Q{quarter_of(due.date)}"


def _period_problems(
    section: _Section, period: str, due: Due, code: str, plan_year: int | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if section.period is None:
        name = _PERIOD_NAMES[period]
        message = f"Nhiệm vụ {code}: mục {section.roman} không nêu kỳ; tạm xếp vào {name}."
        problems.append(("unknown_period", message))
    if section.period == "recurring":
        # A recurring task has no deadline of its own (row V.2 of the seed).
        return problems
    if not due.text:
        problems.append(("due_missing", f"Nhiệm vụ {code} chưa có thời hạn."))
    elif _outside_quarter(period, due, plan_year):
        message = f"Thời hạn '{due.text}' của nhiệm vụ {code} nằm ngoài {_PERIOD_NAMES[period]}."
        problems.append(("due_outside_period", message))
    return problems


def _outside_quarter(period: str, due: Due, plan_year: int | None) -> bool:
    if due.date is None or not period.startswith("Q"):
        return False
    if plan_year is not None and due.date.year != plan_year:
        # due_year_mismatch already flags it; one warning per slip is enough.
        return False
    return f"Q{quarter_of(due.date)}" != period
