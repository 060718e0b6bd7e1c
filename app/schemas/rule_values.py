from datetime import datetime
from typing import Literal

from pydantic import Field

from app.schemas.common import ReadModel, StrictModel


class RuleValueRead(ReadModel):
    key: str
    value: float
    unit: Literal["working_days", "percent"]
    name: str
    legal_basis: str
    version: int
    updated_at: datetime | None = None


class RuleValueUpdate(StrictModel):
    value: float = Field(description="Working days: an integer 1–60; percent: 50–100")
    legal_basis: str | None = Field(default=None, min_length=1, max_length=2000)
