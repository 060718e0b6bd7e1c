from datetime import datetime
from enum import StrEnum

from pydantic import Field

from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel


class Role(StrEnum):
    """Vai trò: Sở Nội vụ, Trưởng khối (cụm, khối), thành viên Hội đồng, đơn vị, chỉ đọc."""

    NOI_VU = "noi_vu"
    CLUSTER_HEAD = "cluster_head"
    COUNCIL_MEMBER = "council_member"
    UNIT = "unit"
    READER = "reader"


class UserCreate(StrictModel):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    full_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)
    role: Role
    unit_id: Id | None = None
    cluster_id: Id | None = None
    council_member_id: Id | None = None


class UserUpdate(StrictModel):
    # Not nullable: an absent field keeps its value, an explicit null is a 422.
    full_name: str = Field(default=None, min_length=1, max_length=200)
    password: str | None = Field(default=None, min_length=10, max_length=200)
    active: bool = None
    unit_id: Id | None = None
    cluster_id: Id | None = None
    council_member_id: Id | None = None


class UserRead(ReadModel):
    id: int
    username: str
    full_name: str
    role: Role
    unit_id: Id | None
    cluster_id: Id | None
    council_member_id: Id | None
    active: bool
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class RoleGrantCreate(StrictModel):
    """One more role for an account, with its scope as for an account's own role: `unit`
    needs `unit_id`, `cluster_head` (Trưởng khối) `cluster_id`, `council_member`
    `council_member_id`."""

    role: Role
    unit_id: Id | None = None
    cluster_id: Id | None = None
    council_member_id: Id | None = None


class RoleGrantRead(ReadModel):
    id: int
    user_id: int
    role: Role
    unit_id: Id | None
    cluster_id: Id | None
    council_member_id: Id | None
    granted_by_id: int | None
    granted_at: datetime
    revoked_at: datetime | None
    active: bool
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)
