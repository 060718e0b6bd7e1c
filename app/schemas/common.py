"""Shared schema pieces: strict request models, read models, the list envelope."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class StrictModel(BaseModel):
    """Request bodies: unknown fields are refused (422), so `status` or `id` cannot slip in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ListEnvelope(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Problem(BaseModel):
    """RFC 9457 problem details, as every 4xx and 5xx answer is shaped."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    errors: list[dict] | None = None
