from datetime import date, datetime
from typing import Literal

from pydantic import Field

from app.schemas.accounts import Role
from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel


class TokenResponse(ReadModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str


class RefreshRequest(StrictModel):
    refresh_token: str = Field(min_length=1, max_length=4096)


class GrantOption(ReadModel):
    """A role the account may act under: its own (`id` null) or a role grant."""

    id: int | None = Field(description="The grant's id; null for the account's own role.")
    role: Role
    unit_id: Id | None
    cluster_id: Id | None
    council_member_id: Id | None


class Me(ReadModel):
    id: int | None
    username: str
    full_name: str
    role: Role = Field(description="The role the token acts under.")
    unit_id: Id | None
    cluster_id: Id | None
    council_member_id: Id | None
    grant_id: int | None = Field(
        default=None, description="The grant the token acts under; null: the account's own role."
    )
    grants: list[GrantOption] = Field(
        default_factory=list,
        description="Every role the account may act under (`POST /auth/switch` changes it).",
    )


class SwitchRequest(StrictModel):
    grant_id: Id | None = Field(
        description="The grant to act under (from `GET /auth/me`); null: the account's own role."
    )


class ServiceTokenCreate(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    role: Literal["reader"] = Field(default="reader", description="Chỉ `reader` (chỉ đọc).")
    expires_on: date


class ServiceTokenRead(ReadModel):
    id: int
    name: str
    role: Literal["reader"]
    expires_on: date
    revoked: bool
    updated_at: datetime = Field(description=UPDATED_AT)


class ServiceTokenCreated(ServiceTokenRead):
    token: str | None = Field(
        description="Shown this once; store it safely. Null in an idempotent replay: the "
        "secret is never stored, so a lost one is revoked and created anew."
    )
