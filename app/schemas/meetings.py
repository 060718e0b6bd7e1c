"""Council meetings, their agenda and attendance, ballots and results."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, Field, model_validator

from app.core import statuses
from app.schemas.common import UPDATED_AT, CastAs, Id, ReadModel, StrictModel, VoteChoice


class MeetingKind(StrEnum):
    """Phiên họp xét khen thưởng (`award`: agenda, ballots) hay phiên họp thường kỳ."""

    AWARD = "award"
    REGULAR = "regular"


MeetingStatus = statuses.MeetingStatus
Choice = VoteChoice


class MeetingCreate(StrictModel):
    council_id: Id
    round_id: Id | None = None
    title: str = Field(min_length=1, max_length=500)
    scheduled_at: AwareDatetime = Field(
        description="Date-time with offset, e.g. 2026-11-20T08:00:00+07:00"
    )
    kind: MeetingKind = Field(
        default="award",
        description="`award`: phiên xét khen thưởng (quorum 80%); `regular`: họp thường kỳ (2/3)",
    )


@dataclass(frozen=True)
class MeetingFilter:
    """The filters of `GET /meetings`; None: any."""

    council_id: int | None = None
    round_id: int | None = None
    status: str | None = None
    kind: str | None = None


class AgendaBody(StrictModel):
    nomination_ids: list[Id] = Field(max_length=500)


class AbsenceEntry(StrictModel):
    """A member absent from the meeting and why (lý do vắng mặt), printed in the minutes."""

    member_id: Id
    reason: str = Field(min_length=1, max_length=500, examples=["Đi công tác tại Hà Nội"])


class AttendanceBody(StrictModel):
    member_ids: list[Id] = Field(max_length=500, description="The members present")
    absences: list[AbsenceEntry] = Field(
        default_factory=list,
        max_length=500,
        description="Members absent with a reason; an absent member not listed is printed "
        "“Vắng mặt” without one",
    )


class AbsenceRead(ReadModel):
    member_id: Id
    reason: str | None = Field(
        description="Lý do vắng mặt; null for a reader (reasons are personal)"
    )


class AgendaEntry(ReadModel):
    nomination_id: Id
    award_type_code: str
    nominee_name: str
    dossier_id: Id


class MeetingRead(ReadModel):
    id: int
    council_id: Id
    round_id: Id | None
    title: str
    scheduled_at: datetime
    kind: MeetingKind
    status: MeetingStatus
    agenda: list[AgendaEntry]
    attendance: list[int] = Field(description="Ids of the council members present")
    absences: list[AbsenceRead] = Field(
        description="Members absent, with their reasons (a reader gets who, not why)"
    )
    members_total: int | None = Field(
        description="Active members of the council (fixed when the meeting opens)"
    )
    present: int | None
    opened_at: datetime | None
    closed_at: datetime | None
    version: int
    updated_at: datetime = Field(description=UPDATED_AT)


class ReaderMeetingRead(MeetingRead):
    """A meeting as a reader (reporting account) sees it: who was present and absent, but not
    why a member was absent — a reason is personal (illness, family, a trip)."""

    @model_validator(mode="after")
    def _redact(self) -> Self:
        for absence in self.absences:
            absence.reason = None
        return self


class Vote(StrictModel):
    nomination_id: Id
    choice: Choice


class BallotCreate(StrictModel):
    votes: list[Vote] = Field(min_length=1, max_length=500)


class VoteRead(ReadModel):
    nomination_id: Id
    choice: Choice


class BallotRead(ReadModel):
    meeting_id: Id
    cast_as: CastAs
    votes: list[VoteRead]


class BallotCast(ReadModel):
    """The answer to a cast: no choices (its size must not tell them), and the one-time
    receipt that alone reads the ballot back."""

    meeting_id: int
    cast_as: CastAs
    receipt: str


class NominationVoteResult(ReadModel):
    """Kết quả biểu quyết của Hội đồng on one nomination, at a closed meeting: the counts, the
    share that approved, the threshold it needed and whether it passed."""

    meeting_id: Id
    approve: int
    reject: int
    abstain: int
    members_total: int
    present: int
    approve_percent: float
    threshold_percent: float = Field(
        description="The share of all members the award type needed: the rule value "
        "`council_vote_threshold_percent.<award type>` in force on the meeting's day"
    )
    threshold_basis: str | None = Field(
        default=None,
        description="The legal basis of that threshold (null for meetings counted before "
        "thresholds were rule values)",
    )
    passed: bool


class NominationResultRead(NominationVoteResult):
    nomination_id: Id


class MeetingResults(ReadModel):
    meeting_id: Id
    items: list[NominationResultRead]
