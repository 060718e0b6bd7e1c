from datetime import UTC, date, datetime

import pytest

from app.core.working_days import HolidayCalendar, today_in_vietnam, vietnam_holidays

CALENDAR = HolidayCalendar()


def test_library_knows_tet_2027():
    tet = {date(2027, 2, d) for d in range(4, 11)}
    assert tet <= vietnam_holidays([2027])


def test_twenty_working_days_skip_tet_2027():
    # The library gives Tết 2027 as 4-10 Feb; the weekdays among them are Thu 4, Fri 5, Mon 8,
    # Tue 9 and Wed 10 Feb. From Fri 29 Jan: 1-3 Feb are days 1-3, 11-12 Feb days 4-5,
    # 15-19 Feb days 6-10, 22-26 Feb days 11-15, 1-5 Mar days 16-20. Without Tết it would
    # have been Fri 26 Feb, one week earlier.
    assert CALENDAR.add_working_days(date(2027, 1, 29), 20) == date(2027, 3, 5)


def test_five_working_days_across_30_4_and_1_5_2026():
    # From Tue 28 Apr: Wed 29 Apr is day 1; 30/4 (Thu) and 1/5 (Fri) are holidays, then the
    # weekend; 4-7 May are days 2-5.
    assert CALENDAR.add_working_days(date(2026, 4, 28), 5) == date(2026, 5, 7)


def test_weekends_are_skipped():
    friday = date(2026, 3, 6)
    assert not CALENDAR.is_working_day(date(2026, 3, 7))
    assert not CALENDAR.is_working_day(date(2026, 3, 8))
    assert CALENDAR.add_working_days(friday, 1) == date(2026, 3, 9)
    assert CALENDAR.add_working_days(friday, 5) == date(2026, 3, 13)


def test_added_day_off_is_honoured():
    calendar = HolidayCalendar(added=frozenset({date(2026, 3, 9)}))
    assert not calendar.is_working_day(date(2026, 3, 9))
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)


def test_removed_holiday_becomes_working_day():
    labour_day = date(2026, 5, 1)
    assert not CALENDAR.is_working_day(labour_day)
    calendar = HolidayCalendar(removed=frozenset({labour_day}))
    assert calendar.is_working_day(labour_day)
    assert calendar.add_working_days(date(2026, 4, 29), 1) == labour_day


def test_zero_days_is_the_start_itself():
    saturday = date(2026, 3, 7)
    assert CALENDAR.add_working_days(saturday, 0) == saturday


def test_negative_days_raise():
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 3, 6), -1)


def test_working_days_between():
    # (Tue 28 Apr, Thu 7 May 2026]: 29 Apr and 4-7 May.
    assert CALENDAR.working_days_between(date(2026, 4, 28), date(2026, 5, 7)) == 5
    assert CALENDAR.working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0
    assert CALENDAR.working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == 0


def test_between_inverts_add():
    start = date(2027, 1, 29)
    end = CALENDAR.add_working_days(start, 20)
    assert CALENDAR.working_days_between(start, end) == 20


def test_today_in_vietnam_crosses_midnight_utc():
    assert today_in_vietnam(datetime(2026, 3, 1, 18, 30, tzinfo=UTC)) == date(2026, 3, 2)
    assert today_in_vietnam(datetime(2026, 3, 1, 16, 59, tzinfo=UTC)) == date(2026, 3, 1)


def test_today_in_vietnam_rejects_naive_datetime():
    with pytest.raises(ValueError):
        today_in_vietnam(datetime(2026, 3, 1, 12, 0))


def test_today_in_vietnam_defaults_to_now():
    assert isinstance(today_in_vietnam(), date)
