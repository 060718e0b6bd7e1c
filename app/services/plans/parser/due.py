"""Dự kiến thời gian: "01/2026", "6/2026", "Xong trước 30/11/2026", "Thường xuyên", "Quý II"."""

import calendar
import datetime
import re

from app.core.text import fold, nfc

from .models import Due

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Patterns run on folded text (no accents, lower case), so "Thường xuyên" and "thuong xuyen"
# are read alike.
_RECURRING = re.compile(
    r"^(thuong xuyen|hang (ngay|tuan|thang|quy|nam)|dinh ky|lien tuc|ca nam|quanh nam)\b"
)
_DEADLINE_WORDS = (
    r"(?:(?:xong|hoan thanh|thuc hien)\s+)?"
    r"(?:truoc|han chot|han|cham nhat(?: la)?|khong qua|den|vao)?\s*(?:ngay\s+)?"
)
_NUMERIC_DATE = re.compile(
    rf"^{_DEADLINE_WORDS}(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})\s*[/.-]\s*(\d{{4}})$"
)
_WORDED_DATE = re.compile(rf"^{_DEADLINE_WORDS}(\d{{1,2}}) thang (\d{{1,2}}),? nam (\d{{4}})$")
_NUMERIC_MONTH = re.compile(r"^(?:trong )?(?:thang )?(\d{1,2})\s*[/.-]\s*(\d{4})$")
_WORDED_MONTH = re.compile(r"^(?:trong )?thang (\d{1,2})(?:,? nam (\d{4}))?$")
_QUARTER = re.compile(r"^(?:trong )?quy (iv|iii|ii|i|[1-4])(?:\s*[/.-]\s*(\d{4})|,? nam (\d{4}))?$")

Warnings = list[tuple[str, str]]


def parse_due(text: str, plan_year: int | None) -> tuple[Due, Warnings]:
    """Read a DỰ KIẾN THỜI GIAN cell; return the due and its (code, message) warnings.

    A month ("01/2026", "Tháng 5/2026") is due on its last day, a quarter ("Quý II/2026") on
    the quarter's last day. A year other than `plan_year` is kept but warned about: the
    official decides whether "03/2025" in a 2026 plan is a typing slip.
    """
    original = nfc(text or "")
    if not original:
        return Due("unspecified", None, None, ""), []
    key = " ".join(fold(original).replace(":", " ").split()).strip(" .;,")
    if _RECURRING.match(key):
        return Due("recurring", None, None, original), []
    try:
        due = _read_date(key, original, plan_year)
    except ValueError:
        return _unparsed(original, "ngày hoặc tháng không hợp lệ")
    if due is None:
        return _unparsed(original, "không đúng dạng quen thuộc")
    return due, _year_warnings(due, plan_year)


def _read_date(key: str, original: str, plan_year: int | None) -> Due | None:
    for pattern in (_NUMERIC_DATE, _WORDED_DATE):
        if match := pattern.match(key):
            day, month, year = (int(group) for group in match.groups())
            return Due("by_date", None, datetime.date(year, month, day), original)
    for pattern in (_NUMERIC_MONTH, _WORDED_MONTH):
        if match := pattern.match(key):
            return _month_due(int(match[1]), _year(match[2], plan_year), original)
    if match := _QUARTER.match(key):
        year = _year(match[2] or match[3], plan_year)
        return _quarter_due(_ROMAN_QUARTERS[match[1]], year, original)
    return None


def _year(value: str | None, plan_year: int | None) -> int | None:
    # "Tháng 5" or "Quý II" without a year means the plan's own year.
    return int(value) if value else plan_year


def _month_due(month: int, year: int | None, original: str) -> Due | None:
    if year is None:
        return None
    return Due("month", f"{year:04d}-{month:02d}", last_day_of_month(year, month), original)


def _quarter_due(quarter: int, year: int | None, original: str) -> Due | None:
    if year is None:
        return None
    return Due("by_date", None, last_day_of_month(year, quarter * 3), original)


def last_day_of_month(year: int, month: int) -> datetime.date:
    """The last day of a month; raises ValueError for a month outside 1..12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month}")
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def _unparsed(original: str, reason: str) -> tuple[Due, Warnings]:
    message = (
        f"Không đọc được thời hạn '{original}' ({reason}); hãy ghi theo dạng 03/2026, "
        "15/03/2026, Quý II/2026 hoặc 'Thường xuyên'"
    )
    return Due("unspecified", None, None, original), [("due_unparsed", message)]


def _year_warnings(due: Due, plan_year: int | None) -> Warnings:
    if plan_year is None or due.date is None or due.date.year == plan_year:
        return []
    message = f"Thời hạn '{due.text}' không thuộc năm {plan_year} của kế hoạch"
    return [("due_year_mismatch", message)]
