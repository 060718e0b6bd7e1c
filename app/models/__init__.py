"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from app.models.audit import AuditEntry, Event, IdempotencyKey
from app.models.base import Base
from app.models.directory import (
    Cluster,
    ClusterMembership,
    Council,
    CouncilMember,
    CouncilMemberCluster,
    Holiday,
    Unit,
)
from app.models.plans import Plan, Task, TaskCoordinator, TaskReport
from app.models.users import LoginThrottle, RefreshToken, ServiceToken, User

__all__ = [
    "AuditEntry",
    "Base",
    "Cluster",
    "ClusterMembership",
    "Council",
    "CouncilMember",
    "CouncilMemberCluster",
    "Event",
    "Holiday",
    "IdempotencyKey",
    "LoginThrottle",
    "Plan",
    "RefreshToken",
    "ServiceToken",
    "Task",
    "TaskCoordinator",
    "TaskReport",
    "Unit",
    "User",
]
