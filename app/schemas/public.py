"""What the public surface answers: names, units, awards, years and decision numbers only."""

from datetime import date

from pydantic import Field

from app.schemas.common import NomineeKind, ReadModel


class PublicNominee(ReadModel):
    """One nomination on a published list, as the list prints it."""

    name: str = Field(description="Họ và tên hoặc tên tập thể")
    kind: NomineeKind
    unit: str | None = Field(description="Đơn vị công tác (của cá nhân) hoặc đơn vị trình")
    award: str = Field(description="Hình thức khen thưởng được đề nghị")


class PublicDisclosure(ReadModel):
    """A list under public disclosure, with its comment deadline and where opinions go."""

    id: int
    title: str
    published_on: date
    ends_on: date = Field(description="Hạn nhận ý kiến (hết ngày này)")
    channel: str
    url: str | None
    feedback_to: str | None = Field(description="Nơi nhận ý kiến: địa chỉ, thư điện tử, điện thoại")
    nominations: list[PublicNominee]


class PublicAward(ReadModel):
    """An award already decided."""

    name: str = Field(description="Họ và tên hoặc tên tập thể")
    kind: NomineeKind
    unit: str | None
    award: str
    year: int = Field(description="Năm thành tích")
    decision_no: str | None = Field(description="Số quyết định")
    decided_on: date | None
