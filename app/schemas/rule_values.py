from datetime import date, datetime

from pydantic import Field, field_validator, model_validator

from app.schemas.common import ReadModel, StrictModel, named_enum

RuleUnit = named_enum(
    "RuleUnit", ("working_days", "percent", "dong", "multiple"),
    "Đơn vị của số liệu quy định: ngày làm việc, phần trăm, đồng, hoặc số lần mức lương cơ sở.",
    __name__,
)  # fmt: skip

KEY_DESCRIPTION = (
    "The rule: `return_working_days`, `supplement_working_days`, `appraisal_working_days` (thời "
    "hạn), `quorum_percent`, `award_quorum_percent`, `cluster_quorum_percent`, "
    "`cluster_vote_threshold_percent`, `council_vote_threshold_percent.<award type>` (tỷ lệ "
    "biểu quyết của Hội đồng), `base_salary` (mức lương cơ sở) or "
    "`prize_multiple.<award type>.<individual|collective>` (tiền thưởng)"
)


class RuleValueRead(ReadModel):
    """One value of a rule from a date (số liệu quy định), with its legal basis."""

    id: str = Field(
        description="`<key>/<effective_from>`: the row's address under /rule-values (PATCH)"
    )
    key: str = Field(description=KEY_DESCRIPTION)
    effective_from: date = Field(description="Ngày có hiệu lực: in force from this day")
    effective_until: date | None = Field(
        default=None,
        description="The day the next value of this key takes over (null: none after it)",
    )
    in_force: bool = Field(description="This is the value of its key that holds today")
    value: float
    unit: RuleUnit
    name: str
    legal_basis: str
    verified: bool = Field(
        description="False: shipped without having been checked against the text it cites, or "
        "a council rule whose text is not issued yet; Sở Nội vụ confirms it with a PATCH"
    )
    version: int
    updated_at: datetime | None = Field(
        default=None, description="Null for a shipped value never stored"
    )

    @field_validator("version", mode="before")
    @classmethod
    def _default_is_first(cls, value: int | None) -> int:
        # A shipped value never stored has no row yet: it is at its first version.
        return value or 1

    @model_validator(mode="after")
    def _days_are_whole(self) -> "RuleValueRead":
        if self.unit == "working_days":
            self.value = int(self.value)
        return self


class RuleValueCreate(StrictModel):
    key: str = Field(min_length=1, max_length=120, description=KEY_DESCRIPTION)
    effective_from: date = Field(description="The day the value takes effect (the decision's)")
    value: float = Field(
        description="working days: an integer 1–60; percent: 50–100; đồng: an integer; "
        "multiple: 0–100"
    )
    legal_basis: str = Field(
        min_length=1, max_length=2000, description="The decision it comes from (số, ngày, điều)"
    )


class RuleValueUpdate(StrictModel):
    value: float | None = None
    legal_basis: str | None = Field(default=None, min_length=1, max_length=2000)
