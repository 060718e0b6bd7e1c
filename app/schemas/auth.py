from datetime import date, datetime

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


class Me(ReadModel):
    id: int | None
    username: str
    full_name: str
    role: Role
    unit_id: Id | None
    cluster_id: Id | None
    council_member_id: Id | None


class ServiceTokenCreate(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(default="reader", pattern="^reader$")
    expires_on: date


class ServiceTokenRead(ReadModel):
    id: int
    name: str
    role: str
    expires_on: date
    revoked: bool
    updated_at: datetime = Field(description=UPDATED_AT)


class ServiceTokenCreated(ServiceTokenRead):
    token: str | None = Field(
        description="Shown this once; store it safely. Null in an idempotent replay: the "
        "secret is never stored, so a lost one is revoked and created anew."
    )
