from datetime import date, datetime

from pydantic import Field

from app.schemas.common import ReadModel, StrictModel, named_enum

HolidaySource = named_enum(
    "HolidaySource", ("library", "amended"),
    "Nguồn của ngày: theo luật (thư viện ngày lễ), hoặc do Sở Nội vụ điều chỉnh.", __name__,
)  # fmt: skip


class HolidayRead(ReadModel):
    day: date
    name: str
    off: bool = Field(description="True: a day off; False: declared a working day")
    source: HolidaySource
    updated_at: datetime | None = Field(
        default=None, description="When Sở Nội vụ last amended the day; null: the law's day"
    )


class HolidaySet(StrictModel):
    off: bool
    name: str = Field(default="", max_length=200)
