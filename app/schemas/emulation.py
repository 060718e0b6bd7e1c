"""Cluster emulation (thi đua cụm, khối): scoring tables, score sheets, rankings, results."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, WithJsonSchema

from app.core import statuses
from app.schemas.common import (
    UPDATED_AT,
    CastAs,
    Id,
    ReadModel,
    StrictModel,
    Text,
    VoteChoice,
    named_enum,
)
from app.schemas.directory import ClusterKind

TableStatus = statuses.ScoreTableStatus
SheetStatus = statuses.ScoreSheetStatus
CriterionKind = named_enum(
    "CriterionKind", ("base", "bonus", "penalty"),
    "Loại tiêu chí chấm điểm: điểm chuẩn, điểm thưởng, điểm trừ.", __name__,
)  # fmt: skip
TieRule = named_enum(
    "TieRule", ("shared", "fewer_penalties", "higher_base"),
    "Xếp hạng khi bằng điểm: đồng hạng, ít điểm trừ hơn xếp trên, điểm chuẩn cao hơn xếp trên.",
    __name__,
)  # fmt: skip
Proposal = named_enum(
    "ClusterProposal", ("co_thi_dua", "bang_khen"),
    "Đề nghị của cụm, khối: Cờ thi đua của UBND tỉnh hoặc Bằng khen của Chủ tịch UBND tỉnh.",
    __name__,
)  # fmt: skip

# Points: a decimal with at most two places, sent and shown as a JSON number (12.5).
PointsIn = Annotated[
    Decimal,
    Field(ge=0, le=10000, max_digits=7, decimal_places=2),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 10000, "multipleOf": 0.01}),
]
Points = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class CriterionIn(StrictModel):
    code: str = Field(min_length=1, max_length=20, description="Mã tiêu chí, ví dụ 1.2")
    name: Text = Field(min_length=1, max_length=2000)
    kind: CriterionKind = Field(
        default=CriterionKind.BASE,
        description="base: tiêu chí chấm điểm; bonus: điểm thưởng; penalty: điểm trừ",
    )
    max_points: PointsIn = Field(gt=0, description="Điểm tối đa (với điểm trừ: mức trừ tối đa)")
    evidence: Text | None = Field(
        default=None, max_length=1000, description="Giấy tờ minh chứng cần nộp; null: không cần"
    )


class GroupIn(StrictModel):
    name: Text = Field(min_length=1, max_length=300, description="Nhóm tiêu chí")
    criteria: list[CriterionIn] = Field(min_length=1, max_length=200)


class TableCreate(StrictModel):
    cluster_id: Id
    title: Text | None = Field(default=None, min_length=1, max_length=300)
    scoring_due_on: date = Field(description="Hạn nộp bản tự chấm (hết ngày, giờ Việt Nam)")
    tie_rule: TieRule | None = Field(
        default=None,
        description="Cách xếp khi bằng điểm: shared (đồng hạng), fewer_penalties (ít điểm trừ "
        "hơn xếp trên), higher_base (điểm tiêu chí cao hơn xếp trên)",
    )
    copy_from_id: Id | None = Field(
        default=None, description="Sao chép tiêu chí của bảng điểm này (thường là năm trước)"
    )
    groups: list[GroupIn] | None = Field(default=None, max_length=50)


class TableUpdate(StrictModel):
    title: Text | None = Field(default=None, min_length=1, max_length=300)
    scoring_due_on: date | None = None
    tie_rule: TieRule | None = None
    groups: list[GroupIn] | None = Field(default=None, min_length=1, max_length=50)


class CriterionRead(ReadModel):
    id: int
    group: str
    code: str
    name: str
    kind: CriterionKind
    max_points: Points
    evidence: str | None


class GroupRead(ReadModel):
    name: str
    criteria: list[CriterionRead]


class TableRead(ReadModel):
    id: int
    cluster_id: Id
    year: int
    revision: int
    title: str
    tie_rule: TieRule
    scoring_due_on: date
    status: TableStatus
    copied_from_id: Id | None
    groups: list[GroupRead]
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class EntryIn(StrictModel):
    criterion_id: Id
    points: PointsIn
    explanation: Text = Field(default="", max_length=4000, description="Giải trình ngắn")
    attachment_ids: list[Id] = Field(
        default_factory=list, max_length=50,
        description="Giấy tờ minh chứng: mã số giấy tờ đơn vị đã tải lên hồ sơ của mình",
    )  # fmt: skip


class SheetSave(StrictModel):
    entries: list[EntryIn] = Field(max_length=500)


class EntryRead(ReadModel):
    criterion_id: Id
    points: Points = Field(description="Điểm đơn vị tự chấm")
    explanation: str
    attachment_ids: list[Id]
    verified_points: Points | None = Field(description="Điểm Trưởng khối điều chỉnh; null: giữ")
    adjustment_reason: str | None
    disagreement: str | None = Field(description="Ý kiến không thống nhất của đơn vị")


class SheetRead(ReadModel):
    id: int
    table_id: Id
    cluster_id: Id
    unit_id: Id
    status: SheetStatus
    submitted_at: datetime | None
    late: bool = Field(description="Nộp sau hạn của bảng điểm")
    verified_at: datetime | None
    self_total: Points
    total: Points = Field(description="Tổng điểm sau thẩm tra (điểm trừ đã trừ)")
    entries: list[EntryRead] | None = Field(description="null cho tài khoản chỉ đọc: chỉ tổng")
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class Adjustment(StrictModel):
    criterion_id: Id
    points: PointsIn
    reason: Text = Field(min_length=1, max_length=2000)


class Disagreement(StrictModel):
    criterion_id: Id
    reason: Text = Field(min_length=1, max_length=2000)


class RankedUnit(ReadModel):
    rank: int
    unit_id: Id
    unit_name: str
    sheet_id: Id
    sheet_status: SheetStatus
    late: bool
    self_total: Points
    total: Points
    base: Points
    penalties: Points


class Ranking(ReadModel):
    table_id: Id
    cluster_id: Id
    year: int
    status: TableStatus
    tie_rule: TieRule
    tie_rule_text: str
    final: bool = Field(description="true khi Trưởng khối đã công bố (mọi bản đã thẩm tra)")
    late: bool = Field(description="Đã quá hạn nộp bản tự chấm")
    items: list[RankedUnit]
    unscored_unit_ids: list[Id] = Field(description="Thành viên chưa nộp bản tự chấm")


class ResultCreate(StrictModel):
    round_id: Id = Field(description="Đợt xét khen thưởng nhận hồ sơ của cụm, khối")
    leader_unit_id: Id = Field(description="Đơn vị dẫn đầu, đề nghị Cờ thi đua của UBND tỉnh")
    bang_khen_unit_ids: list[Id] = Field(default_factory=list, max_length=100)


class StandingRead(ReadModel):
    unit_id: Id
    rank: int
    total: Points
    proposal: Proposal | None


class ClusterResultRead(ReadModel):
    table_id: Id
    dossier_id: Id | None
    standings: list[StandingRead]


class ClusterProgress(ReadModel):
    cluster_id: Id
    cluster_name: str
    kind: ClusterKind
    members: int
    table_id: Id | None
    table_status: TableStatus | None
    scoring_due_on: date | None
    submitted: int
    late: int
    verified: int
    missing: int = Field(description="Thành viên chưa nộp bản tự chấm")
    overdue: bool = Field(description="Quá hạn mà còn thành viên chưa nộp")
    leader_unit_id: Id | None
    updated_at: datetime = Field(
        description="The latest change of the cluster, its scoring tables or its sheets"
    )


# ---- the cluster meeting's secret ballot ----------------------------------------------------
Choice = VoteChoice


class CandidateIn(StrictModel):
    unit_id: Id
    proposal: Proposal = Field(
        description="`co_thi_dua`: the leading unit (Cờ thi đua của UBND tỉnh); `bang_khen`: "
        "Bằng khen của Chủ tịch UBND tỉnh."
    )


class VoteOpen(StrictModel):
    """What the cluster meeting votes on, and which member units are present."""

    candidates: list[CandidateIn] = Field(min_length=1, max_length=100)
    present_unit_ids: list[Id] = Field(max_length=200)


class CandidateRead(ReadModel):
    id: int
    unit_id: int
    proposal: Proposal
    approve: int | None = Field(description="Counted at the close; null while the vote is open.")
    reject: int | None
    abstain: int | None
    approve_percent: float | None
    passed: bool | None


class ClusterVoteRead(ReadModel):
    id: int
    table_id: int
    cluster_id: int
    status: statuses.ClusterVoteStatus
    opened_at: datetime
    closed_at: datetime | None
    voters_total: int
    present: int
    quorum_percent: float
    threshold_percent: float
    candidates: list[CandidateRead]
    version: int
    updated_at: datetime


class ClusterVoteChoice(StrictModel):
    candidate_id: Id
    choice: Choice


class ClusterBallotCreate(StrictModel):
    votes: list[ClusterVoteChoice] = Field(min_length=1, max_length=100)


class ClusterBallotCast(ReadModel):
    """No choices in the answer; the one-time receipt alone reads the ballot back."""

    vote_id: int
    cast_as: CastAs
    receipt: str


class ClusterBallotRead(ReadModel):
    vote_id: int
    cast_as: CastAs
    votes: list[ClusterVoteChoice]
