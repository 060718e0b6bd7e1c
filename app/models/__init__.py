"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from app.models.accounts import LoginThrottle, RefreshToken, ServiceToken, User
from app.models.audit import AuditEntry, Event, IdempotencyKey
from app.models.award_types import AwardHistory, AwardType
from app.models.base import Base
from app.models.decisions import Complaint, Decision, DecisionItem, Disclosure, StateResult
from app.models.directory import (
    Cluster,
    ClusterMembership,
    Council,
    CouncilMember,
    CouncilMemberCluster,
    Holiday,
    Unit,
)
from app.models.dossiers import (
    Attachment,
    Dossier,
    DossierCounter,
    DossierSubmission,
    Nomination,
)
from app.models.meetings import (
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
from app.models.plans import Plan, Task, TaskCoordinator, TaskReport
from app.models.rounds import Round, RoundExtension, RoundTask
from app.models.rule_values import RuleValue

__all__ = [
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
    "Cluster",
    "ClusterMembership",
    "Complaint",
    "Council",
    "CouncilMember",
    "CouncilMemberCluster",
    "Decision",
    "DecisionItem",
    "Disclosure",
    "Dossier",
    "DossierCounter",
    "DossierSubmission",
    "Event",
    "Holiday",
    "IdempotencyKey",
    "LoginThrottle",
    "Meeting",
    "MeetingResult",
    "MeetingVoter",
    "Nomination",
    "Plan",
    "RefreshToken",
    "Round",
    "RoundExtension",
    "RoundTask",
    "RuleValue",
    "SealedBallot",
    "ServiceToken",
    "StateResult",
    "Task",
    "TaskCoordinator",
    "TaskReport",
    "Unit",
    "User",
]
