"""The event feed: each event type with the shape of its `data`.

`EventRead` is a union discriminated by `type`: a generated client narrows `event.data` by
checking `event.type`. Types whose data have the same shape share one payload schema
(`DossierMovedData` for `dossier.submitted`, `dossier.withdrawn`, `dossier.appraised`).
`EVENT_DATA` is the one table type → payload; a test emits every type and validates its data.
"""

import logging
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    create_model,
    model_validator,
)

from app.core import statuses
from app.core.event_types import EventType
from app.schemas.common import DocumentType, Id, ReadModel
from app.schemas.decisions import DecisionKind, StateOutcome
from app.schemas.dossiers import DossierKind
from app.schemas.emulation import Proposal

E = EventType
log = logging.getLogger("tdkt.events")
# Validation context: the data must have the declared shape (no leniency for older events).
DECLARED = "declared"


class EventData(BaseModel):
    """Members a later version adds are passed through: a follower ignores what it does not
    know. A member with a default is sent too (null), as the document says (`required`)."""

    model_config = ConfigDict(extra="allow", json_schema_serialization_defaults_required=True)

    @model_validator(mode="wrap")
    @classmethod
    def _as_stored(cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo):
        # New events are checked against their shape before they are written
        # (`audit.check_event_data`, with `DECLARED`). One written by an older version, before
        # its type declared a member it lacks, is served as it was stored: a feed that failed
        # on it would stop every follower at that event.
        try:
            return handler(value)
        except ValidationError:
            if (info.context or {}).get(DECLARED) or not isinstance(value, dict):
                raise
            log.warning("event data of an older shape served as stored: %s", cls.__name__)
            return cls.model_construct(**value)


# ---- plans, tasks ------------------------------------------------------------------------------


class PlanImportedData(EventData):
    plan_id: Id
    year: int
    title: str
    tasks_created: int


class TaskCreatedData(EventData):
    plan_id: Id
    code: str


class TaskUpdatedData(TaskCreatedData):
    status: statuses.TaskStatus
    changed: list[str] = Field(description="The fields the update sent")


class TaskReportedData(TaskCreatedData):
    task_id: Id
    report_id: Id
    status: statuses.TaskStatus = Field(description="The status the report gives")
    progress_percent: int
    applied: bool = Field(description="Whether the report moved the task (its status, progress)")


# ---- rounds ------------------------------------------------------------------------------------


class RoundCreatedData(EventData):
    year: int
    number: int
    status: statuses.RoundStatus


class RoundMovedData(RoundCreatedData):
    previous_status: statuses.RoundStatus


class RoundExtensionGrantedData(EventData):
    unit_id: Id
    until: date = Field(description="The unit may submit until the end of this day")


# ---- dossiers, nominations ---------------------------------------------------------------------


class DossierCreatedData(EventData):
    code: str
    kind: DossierKind
    round_id: Id | None
    submitting_unit_id: Id | None
    cluster_id: Id | None
    status: statuses.DossierStatus


class DossierMovedData(DossierCreatedData):
    previous_status: statuses.DossierStatus


class DossierReceivedData(DossierMovedData):
    appraisal_due_on: date


class ReturnRequestData(EventData):
    """A line of the return: the nomination by id (null: the whole dossier) and the papers.
    No nominee name: the dossier shows it to those who may read it. An event written before
    this was so carries `nominee_name` too, served as stored."""

    nomination_id: Id | None
    document_types: list[DocumentType]
    papers: list[str] = Field(description="Every paper asked for, by name (types first)")
    note: str | None


class DossierReturnedData(DossierMovedData):
    reason: str
    supplement_due_on: date
    requests: list[ReturnRequestData]


class NominationMovedData(EventData):
    status: statuses.NominationStatus
    previous_status: statuses.NominationStatus
    dossier_id: Id
    award_type_code: str


class NominationApprovedData(NominationMovedData):
    meeting_id: Id = Field(description="The meeting whose vote passed it")


class NominationRejectedData(NominationMovedData):
    """Rejected by the council's vote (`meeting_id`) or by an upheld complaint
    (`complaint_id`): the other is null."""

    meeting_id: Id | None = Field(default=None, description="The meeting whose vote failed it")
    complaint_id: Id | None = Field(default=None, description="The complaint upheld against it")


class NominationDecidedData(NominationMovedData):
    decision_id: Id = Field(description="The decision (or the state submission) naming it")


class NominationStateResultData(NominationMovedData):
    outcome: StateOutcome
    decision_no: str | None


# ---- meetings, decisions, complaints -----------------------------------------------------------


