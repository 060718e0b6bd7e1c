"""Result types of the plan parser (kết quả đọc kế hoạch công tác thi đua, khen thưởng)."""

import datetime
from dataclasses import dataclass

DUE_KINDS = frozenset({"month", "by_date", "recurring", "unspecified"})
PERIODS = ("Q1", "Q2", "Q3", "Q4", "recurring")
GROUP_CODES = frozenset(
    {"cluster_member_units", "council_members", "provincial_leaders", "all_units", "related_units"}
)
WARNING_CODES = frozenset(
    {
        # document level (row None)
        "plan_number_missing",
        "plan_date_missing",
        "plan_year_missing",
        # rows that are skipped, with the reason
        "row_without_section",
        "row_unrecognised",
        "empty_content",
        # sections and tasks that are kept
        "unknown_period",
        "due_unparsed",
        "due_year_mismatch",
        "due_outside_period",
        "due_missing",
        "missing_lead_unit",
        "duplicate_code",
    }
)
ERROR_CODES = frozenset(
    {"empty_file", "unsupported_format", "not_a_plan", "bad_header", "no_tasks"}
)


@dataclass(frozen=True)
class Due:
    """Dự kiến thời gian (thời hạn) of a task.

    `kind` is "month" (`month` = "2026-03", `date` = the last day of that month), "by_date"
    (`date` = the deadline), "recurring" (thường xuyên) or "unspecified" (empty or not
    understood). `text` keeps the cell as written so nothing the official typed is lost.
    """

    kind: str
    month: str | None
    date: datetime.date | None
    text: str


@dataclass(frozen=True)
class ParsedCoordinator:
    """One đơn vị phối hợp: a concrete unit (`group` None) or a set of units (`group` code)."""

    label: str
    group: str | None


@dataclass(frozen=True)
class ParseWarning:
    """Something doubtful found while reading; `row` is 1-based in the appendix (header = 1)."""

    row: int | None
    code: str
    message: str
    task_code: str | None = None


@dataclass(frozen=True)
class ParsedTask:
    """One nhiệm vụ trọng tâm of the appendix (phụ lục), e.g. code "I.8"."""

    code: str
    period: str
    seq: int
    content: str
    note: str | None
    due: Due
    lead_unit: str | None
    coordinators: tuple[ParsedCoordinator, ...]
    row: int
    warnings: tuple[ParseWarning, ...]


@dataclass(frozen=True)
class ParsedPlan:
    """A kế hoạch with its tasks; `warnings` holds the document's and every task's warnings."""

    year: int | None
    number: str | None
    title: str | None
    issued_on: datetime.date | None
    issuer: str | None
    body: str | None
    tasks: tuple[ParsedTask, ...]
    warnings: tuple[ParseWarning, ...]


class PlanParseError(ValueError):
    """The file cannot be read as a plan; `message` tells the official, in Vietnamese, why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
