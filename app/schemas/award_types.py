from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from app.schemas.common import UPDATED_AT, ReadModel, StrictModel


class AwardLevel(StrEnum):
    """Cấp khen thưởng: cơ sở, tỉnh, Nhà nước."""

    GRASSROOTS = "grassroots"
    PROVINCIAL = "provincial"
    STATE = "state"


class AwardRecipient(StrEnum):
    """Đối tượng của hình thức khen thưởng: cá nhân, tập thể, hoặc cả hai."""

    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"
    BOTH = "both"


Level = AwardLevel
Recipient = AwardRecipient


class CouncilVote(ReadModel):
    """Whether the council votes on this award type. The share it needs is the rule value
    `council_vote_threshold_percent.<code>` (GET /rule-values), dated, with its basis."""

    required: bool
    base: str = Field(description="`all_members`: the share is of all council members")

    @model_validator(mode="before")
    @classmethod
    def _stored_defaults(cls, value: Any) -> Any:
        # The catalogue stores only what a decree says: no vote, or no base, means the defaults.
        if value is None or isinstance(value, dict):
            stored = {k: v for k, v in (value or {}).items() if v is not None}
            return {"required": False, "base": "all_members"} | {
                k: v for k, v in stored.items() if k in ("required", "base")
            }
        return value


class CouncilVoteUpdate(StrictModel):
    required: bool | None = None


class AwardTypeRead(ReadModel):
    code: str
    name: str
    level: Level
    recipient: Recipient
    accepts_households: bool = Field(
        description="Also given to households (hộ gia đình), beside `recipient`"
    )
    decided_by: str
    council_vote: CouncilVote
    required_documents: list[str]
    criteria: list[dict[str, Any]]
    legal_basis: str
    needs_public_disclosure: bool
    disclosure_working_days: int | None
    active: bool
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)

    @field_validator("required_documents", "criteria", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class AwardTypeUpdate(StrictModel):
    """What Sở Nội vụ amends when a decree changes; codes of papers from the document list."""

    name: str | None = Field(default=None, min_length=1, max_length=300)
    active: bool | None = None
    accepts_households: bool | None = Field(
        default=None, description="Whether households (hộ gia đình) may be nominated"
    )
    council_vote: CouncilVoteUpdate | None = None
    required_documents: list[Annotated[str, Field(max_length=80)]] | None = Field(
        default=None, max_length=20
    )
    criteria: list[dict[str, Any]] | None = Field(default=None, max_length=50)
    legal_basis: str | None = Field(default=None, max_length=2000)
