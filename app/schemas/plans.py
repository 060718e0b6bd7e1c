"""Plans (kế hoạch), their tasks (nhiệm vụ), progress reports and the task counts."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from app.schemas.common import UPDATED_AT, ReadModel, StrictModel, Text


class PlanWarning(BaseModel):
    """Something doubtful found on import; `row` counts appendix rows, the header being 1."""

    row: int | None = None
    code: str
    message: str
    task_code: str | None = None


# ---- plans -----------------------------------------------------------------------------------


class PlanCreate(StrictModel):
    year: int = Field(ge=2000, le=2100)
    number: Text | None = Field(default=None, max_length=100)
    title: Text = Field(min_length=1, max_length=500)
    issued_on: date | None = None
    issuer: Text | None = Field(default=None, max_length=300)
    body: Text | None = Field(default=None, max_length=200_000)


class PlanUpdate(StrictModel):
    """Only the fields sent change; `year` and `title` cannot be emptied (null is refused)."""

    # Not nullable: an absent field keeps its value, an explicit null is a 422.
    year: int = Field(default=None, ge=2000, le=2100)
    number: Text | None = Field(default=None, max_length=100)
    title: Text = Field(default=None, min_length=1, max_length=500)
    issued_on: date | None = None
    issuer: Text | None = Field(default=None, max_length=300)
    body: Text | None = Field(default=None, max_length=200_000)


class PlanRead(ReadModel):
    id: int
    year: int
    number: str | None
    title: str
    issued_on: date | None
    issuer: str | None
    body: str | None
    warnings: list[PlanWarning]
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class ImportedPlan(ReadModel):
    """The plan an import made or found; `id` and `version` are null in a dry run."""

    id: int | None
    year: int
    number: str | None
    title: str
    issued_on: date | None
    issuer: str | None
    body: str | None
    version: int | None


class PlanImportResult(ReadModel):
    plan: ImportedPlan
    tasks_created: int
    warnings: list[PlanWarning]
    dry_run: bool = Field(description="True: nothing was saved; `tasks_created` is a forecast")
    already_imported: bool = Field(
        description="True: the same file was imported before; the existing plan is returned"
    )
