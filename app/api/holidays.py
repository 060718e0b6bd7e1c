"""The holiday calendar behind every working-day clock (ngày nghỉ lễ, Tết, ngày nghỉ bù)."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response, status

from app.api.deps import Allowed, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import NOT_FOUND, envelope
from app.api.routing import feature_router
from app.core.working_days import today_in_vietnam
from app.schemas.common import ListEnvelope
from app.schemas.holidays import HolidayRead, HolidaySet
from app.services import holidays
from app.services.holidays import HOLIDAY_SORTING

router = feature_router(tags=["holidays"])


@router.get(
    "/holidays", summary="List the year's days off", response_model=ListEnvelope[HolidayRead]
)
async def list_holidays(
    session: SessionDep,
    principal: Allowed("holiday.list"),
    page: PageDep,
    listing: Listed(HOLIDAY_SORTING),
    fields: Fields(HolidayRead, key="day"),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
):
    """The year's public holidays (from the law) with Sở Nội vụ's amendments applied, by
    date. `updated_since` gives the amendments made since (a day of the law has no
    `updated_at`). A dropped amendment leaves no row to sync: the year's whole list shows it."""
    result = await holidays.list_holidays(
        session, year or today_in_vietnam().year, page.limit, page.offset, listing
    )
    return fields.apply(envelope(result))


@router.put(
    "/holidays/{day}", summary="Declare a day off or a working day", response_model=HolidayRead
)
async def set_holiday(
    session: SessionDep, principal: Allowed("holiday.set"), day: date, body: HolidaySet
):
    """Declare a day off (e.g. a bridge day) or a working day; every clock counts with it."""
    return await holidays.set_holiday(session, principal, day, body.off, body.name)


@router.delete(
    "/holidays/{day}",
    summary="Drop a calendar amendment",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def delete_holiday(
    session: SessionDep, principal: Allowed("holiday.delete"), day: date
) -> Response:
    """Drop the amendment of `day`; the legal calendar applies again."""
    await holidays.delete_holiday(session, principal, day)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
