"""The rules of a task's life: when it is overdue, what finishing it means, stale warnings."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_

from app.core.statuses import TaskStatus
from app.models import Task
from app.models.tasks import CLOSED_STATUSES, DATED_KINDS
from app.services import workflow
from app.services.plans.parser.due import last_day_of_month

# How the plans name the groups of coordinating units, for a group sent without a label.
GROUP_LABELS = {
    "cluster_member_units": "Các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh",
    "council_members": "Thành viên Hội đồng TĐKT tỉnh",
    "provincial_leaders": "Lãnh đạo tỉnh",
    "all_units": "Các cơ quan, đơn vị, địa phương",
    "related_units": "Các cơ quan, đơn vị, địa phương có liên quan",
}

# Which task field a parser warning is about: fixing that field makes the warning stale.
_WARNING_FIELDS = {
    "due_unparsed": "due",
    "due_year_mismatch": "due",
    "due_outside_period": "due",
    "due_missing": "due",
    "unknown_period": "period",
    "missing_lead_unit": "lead_unit",
    "duplicate_code": "code",
}


def overdue_clause(as_of: date) -> ColumnElement[bool]:
    """`Task.is_overdue` in SQL, so that a filtered list's total and its pages agree."""
    return and_(
        Task.due_kind.in_(DATED_KINDS),
        Task.due_date.is_not(None),
        Task.due_date < as_of,
        Task.status.not_in(CLOSED_STATUSES),
    )


def set_status(task: Task, action: str, status: str, today: date) -> None:
    """Move the status through the transition table (`action`: "correct" by Sở Nội vụ,
    "report" by the lead unit): finishing stamps `completed_on` (today in Vietnam) and sets
    the progress to 100 %, leaving clears it."""
    changes: dict[str, Any] = {"completed_on": None}
    if status == TaskStatus.DONE:
        finished = task.status == TaskStatus.DONE and task.completed_on is not None
        changes = {"completed_on": task.completed_on if finished else today}
        changes["progress_percent"] = 100
    workflow.apply(task, "task", action, target=status, changes=changes)


def due_columns(kind: str, month: str | None, day: date | None, text: str | None) -> dict:
    """The task's due columns; a month is due on its last day."""
    if kind == "month" and month:
        year, number = (int(part) for part in month.split("-"))
        day = last_day_of_month(year, number)
        text = text or f"{number:02d}/{year}"
    elif kind == "by_date" and day:
        text = text or f"Xong trước {day:%d/%m/%Y}"
    else:
        month, day = None, None
        text = text if text is not None else ("Thường xuyên" if kind == "recurring" else "")
    return {"due_kind": kind, "due_month": month, "due_date": day, "due_text": text or ""}


def free_code(code: str, taken: set[str]) -> str:
    """`code`, or `code-2`, `code-3`, … : the first one not in `taken`."""
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}-{n}"
    return candidate


def progress_fits_status(status: str, progress_percent: int) -> bool:
    """A done task is at 100 %, a task not started at 0 %; the others at any percentage."""
    expected = {TaskStatus.DONE: 100, TaskStatus.NOT_STARTED: 0}.get(status)
    return expected is None or progress_percent == expected


def warning_dict(
    row: int | None, code: str, message: str, task_code: str | None, field: str | None = None
) -> dict[str, Any]:
    """A stored warning; `field` names the task field it is about, when there is one."""
    return {
        "row": row,
        "code": code,
        "message": message,
        "task_code": task_code,
        "field": field or _WARNING_FIELDS.get(code),
    }


def without_stale_warnings(warnings: list[dict], changed: Iterable[str]) -> list[dict]:
    """Drop the warnings about fields Sở Nội vụ has just corrected."""
    fixed = set(changed)

    def stale(warning: dict) -> bool:
        if warning.get("code") == "due_outside_period":  # about the due and the period alike
            return bool(fixed & {"due", "period"})
        return warning.get("field") in fixed

    return [w for w in warnings if not stale(w)]
