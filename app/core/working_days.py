"""Ngày làm việc (working days) for the legal clocks: trả lại hồ sơ trong 5 ngày làm việc,
thẩm định trong 20 ngày làm việc, công khai trước phiên họp Hội đồng ít nhất 10 ngày làm việc.

A working day is Monday to Friday and not a public holiday (ngày nghỉ lễ, Tết). Holidays come
from the `holidays` library; Sở Nội vụ amends them through `HolidayCalendar.added` / `.removed`
because the government announces bridge days (ngày nghỉ bù, hoán đổi) each year.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@lru_cache(maxsize=64)
def _holidays_of_year(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def vietnam_holidays(years: Iterable[int]) -> set[date]:
    """Ngày nghỉ lễ, Tết of the given years as the `holidays` library knows them.

    Includes Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and the observed or swapped days
    the library records.
    """
    result: set[date] = set()
    for year in set(years):
        result |= _holidays_of_year(year)
    return result


def today_in_vietnam(now: datetime | None = None) -> date:
    """Today's date in Asia/Ho_Chi_Minh; business dates never follow the server's clock."""
    if now is None:
        return datetime.now(VIETNAM_TZ).date()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(VIETNAM_TZ).date()


@dataclass(frozen=True)
class HolidayCalendar:
    """Lịch ngày nghỉ: the library's holidays, amended by Sở Nội vụ.

    `added`: extra days off (e.g. a bridge day announced after the library was released).
    `removed`: library holidays that are declared working days. A compensating working Saturday
    is not expressed here: Saturdays are never working days in this calendar.
    """

    added: frozenset[date] = frozenset()
    removed: frozenset[date] = frozenset()

    def is_holiday(self, day: date) -> bool:
        if day in self.added:
            return True
        return day not in self.removed and day in _holidays_of_year(day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and not self.is_holiday(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The date `n` working days after `start`; `start` itself is not counted."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        while n > 0:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in (start, end]; 0 when end <= start."""
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count
