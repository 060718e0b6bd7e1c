"""The dossier report (báo cáo tổng hợp hồ sơ đề nghị khen thưởng) of a round or a year."""

from typing import Literal

from pydantic import Field

from app.schemas.common import Id, ReadModel

NominationStatus = Literal[
    "draft", "submitted", "eligible", "ineligible", "approved", "rejected", "awarded",
    "submitted_to_state", "withdrawn",
]  # fmt: skip
APPROVED = (
    "Passed the council or cleared for a decision: now `approved`, `awarded` or "
    "`submitted_to_state`"
)


class NominationCounts(ReadModel):
    total: int
    individual: int = Field(description="Cá nhân")
    collective: int = Field(description="Tập thể")
    by_status: dict[str, int] = Field(description="Nomination status → count (zeros omitted)")
    approved: int = Field(description=APPROVED)
    awarded: int = Field(description="Status `awarded` (khen thưởng / Nhà nước tặng)")


class AwardTypeCounts(ReadModel):
    award_type_code: str
    name: str | None
    total: int
    individual: int
    collective: int
    eligible: int = Field(description="Concluded eligible by the appraisal (thẩm định)")
    approved: int = Field(description=APPROVED)
    awarded: int


class ClusterCounts(ReadModel):
    cluster_id: Id | None = Field(description="Null: dossiers outside any cụm/khối")
    name: str | None
    dossiers: int
    nominations: int


class UnitCounts(ReadModel):
    unit_id: Id = Field(description="The submitting unit (đơn vị trình)")
    name: str
    dossiers: int
    nominations: int


class DossierReport(ReadModel):
    round_id: Id | None
    year: int | None
    total_dossiers: int
    dossiers_by_status: dict[str, int] = Field(description="Dossier status → count")
    nominations: NominationCounts
    by_award_type: list[AwardTypeCounts]
    by_cluster: list[ClusterCounts]
    by_unit: list[UnitCounts]
