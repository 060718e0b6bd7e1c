from datetime import date, datetime
from typing import Literal

from pydantic import Field

from app.schemas.common import ReadModel, StrictModel


class HolidayRead(ReadModel):
    day: date
    name: str
    off: bool = Field(description="True: a day off; False: declared a working day")
    source: Literal["library", "amended"]
    updated_at: datetime | None = Field(
        default=None, description="When Sở Nội vụ last amended the day; null: the law's day"
    )


class HolidaySet(StrictModel):
    off: bool
    name: str = Field(default="", max_length=200)
