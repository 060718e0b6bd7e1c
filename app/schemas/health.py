"""The readiness answer of `/readyz`."""

from typing import Literal

from pydantic import BaseModel, Field


class Readiness(BaseModel):
    """Whether the service can answer: the database reachable and at the latest migration."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]
    migration: str | None = Field(
        default=None, description="The database's migration; absent when it is unreachable"
    )
    expected: str | None = Field(
        default=None, description="The migration the code needs; only when they differ"
    )
