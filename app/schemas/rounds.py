from datetime import date, datetime
from typing import Literal

from pydantic import Field

from app.core import statuses
from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel

RoundStatus = statuses.RoundStatus


class RoundCreate(StrictModel):
    year: int = Field(ge=2000, le=2100)
    number: Literal[1, 2]
    name: str | None = Field(default=None, min_length=1, max_length=300)
    submission_opens_on: date
    submission_closes_on: date = Field(description="Hồ sơ được nộp đến hết ngày này (giờ Việt Nam)")
    appraisal_due_on: date | None = None
    council_meeting_on: date | None = None
    state_submission_due_on: date | None = None
    task_ids: list[Id] = Field(default_factory=list, max_length=50)


class RoundUpdate(StrictModel):
    year: int | None = Field(default=None, ge=2000, le=2100)
    number: Literal[1, 2] | None = None
    name: str | None = Field(default=None, min_length=1, max_length=300)
    submission_opens_on: date | None = None
    submission_closes_on: date | None = None
    appraisal_due_on: date | None = None
    council_meeting_on: date | None = None
    state_submission_due_on: date | None = None
    task_ids: list[Id] | None = Field(default=None, max_length=50)


class RoundRead(ReadModel):
    id: int
    year: int
    number: int
    name: str
    submission_opens_on: date
    submission_closes_on: date
    appraisal_due_on: date | None
    council_meeting_on: date | None
    state_submission_due_on: date | None
    status: RoundStatus
    task_ids: list[Id]
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class ExtensionCreate(StrictModel):
    unit_id: Id
    until: date = Field(description="Đơn vị được nộp hồ sơ đến hết ngày này")
    reason: str = Field(min_length=1, max_length=2000)


class ExtensionRead(ReadModel):
    id: int
    round_id: Id
    unit_id: Id
    until: date
    reason: str
    approved_by_id: Id | None
    approved_by_name: str | None
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED_AT)
