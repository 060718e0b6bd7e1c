"""Lịch ngày nghỉ: the library's Vietnamese holidays, amended by Sở Nội vụ in `holidays`."""

from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Literal

import holidays as holiday_library
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.core.listing import NO_LISTING, Listing, RowSorting
from app.core.orm import PageResult
from app.core.principal import Principal
from app.core.text import nfc
from app.core.working_days import HolidayCalendar
from app.models import Holiday
from app.services import audit, permissions


@dataclass(frozen=True)
class CalendarDay:
    """A day the law (`library`) or Sở Nội vụ (`amended`) says something about."""

    day: date
    name: str
    off: bool
    source: Literal["library", "amended"]
    updated_at: datetime | None = None  # when Sở Nội vụ last amended it; None: the law's day


HOLIDAY_SORTING = RowSorting(
    {name: attrgetter(name) for name in ("day", "name", "off", "source", "updated_at")},
    default="day",
    updated_at=attrgetter("updated_at"),
    tie_breaker=attrgetter("day"),
)


async def calendar(session: AsyncSession) -> HolidayCalendar:
    """The working-day calendar with every amendment applied (one small query)."""
    rows = (await session.execute(select(Holiday.day, Holiday.off))).all()
    return HolidayCalendar(
        added=frozenset(day for day, off in rows if off),
        removed=frozenset(day for day, off in rows if not off),
    )


async def list_holidays(
    session: AsyncSession, year: int, limit: int, offset: int, listing: Listing = NO_LISTING
) -> PageResult:
    """Every day of `year` the library or Sở Nội vụ has something to say about, by date (or
    the caller's `sort`); with `updated_since`, only the amendments made since."""
    library = holiday_library.country_holidays("VN", years=year, language="vi")
    days = {day: CalendarDay(day, name, True, "library") for day, name in library.items()}
    rows = await session.scalars(
        select(Holiday).where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
    )
    for row in rows:
        known = days.get(row.day)
        name = row.name or (known.name if known else "")
        days[row.day] = CalendarDay(row.day, name, row.off, "amended", row.updated_at)
    ordered = HOLIDAY_SORTING.apply(days.values(), listing)
    return PageResult(ordered[offset : offset + limit], len(ordered), limit, offset)


async def set_holiday(
    session: AsyncSession, actor: Principal, day: date, off: bool, name: str
) -> CalendarDay:
    """Declare `day` a day off (`off=True`, e.g. a bridge day) or a working day (`off=False`)."""
    permissions.require(actor, "holiday.set")
    row = await session.get(Holiday, day)
    before = None if row is None else {"off": row.off, "name": row.name}
    if row is None:
        row = Holiday(day=day, off=off, name=nfc(name))
        session.add(row)
    else:
        row.off, row.name = off, nfc(name)
    await session.flush()
    await audit.record(
        session, actor, "holiday.set", "holiday", None,
        before=before, after={"day": day.isoformat(), "off": off, "name": row.name},
    )  # fmt: skip
    return CalendarDay(day, row.name, off, "amended", row.updated_at)


async def delete_holiday(session: AsyncSession, actor: Principal, day: date) -> None:
    """Drop Sở Nội vụ's amendment of `day`; the library's calendar applies again."""
    permissions.require(actor, "holiday.delete")
    row = await session.get(Holiday, day)
    if row is None:
        raise NotFound(f"Ngày {day.isoformat()} không có điều chỉnh nào của Sở Nội vụ.")
    await session.delete(row)
    await session.flush()
    await audit.record(
        session, actor, "holiday.deleted", "holiday", None,
        before={"day": day.isoformat(), "off": row.off, "name": row.name},
    )  # fmt: skip