class MeetingScheduledData(EventData):
    status: statuses.MeetingStatus
    council_id: Id
    title: str
    scheduled_at: datetime


class MeetingOpenedData(MeetingScheduledData):
    members_total: int = Field(description="Members on the voter roll")
    present: int


class MeetingClosedData(MeetingScheduledData):
    passed: int = Field(description="Nominations the vote approved")


class DecisionRecordedData(EventData):
    kind: DecisionKind
    number: str
    signed_on: date
    signed_by: str
    signer_title: str
    on_behalf: bool = Field(description="A deputy signed for the Chủ tịch (KT.)")
    nomination_ids: list[Id]


class DecisionCorrectedData(EventData):
    number: str
    signed_on: date
    signed_by: str
    signer_title: str
    on_behalf: bool = Field(description="A deputy signed for the Chủ tịch (KT.)")
    award_history_ids: list[Id] = Field(description="The award history rows corrected with it")


class DecisionSignedPdfData(EventData):
    number: str
    signed_pdf_filename: str
    signed_pdf_size: int = Field(description="Bytes")
    signed_pdf_sha256: str


class DisclosurePublishedData(EventData):
    """A list published for comment (danh sách công khai): its nominations by id."""

    round_id: Id | None
    published_on: date
    ends_on: date | None = Field(description="Hạn nhận ý kiến")
    nomination_ids: list[Id]


class DisclosureUpdatedData(EventData):
    round_id: Id | None
    changed: list[str] = Field(description="The fields the correction sent (`ends_on`, …)")
    ends_on: date | None = Field(description="The comment deadline after the change")
    previous_ends_on: date | None


class DisclosureOpinionData(EventData):
    """An opinion received about a list, or how it was handled: never who sent it nor what it
    says (the opinion itself is read at `GET /disclosures/{id}/opinions/{opinion_id}`)."""

    disclosure_id: Id
    nomination_id: Id | None = Field(description="The nomination it is about, if one")
    received_on: date
    handled_on: date | None = Field(description="Null until its handling is recorded")
    changed: list[str] = Field(description="The fields recorded or corrected")


class ComplaintData(EventData):
    status: statuses.ComplaintStatus
    nomination_id: Id
    dossier_id: Id
    upheld: bool | None = Field(description="Null until the complaint is resolved")


# ---- cluster emulation -------------------------------------------------------------------------


class ScoreTableUpdatedData(EventData):
    cluster_id: Id
    year: int


class ScoreTableCreatedData(ScoreTableUpdatedData):
    revision: int


class ScoreTableRevisedData(ScoreTableCreatedData):
    revises_id: Id = Field(description="The table this revision copies")


class ScoreTablePublishedData(ScoreTableUpdatedData):
    status: statuses.ScoreTableStatus
    previous_status: statuses.ScoreTableStatus


class ScoreTableOpenedData(ScoreTablePublishedData):
    revision: int


class ScoreTableDecidedData(ScoreTablePublishedData):
    leader_unit_id: Id
    bang_khen_unit_ids: list[Id]
    dossier_id: Id = Field(description="The draft dossier holding the proposals")


class ScoreSheetMovedData(EventData):
    status: statuses.ScoreSheetStatus
    previous_status: statuses.ScoreSheetStatus
    table_id: Id
    unit_id: Id
    year: int


class ScoreSheetSubmittedData(ScoreSheetMovedData):
    late: bool = Field(description="Submitted after the table's scoring deadline")


class ScoreSheetDisputedData(EventData):
    table_id: Id
    unit_id: Id
    criterion_id: Id
    reason: str


class ScoreSheetAdjustedData(ScoreSheetDisputedData):
    criterion: str = Field(description="The criterion's code")
    points: str = Field(description="The verified points, a decimal as text (`12.5`)")


class VoteCandidate(BaseModel):
    unit_id: Id
    proposal: Proposal


class VoteCandidateResult(VoteCandidate):
    approve: int
    passed: bool


class ClusterVoteOpenedData(EventData):
    status: statuses.ClusterVoteStatus
    table_id: Id
    cluster_id: Id
    voters_total: int
    present: int
    candidates: list[VoteCandidate]


class ClusterVoteClosedData(EventData):
    status: statuses.ClusterVoteStatus
    previous_status: statuses.ClusterVoteStatus
    table_id: Id
    cluster_id: Id
    results: list[VoteCandidateResult]


