from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from app.schemas.common import ReadModel, StrictModel


class RuleValueRead(ReadModel):
    key: str
    value: float
    unit: Literal["working_days", "percent"]
    name: str
    legal_basis: str
    version: int
    updated_at: datetime | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _default_is_first(cls, value: int | None) -> int:
        # A value never amended has no row yet: it is at its first version.
        return value or 1

    @model_validator(mode="after")
    def _days_are_whole(self) -> "RuleValueRead":
        self.value = int(self.value) if self.unit == "working_days" else float(self.value)
        return self


class RuleValueUpdate(StrictModel):
    value: float = Field(description="Working days: an integer 1–60; percent: 50–100")
    legal_basis: str | None = Field(default=None, min_length=1, max_length=2000)


class DatedRuleValueRead(ReadModel):
    key: str = Field(
        description="`base_salary` (mức lương cơ sở) or `prize_multiple.<award type>.<individual"
        "|collective>` (tiền thưởng, lần mức lương cơ sở)"
    )
    effective_from: date = Field(description="In force from this day until the next value")
    value: float
    unit: Literal["dong", "multiple"] = Field(description="đồng, or a multiple of base_salary")
    name: str
    legal_basis: str
    verified: bool = Field(
        description="False: shipped without having been checked against the text it cites; "
        "Sở Nội vụ confirms it with a PATCH"
    )
    version: int

    @field_validator("version", mode="before")
    @classmethod
    def _default_is_first(cls, value: int | None) -> int:
        return value or 1


class DatedRuleValueCreate(StrictModel):
    key: str = Field(min_length=1, max_length=120)
    effective_from: date
    value: float = Field(description="đồng: an integer; multiple: 0–100")
    legal_basis: str = Field(min_length=1, max_length=2000)


class DatedRuleValueUpdate(StrictModel):
    value: float | None = None
    legal_basis: str | None = Field(default=None, min_length=1, max_length=2000)
