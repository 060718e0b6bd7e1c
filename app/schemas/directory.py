from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AliasChoices, Field

from app.schemas.common import UPDATED_AT, Id, ReadModel, StrictModel


class UnitKind(StrEnum):
    """Loại đơn vị: sở, ngành; cơ quan; xã; phường; doanh nghiệp; đoàn thể; khác."""

    DEPARTMENT = "department"
    AGENCY = "agency"
    COMMUNE = "commune"
    WARD = "ward"
    ENTERPRISE = "enterprise"
    MASS_ORGANIZATION = "mass_organization"
    OTHER = "other"


class ClusterKind(StrEnum):
    """Cụm thi đua (`cum`) or khối thi đua (`khoi`)."""

    CUM = "cum"
    KHOI = "khoi"


class CouncilRole(StrEnum):
    """Chức danh trong Hội đồng: Chủ tịch, Phó Chủ tịch, Ủy viên thường trực, Ủy viên."""

    CHU_TICH = "chu_tich"
    PHO_CHU_TICH = "pho_chu_tich"
    UY_VIEN_THUONG_TRUC = "uy_vien_thuong_truc"
    UY_VIEN = "uy_vien"


# Caps on what one request may carry, so no body or list page grows without bound.
Alias = Annotated[str, Field(min_length=1, max_length=300)]
MAX_UNIT_IDS = 1000
MAX_CLUSTER_IDS = 200


class UnitCreate(StrictModel):
    code: str = Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=300)
    short_name: str | None = Field(default=None, max_length=100)
    kind: UnitKind = UnitKind.OTHER
    aliases: list[Alias] = Field(default_factory=list, max_length=50)


class UnitUpdate(StrictModel):
    # Not nullable: an absent field keeps its value, an explicit null is a 422.
    name: str = Field(default=None, min_length=1, max_length=300)
    short_name: str | None = Field(default=None, max_length=100)
    kind: UnitKind = None
    aliases: list[Alias] = Field(default=None, max_length=50)
    active: bool = None


class UnitRead(ReadModel):
    id: int
    code: str
    name: str
    short_name: str | None
    kind: UnitKind
    aliases: list[str]
    active: bool
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


DEPUTIES_VERIFY = (
    "The deputy units (phó khối) may verify and adjust the members' score sheets beside the "
    "head (Trưởng khối)."
)
HEAD_DEFINES_TABLE = (
    "The cluster head (Trưởng khối) may create, edit and open its cluster's scoring table "
    "(bảng điểm); set by Sở Nội vụ only."
)


class ClusterCreate(StrictModel):
    year: int = Field(ge=2000, le=2100)
    kind: ClusterKind
    name: str = Field(min_length=1, max_length=300)
    head_unit_id: Id | None = None
    deputy_head_unit_ids: list[Id] = Field(default_factory=list, max_length=MAX_UNIT_IDS)
    member_unit_ids: list[Id] = Field(default_factory=list, max_length=MAX_UNIT_IDS)


class ClusterUpdate(StrictModel):
    # Not nullable: an absent field keeps its value, an explicit null is a 422.
    kind: ClusterKind = None
    name: str = Field(default=None, min_length=1, max_length=300)
    head_unit_id: Id | None = None
    deputy_head_unit_ids: list[Id] | None = Field(default=None, max_length=MAX_UNIT_IDS)
    member_unit_ids: list[Id] | None = Field(default=None, max_length=MAX_UNIT_IDS)
    deputies_verify: bool = Field(default=None, description=DEPUTIES_VERIFY)
    head_defines_table: bool = Field(default=None, description=HEAD_DEFINES_TABLE)


class ClusterRead(ReadModel):
    id: int
    year: int
    kind: ClusterKind
    name: str
    head_unit_id: Id | None
    deputy_head_unit_ids: list[Id]
    member_unit_ids: list[Id]
    deputies_verify: bool = Field(description=DEPUTIES_VERIFY)
    head_defines_table: bool = Field(description=HEAD_DEFINES_TABLE)
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class CouncilMemberCreate(StrictModel):
    full_name: str = Field(min_length=1, max_length=200)
    position: str | None = Field(default=None, max_length=300)
    council_role: CouncilRole = CouncilRole.UY_VIEN
    unit_id: Id | None = None
    user_id: Id | None = None
    monitored_cluster_ids: list[Id] = Field(default_factory=list, max_length=MAX_CLUSTER_IDS)


class CouncilMemberUpdate(StrictModel):
    full_name: str = Field(default=None, min_length=1, max_length=200)
    position: str | None = Field(default=None, max_length=300)
    council_role: CouncilRole = None
    unit_id: Id | None = None
    user_id: Id | None = None
    monitored_cluster_ids: list[Id] | None = Field(default=None, max_length=MAX_CLUSTER_IDS)


class CouncilMemberRead(ReadModel):
    id: int
    council_id: Id
    full_name: str
    position: str | None
    council_role: CouncilRole
    unit_id: Id | None
    user_id: Id | None
    monitored_cluster_ids: list[Id]
    active: bool
    version: int


class CouncilCreate(StrictModel):
    name: str = Field(min_length=1, max_length=300)
    decision_no: str | None = Field(default=None, max_length=100)
    effective_from: date | None = None


class CouncilUpdate(StrictModel):
    name: str = Field(default=None, min_length=1, max_length=300)
    decision_no: str | None = Field(default=None, max_length=100)
    effective_from: date | None = None


class CouncilRead(ReadModel):
    id: int
    name: str
    decision_no: str | None
    effective_from: date | None
    members: list[CouncilMemberRead] = Field(
        validation_alias=AliasChoices("active_members", "members")
    )
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)