# Every type the feed carries → the shape of its data. `webhook.ping` is only a delivery's type.
EVENT_DATA: dict[EventType, type[EventData]] = {
    E.PLAN_IMPORTED: PlanImportedData,
    E.ROUND_CREATED: RoundCreatedData,
    E.ROUND_OPENED: RoundMovedData,
    E.ROUND_CLOSED: RoundMovedData,
    E.ROUND_COMPLETED: RoundMovedData,
    E.ROUND_EXTENSION_GRANTED: RoundExtensionGrantedData,
    E.DOSSIER_CREATED: DossierCreatedData,
    E.DOSSIER_SUBMITTED: DossierMovedData,
    E.DOSSIER_RECEIVED: DossierReceivedData,
    E.DOSSIER_RETURNED: DossierReturnedData,
    E.DOSSIER_APPRAISED: DossierMovedData,
    E.DOSSIER_WITHDRAWN: DossierMovedData,
    E.NOMINATION_APPRAISED: NominationMovedData,
    E.NOMINATION_APPROVED: NominationApprovedData,
    E.NOMINATION_REJECTED: NominationRejectedData,
    E.NOMINATION_AWARDED: NominationDecidedData,
    E.NOMINATION_SUBMITTED_TO_STATE: NominationDecidedData,
    E.NOMINATION_STATE_RESULT: NominationStateResultData,
    E.MEETING_SCHEDULED: MeetingScheduledData,
    E.MEETING_OPENED: MeetingOpenedData,
    E.MEETING_CLOSED: MeetingClosedData,
    E.DECISION_RECORDED: DecisionRecordedData,
    E.DECISION_CORRECTED: DecisionCorrectedData,
    E.DECISION_SIGNED_PDF_ATTACHED: DecisionSignedPdfData,
    E.DECISION_SIGNED_PDF_REPLACED: DecisionSignedPdfData,
    E.DISCLOSURE_PUBLISHED: DisclosurePublishedData,
    E.DISCLOSURE_UPDATED: DisclosureUpdatedData,
    E.DISCLOSURE_OPINION_RECORDED: DisclosureOpinionData,
    E.DISCLOSURE_OPINION_UPDATED: DisclosureOpinionData,
    E.COMPLAINT_RECORDED: ComplaintData,
    E.COMPLAINT_RESOLVED: ComplaintData,
    E.TASK_CREATED: TaskCreatedData,
    E.TASK_UPDATED: TaskUpdatedData,
    E.TASK_REPORTED: TaskReportedData,
    E.SCORE_TABLE_CREATED: ScoreTableCreatedData,
    E.SCORE_TABLE_UPDATED: ScoreTableUpdatedData,
    E.SCORE_TABLE_OPENED: ScoreTableOpenedData,
    E.SCORE_TABLE_PUBLISHED: ScoreTablePublishedData,
    E.SCORE_TABLE_DECIDED: ScoreTableDecidedData,
    E.SCORE_TABLE_REVISED: ScoreTableRevisedData,
    E.SCORE_SHEET_SUBMITTED: ScoreSheetSubmittedData,
    E.SCORE_SHEET_VERIFIED: ScoreSheetMovedData,
    E.SCORE_SHEET_ADJUSTED: ScoreSheetAdjustedData,
    E.SCORE_SHEET_DISPUTED: ScoreSheetDisputedData,
    E.CLUSTER_VOTE_OPENED: ClusterVoteOpenedData,
    E.CLUSTER_VOTE_CLOSED: ClusterVoteClosedData,
}
DELIVERY_ONLY = frozenset({E.WEBHOOK_PING})


class EventFields(ReadModel):
    """The members every event has; `data` as `EventRead` types it by `type`."""

    id: int
    type: EventType
    occurred_at: datetime
    entity_type: str
    entity_id: Id | None
    data: dict[str, Any]


def _event_schema(data: type[EventData]) -> type[EventFields]:
    """The event of the types whose data are `data`: `DossierMovedData` → `DossierMovedEvent`."""
    types = tuple(t.value for t, shape in EVENT_DATA.items() if shape is data)
    return create_model(
        data.__name__.removesuffix("Data") + "Event",
        __base__=EventFields,
        __doc__=f"Sự kiện {', '.join(f'`{t}`' for t in types)}.",
        type=(Literal[types], ...),  # type: ignore[valid-type]
        data=(data, ...),
    )


EVENT_SCHEMAS = tuple(_event_schema(d) for d in dict.fromkeys(EVENT_DATA.values()))


AnyEvent = Annotated[Union[EVENT_SCHEMAS], Field(discriminator="type")]  # noqa: UP007


class EventRead(RootModel[AnyEvent]):
    """Một sự kiện: `type` names it and says the shape of `data` (ids, codes and statuses)."""


class EventPage(ReadModel):
    items: list[EventRead]
    next_after: int | None
