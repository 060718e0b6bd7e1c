"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from app.models.accounts import RoleGrant, ServiceToken, User
from app.models.audit import AuditEntry
from app.models.auth import LoginAddressThrottle, LoginThrottle, RefreshToken
from app.models.award_history import AwardHistory
from app.models.award_types import AwardType
from app.models.base import Base
from app.models.calendar_feeds import CalendarFeed
from app.models.decisions import Complaint, Decision, DecisionItem, StateResult
from app.models.directory import (
    Cluster,
    ClusterMembership,
    Council,
    CouncilMember,
    CouncilMemberCluster,
    Unit,
)
from app.models.disclosures import Disclosure, DisclosureItem, DisclosureOpinion
from app.models.documents import DocumentTemplate
from app.models.dossiers import (
    Attachment,
    Dossier,
    DossierCounter,
    DossierSubmission,
    DossierTotal,
    Nomination,
    RoundNominationCount,
)
from app.models.emulation import (
    ClusterBallotChoice,
    ClusterBallotParticipation,
    ClusterSealedBallot,
    ClusterStanding,
    ClusterVote,
    ClusterVoteCandidate,
    ClusterVoter,
    ScoreCriterion,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
)
from app.models.events import Event, EventUnit
from app.models.holidays import Holiday
from app.models.idempotency import IdempotencyKey
from app.models.meetings import (
    Absence,
    AgendaItem,
    Attendance,
    BallotChoice,
    BallotParticipation,
    BallotReceipt,
    Meeting,
    MeetingResult,
    MeetingVoter,
    SealedBallot,
)
from app.models.nominees import (
    Collective,
    DisciplineRecord,
    Initiative,
    InitiativeAuthor,
    InitiativeUse,
    YearlyRating,
)
from app.models.plans import Plan
from app.models.rounds import Round, RoundExtension, RoundTask
from app.models.rule_values import RuleValue
from app.models.tasks import Task, TaskCoordinator, TaskReport
from app.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "Absence",
    "AgendaItem",
    "Attachment",
    "Attendance",
    "AuditEntry",
    "AwardHistory",
    "AwardType",
    "BallotChoice",
    "BallotParticipation",
    "BallotReceipt",
    "Base",
    "CalendarFeed",
    "Cluster",
    "ClusterBallotChoice",
    "ClusterBallotParticipation",
    "ClusterMembership",
    "ClusterSealedBallot",
    "ClusterStanding",
    "ClusterVote",
    "ClusterVoteCandidate",
    "ClusterVoter",
    "Collective",
    "Complaint",
    "Council",
    "CouncilMember",
    "CouncilMemberCluster",
    "Decision",
    "DecisionItem",
    "DisciplineRecord",
    "Disclosure",
    "DisclosureItem",
    "DisclosureOpinion",
    "DocumentTemplate",
    "Dossier",
    "DossierCounter",
    "DossierSubmission",
    "DossierTotal",
    "Event",
    "EventUnit",
    "Holiday",
    "IdempotencyKey",
    "Initiative",
    "InitiativeAuthor",
    "InitiativeUse",
    "LoginAddressThrottle",
    "LoginThrottle",
    "Meeting",
    "MeetingResult",
    "MeetingVoter",
    "Nomination",
    "Plan",
    "RefreshToken",
    "RoleGrant",
    "Round",
    "RoundExtension",
    "RoundNominationCount",
    "RoundTask",
    "RuleValue",
    "ScoreCriterion",
    "ScoreEntry",
    "ScoreSheet",
    "ScoreTable",
    "SealedBallot",
    "ServiceToken",
    "StateResult",
    "Task",
    "TaskCoordinator",
    "TaskReport",
    "Unit",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
    "YearlyRating",
]
