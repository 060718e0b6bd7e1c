"""Cluster emulation (thi đua cụm, khối): the scoring table of a cluster's year, the members'
score sheets, and the standings the cluster's decision records.

Points are kept as whole hundredths (`*_centipoints`): sums and rankings are exact integer
arithmetic in SQL on every database, and the API shows them as decimals with two places.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.statuses import ClusterVoteStatus, ScoreSheetStatus, ScoreTableStatus
from app.models.base import Base, JSONType, TimestampMixin, UTCDateTime, VersionedMixin, one_of

CRITERION_KINDS = ("base", "bonus", "penalty")
TIE_RULES = ("shared", "fewer_penalties", "higher_base")
PROPOSALS = ("co_thi_dua", "bang_khen")


class ScoreTable(TimestampMixin, VersionedMixin, Base):
    """Bảng điểm thi đua: one revision of a cluster's criteria for its year."""

    __tablename__ = "score_tables"
    __table_args__ = (
        UniqueConstraint("cluster_id", "revision"),
        CheckConstraint(one_of("status", ScoreTableStatus.values()), name="status"),
        CheckConstraint(one_of("tie_rule", TIE_RULES), name="tie_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=ScoreTableStatus.DRAFT)
    tie_rule: Mapped[str] = mapped_column(String(20), default="shared")
    # Members submit their sheets by the end of this day (Asia/Ho_Chi_Minh); later is late.
    scoring_due_on: Mapped[date] = mapped_column(Date)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("score_tables.id"))

    criteria: Mapped[list["ScoreCriterion"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="ScoreCriterion.position"
    )


class ScoreCriterion(Base):
    """Tiêu chí chấm điểm: a base criterion, a bonus (điểm thưởng) or a penalty (điểm trừ)."""

    __tablename__ = "score_criteria"
    __table_args__ = (
        UniqueConstraint("table_id", "code"),
        CheckConstraint(one_of("kind", CRITERION_KINDS), name="kind"),
        CheckConstraint("max_centipoints > 0", name="max_centipoints"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        ForeignKey("score_tables.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    group_name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10), default="base")
    max_centipoints: Mapped[int] = mapped_column(Integer)
    # What the unit must attach (minh chứng); None when nothing is required.
    evidence: Mapped[str | None] = mapped_column(String(1000))


class ScoreSheet(TimestampMixin, VersionedMixin, Base):
    """Bản tự chấm điểm: one member unit's scores against one table."""

    __tablename__ = "score_sheets"
    __table_args__ = (
        UniqueConstraint("table_id", "unit_id"),
        CheckConstraint(one_of("status", ScoreSheetStatus.values()), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_tables.id"), index=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ScoreSheetStatus.DRAFT)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(default=False, server_default="0")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entries: Mapped[list["ScoreEntry"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="ScoreEntry.criterion_id"
    )


class ScoreEntry(Base):
    """The unit's score on one criterion, and the head's adjustment when there is one."""

    __tablename__ = "score_entries"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("self_centipoints >= 0", name="self_centipoints"),
        CheckConstraint(
            "verified_centipoints IS NULL OR verified_centipoints >= 0",
            name="verified_centipoints",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("score_criteria.id"), index=True)
    self_centipoints: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text, default="")
    attachment_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    verified_centipoints: Mapped[int | None] = mapped_column(Integer)
    adjustment_reason: Mapped[str | None] = mapped_column(Text)
    # The unit's objection to the head's adjustment (ý kiến không thống nhất), kept on record.
    disagreement: Mapped[str | None] = mapped_column(Text)


class ClusterStanding(Base):
    """A unit's place in its cluster's year as the cluster decided it: the ranking when the
    result was recorded, and what the cluster proposes for the unit."""

    __tablename__ = "cluster_standings"
    __table_args__ = (
        UniqueConstraint("year", "unit_id"),
        CheckConstraint(f"proposal IS NULL OR {one_of('proposal', PROPOSALS)}", name="proposal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_tables.id"), index=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    total_centipoints: Mapped[int] = mapped_column(Integer)
    proposal: Mapped[str | None] = mapped_column(String(20))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))


# ---- the cluster meeting's secret ballot (bỏ phiếu kín) --------------------------------------
# The same shape as the council's ballot tables (app/models/meetings.py) and kept by the same
# steps (app/services/meetings/ballot_box.py): who voted apart from what, choices written only
# at the close, no timestamps, WITHOUT ROWID on SQLite. Read-back copies share ballot_receipts.
CLUSTER_VOTE_STATUSES = ClusterVoteStatus.values()
_NO_ROWID = {"sqlite_with_rowid": False}


class ClusterVote(TimestampMixin, VersionedMixin, Base):
    """The cluster meeting's vote (bỏ phiếu kín tại hội nghị tổng kết cụm, khối) on the leading
    unit and the Bằng khen proposals of a published ranking; the roll, the attendance, the
    quorum and the threshold are fixed when it opens."""

    __tablename__ = "cluster_votes"
    __table_args__ = (CheckConstraint(one_of("status", CLUSTER_VOTE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_tables.id"), index=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voters_total: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    quorum_percent: Mapped[float] = mapped_column(Float)
    threshold_percent: Mapped[float] = mapped_column(Float)

    candidates: Mapped[list["ClusterVoteCandidate"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="ClusterVoteCandidate.position"
    )


class ClusterVoteCandidate(Base):
    """One proposal put to the vote: a unit for Cờ thi đua (the leading unit) or for Bằng khen;
    its counts once the vote closed."""

    __tablename__ = "cluster_vote_candidates"
    __table_args__ = (
        UniqueConstraint("vote_id", "unit_id", "proposal"),
        CheckConstraint(one_of("proposal", PROPOSALS), name="proposal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("cluster_votes.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    proposal: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    approve: Mapped[int | None] = mapped_column(Integer)
    reject: Mapped[int | None] = mapped_column(Integer)
    abstain: Mapped[int | None] = mapped_column(Integer)
    approve_percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)


class ClusterVoter(Base):
    """The roll, fixed at the opening: the cluster's member units that year, and whether each
    was present (có mặt) or sends its ballot in writing."""

    __tablename__ = "cluster_vote_voters"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("cluster_votes.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)


class ClusterBallotParticipation(Base):
    """That a member unit voted, and whether present — never what, never when."""

    __tablename__ = "cluster_ballot_participations"
    __table_args__ = (
        CheckConstraint("cast_as IN ('present', 'written')", name="cast_as"),
        _NO_ROWID,
    )

    vote_id: Mapped[int] = mapped_column(ForeignKey("cluster_votes.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    cast_as: Mapped[str] = mapped_column(String(10))


class ClusterSealedBallot(Base):
    """A ballot while the vote is open, encrypted under the ballot key."""

    __tablename__ = "cluster_sealed_ballots"
    __table_args__ = _NO_ROWID

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("cluster_votes.id"), index=True)
    sealed: Mapped[str] = mapped_column(Text)


class ClusterBallotChoice(Base):
    """One choice on one ballot, written only at the close: no voter, no time, no grouping."""

    __tablename__ = "cluster_ballot_choices"
    __table_args__ = (
        CheckConstraint("choice IN ('approve', 'reject', 'abstain')", name="choice"),
        _NO_ROWID,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("cluster_votes.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("cluster_vote_candidates.id"))
    choice: Mapped[str] = mapped_column(String(10))
