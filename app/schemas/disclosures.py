"""Public disclosures (công khai): the published lists of nominations, and the opinions (ý kiến)
received about them."""

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import Field, HttpUrl, model_validator

from app.core.statuses import NominationStatus
from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel

CHANNEL = Field(min_length=1, max_length=300, examples=["Cổng thông tin điện tử tỉnh Sơn La"])
FEEDBACK_TO = Field(
    min_length=1,
    max_length=2000,
    description="Nơi nhận ý kiến: địa chỉ, thư điện tử, điện thoại, như đã công bố",
    examples=["Sở Nội vụ tỉnh Sơn La (Ban Thi đua - Khen thưởng), tdkt@sonla.gov.vn"],
)


def _ends_after_publication(published_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < published_on:
        raise ValueError("Hạn nhận ý kiến (ends_on) không được trước ngày công khai.")


class DisclosureCreate(StrictModel):
    """A list published once for several nominations (e.g. a round's Huân chương)."""

    title: str = Field(
        min_length=1, max_length=300,
        examples=["Danh sách đề nghị tặng Huân chương Lao động đợt 1 năm 2026"],
    )  # fmt: skip
    nomination_ids: list[Id] = Field(min_length=1, max_length=500)
    round_id: Id | None = None
    published_on: date
    ends_on: date = Field(description="Hạn nhận ý kiến: the last day opinions are received")
    channel: str = CHANNEL
    url: HttpUrl | None = None
    feedback_to: str = FEEDBACK_TO

    @model_validator(mode="after")
    def _period(self) -> "DisclosureCreate":
        _ends_after_publication(self.published_on, self.ends_on)
        return self


class NominationDisclosureCreate(StrictModel):
    """The disclosure of one nomination alone: a list of that one nomination."""

    published_on: date
    channel: str = CHANNEL
    url: HttpUrl | None = None
    ends_on: date | None = Field(default=None, description="Hạn nhận ý kiến")
    feedback_to: str | None = Field(default=None, min_length=1, max_length=2000)
    title: str | None = Field(default=None, min_length=1, max_length=300)

    @model_validator(mode="after")
    def _period(self) -> "NominationDisclosureCreate":
        _ends_after_publication(self.published_on, self.ends_on)
        return self


class DisclosureUpdate(StrictModel):
    """Correct what was published, or extend the comment period; only the fields sent change."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    ends_on: date | None = None
    channel: str | None = Field(default=None, min_length=1, max_length=300)
    url: HttpUrl | None = None
    feedback_to: str | None = Field(default=None, min_length=1, max_length=2000)


class DisclosureItemRead(ReadModel):
    """A nomination on the list and whether it still stands."""

    nomination_id: Id
    nomination_status: NominationStatus
    withdrawn: bool = Field(
        description="No longer standing (withdrawn, rejected, or its dossier returned or "
        "withdrawn): left out of `GET /public/disclosures` and of the printed list"
    )


class DisclosureRead(ReadModel):
    id: int
    title: str
    round_id: Id | None
    nomination_ids: list[Id] = Field(description="Every nomination published, standing or not")
    items: list[DisclosureItemRead]
    published_on: date
    ends_on: date | None = Field(description="Hạn nhận ý kiến; null on lists recorded before it")
    ends_on_missing: bool = Field(
        description="True when the list has no comment deadline (lists recorded before it was "
        "asked for): it is not shown at `GET /public/disclosures` until Sở Nội vụ sets `ends_on`"
    )
    channel: str
    url: str | None
    feedback_to: str | None
    created_at: datetime
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


@dataclass(frozen=True)
class DisclosureFilter:
    """The filters of `GET /disclosures`; None: any. `open_on`: the lists still receiving
    opinions on that day; `nomination_id`: the lists carrying that nomination;
    `ends_on_missing`: the lists without (True) or with (False) a comment deadline."""

    round_id: int | None = None
    nomination_id: int | None = None
    open_on: date | None = None
    ends_on_missing: bool | None = None


class OpinionCreate(StrictModel):
    received_on: date
    sender: str | None = Field(
        default=None, max_length=300,
        description="Người, cơ quan gửi ý kiến; bỏ trống khi ý kiến không ghi tên",
    )  # fmt: skip
    nomination_id: Id | None = Field(
        default=None, description="The nomination on the list the opinion is about, if one"
    )
    content: str = Field(min_length=1, max_length=20000)
    handling: str | None = Field(default=None, min_length=1, max_length=20000)
    handled_on: date | None = None


class OpinionUpdate(StrictModel):
    """Record how the opinion was handled (or correct it); only the fields sent change."""

    received_on: date | None = None
    sender: str | None = Field(default=None, max_length=300)
    nomination_id: Id | None = None
    content: str | None = Field(default=None, min_length=1, max_length=20000)
    handling: str | None = Field(default=None, min_length=1, max_length=20000)
    handled_on: date | None = None


class OpinionRead(ReadModel):
    id: int
    disclosure_id: Id
    nomination_id: Id | None
    received_on: date
    sender: str | None = Field(description="Null: ý kiến không ghi tên")
    content: str
    handling: str | None
    handled_on: date | None
    created_at: datetime
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)
