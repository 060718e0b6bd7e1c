"""Who may see or do what: small pure rules, applied in services and in every list query.

The roles each action admits, and which of these rules narrows it, are in `permissions`."""

from dataclasses import dataclass

from sqlalchemy import Select, false, or_, select

from app.core.principal import CLUSTER_HEAD, COUNCIL_MEMBER, NOI_VU, READER, UNIT, Principal
from app.core.statuses import ScoreTableStatus
from app.models import (
    AgendaItem,
    Cluster,
    ClusterMembership,
    CouncilMember,
    CouncilMemberCluster,
    Dossier,
    Event,
    EventUnit,
    Meeting,
    Nomination,
    RoundExtension,
    ScoreSheet,
    ScoreTable,
    Task,
    TaskReport,
    WebhookSubscription,
)

# ---- dossiers (hồ sơ đề nghị khen thưởng) ----------------------------------------------------


def _monitored_clusters(principal: Principal) -> Select:
    return select(CouncilMemberCluster.cluster_id).where(
        CouncilMemberCluster.member_id == principal.council_member_id
    )


def dossier_scope(stmt: Select, principal: Principal) -> Select:
    """Limit a dossier query to what the caller may see, so totals never count hidden rows.

    A unit sees its own dossiers; a cluster head its cluster's (members' and the cluster's
    own); a council member those of the clusters it monitors; Sở Nội vụ and readers all.
    """
    if sees_every_dossier(principal):
        return stmt
    if principal.role == UNIT:
        return stmt.where(
            Dossier.submitting_unit_id == principal.unit_id, Dossier.owner_kind == "unit"
        )
    if principal.role == CLUSTER_HEAD:
        return stmt.where(Dossier.cluster_id == principal.cluster_id)
    if principal.role == COUNCIL_MEMBER:
        return stmt.where(
            or_(
                Dossier.cluster_id.in_(_monitored_clusters(principal)),
                Dossier.id.in_(_on_council_agendas(principal)),
            )
        )
    return stmt.where(false())


def sees_every_dossier(principal: Principal) -> bool:
    """Sở Nội vụ and readers: `dossier_scope` leaves their queries as they are."""
    return principal.role in (NOI_VU, READER)


def _on_council_agendas(principal: Principal) -> Select:
    """Dossiers with a nomination on the agenda of a meeting of the member's council."""
    return (
        select(Nomination.dossier_id)
        .join(AgendaItem, AgendaItem.nomination_id == Nomination.id)
        .where(AgendaItem.meeting_id.in_(_council_meetings(principal)))
    )


def owns_dossier(principal: Principal, dossier: Dossier) -> bool:
    """The unit that drafted it, or for a cluster's own dossier the cluster head."""
    if dossier.owner_kind == "cluster":
        return principal.role == CLUSTER_HEAD and principal.cluster_id == dossier.cluster_id
    return principal.role == UNIT and principal.unit_id == dossier.submitting_unit_id


def sees_personal_data(principal: Principal) -> bool:
    """Readers (reporting scripts) get names only: no birth year, no position."""
    return principal.role != READER


def sees_attachment_content(principal: Principal) -> bool:
    return principal.role != READER


def extension_scope(stmt: Select, principal: Principal) -> Select:
    """A unit sees only the extensions granted to itself; Sở Nội vụ and readers all."""
    if principal.role == UNIT:
        return stmt.where(RoundExtension.unit_id == principal.unit_id)
    if principal.role in (NOI_VU, READER):
        return stmt
    return stmt.where(false())


def event_scope(stmt: Select, principal: Principal) -> Select:
    """Events a caller may follow: Sở Nội vụ all; the others unrestricted ones in their scope."""
    if principal.role == NOI_VU:
        return stmt
    stmt = stmt.where(Event.restricted.is_(False))
    if principal.role == READER:
        return stmt
    if principal.role == UNIT:
        named = select(EventUnit.event_id).where(EventUnit.unit_id == principal.unit_id)
        return stmt.where(or_(Event.unit_id == principal.unit_id, Event.id.in_(named)))
    if principal.role == CLUSTER_HEAD:
        return stmt.where(Event.cluster_id == principal.cluster_id)
    if principal.role == COUNCIL_MEMBER:
        return stmt.where(
            or_(
                Event.cluster_id.in_(_monitored_clusters(principal)),
                Event.meeting_id.in_(_council_meetings(principal)),
            )
        )
    return stmt.where(false())


def webhook_scope(stmt: Select, principal: Principal) -> Select:
    """Subscriptions a caller manages: Sở Nội vụ all; a reader its own (its service token's,
    or its account's)."""
    if principal.role == NOI_VU:
        return stmt
    if principal.role == READER and principal.service_token_id is not None:
        return stmt.where(WebhookSubscription.owner_service_token_id == principal.service_token_id)
    if principal.role == READER and principal.user_id is not None:
        return stmt.where(WebhookSubscription.owner_user_id == principal.user_id)
    return stmt.where(false())


def _council_meetings(principal: Principal) -> Select:
    """The meetings of the council the member sits on."""
    council = select(CouncilMember.council_id).where(
        CouncilMember.id == principal.council_member_id
    )
    return select(Meeting.id).where(Meeting.council_id.in_(council))


# ---- plan tasks (nhiệm vụ trọng tâm) and their progress reports ------------------------------


def leads_task(principal: Principal, task: Task) -> bool:
    """The officer of the task's lead unit (đơn vị chủ trì)."""
    return (
        principal.role == UNIT
        and principal.unit_id is not None
        and task.lead_unit_id == principal.unit_id
    )


@dataclass(frozen=True)
class TaskPart:
    """A task as one caller meets it: with the groups of units (nhóm đơn vị) the caller's unit
    belongs to in the plan's year, so a coordinator named as a group resolves to real units."""

    task: Task
    unit_groups: frozenset[str] = frozenset()


def coordinates_task(principal: Principal, part: TaskPart) -> bool:
    """The officer of one of the task's coordinating units (đơn vị phối hợp), named or in a
    group the plan names ("các cơ quan, đơn vị tham gia cụm, khối thi đua", …)."""
    return (
        principal.role == UNIT
        and principal.unit_id is not None
        and any(
            c.unit_id == principal.unit_id or (c.group is not None and c.group in part.unit_groups)
            for c in part.task.coordinators
        )
    )


def report_moves_task(principal: Principal, task: Task) -> bool:
    """Only the lead unit's (or Sở Nội vụ's) report changes the task's status and progress."""
    return principal.is_noi_vu or leads_task(principal, task)


def can_report_task(principal: Principal, part: TaskPart) -> bool:
    """Sở Nội vụ, the lead unit and the coordinating units report progress on a task."""
    return report_moves_task(principal, part.task) or coordinates_task(principal, part)


def can_attach_to_task_report(principal: Principal, dossier_unit_id: int) -> bool:
    """A report cites papers of its own unit's dossiers; Sở Nội vụ may cite any."""
    return principal.is_noi_vu or (principal.role == UNIT and principal.unit_id == dossier_unit_id)


def task_report_scope(stmt: Select, principal: Principal) -> Select:
    """A unit sees its own reports, a cluster head its cluster's units'; Sở Nội vụ and readers
    all."""
    if principal.role == UNIT:
        if principal.unit_id is None:
            return stmt.where(false())
        return stmt.where(TaskReport.unit_id == principal.unit_id)
    if principal.role == CLUSTER_HEAD:
        members = select(ClusterMembership.unit_id).where(
            ClusterMembership.cluster_id == principal.cluster_id
        )
        return stmt.where(TaskReport.unit_id.in_(members))
    if principal.role in (NOI_VU, READER):
        return stmt
    return stmt.where(false())


# ---- cluster emulation (thi đua cụm, khối): scoring tables, score sheets, rankings ------------


def _clusters_of_unit(principal: Principal) -> Select:
    return select(ClusterMembership.cluster_id).where(
        ClusterMembership.unit_id == principal.unit_id
    )


def deputy_clusters(principal: Principal) -> Select:
    """The clusters where the caller's unit is a deputy (phó khối) and whose setting lets the
    deputies verify the members' sheets."""
    return (
        select(ClusterMembership.cluster_id)
        .join(Cluster, Cluster.id == ClusterMembership.cluster_id)
        .where(
            ClusterMembership.unit_id == principal.unit_id,
            ClusterMembership.role == "deputy",
            Cluster.deputies_verify.is_(True),
        )
    )


def score_table_scope(stmt: Select, principal: Principal) -> Select:
    """The tables of the caller's clusters: a unit its own clusters' (any year), a cluster head
    its cluster's, a council member those of the clusters it monitors; Sở Nội vụ and readers
    all."""
    if principal.role in (NOI_VU, READER):
        return stmt
    if principal.role == UNIT and principal.unit_id is not None:
        return stmt.where(ScoreTable.cluster_id.in_(_clusters_of_unit(principal)))
    if principal.role == CLUSTER_HEAD:
        return stmt.where(ScoreTable.cluster_id == principal.cluster_id)
    if principal.role == COUNCIL_MEMBER:
        return stmt.where(ScoreTable.cluster_id.in_(_monitored_clusters(principal)))
    return stmt.where(false())


def score_sheet_scope(stmt: Select, principal: Principal) -> Select:
    """A unit sees its own sheets, a cluster head its cluster's, a council member the clusters
    it monitors; Sở Nội vụ and readers all (readers the totals only)."""
    if principal.role in (NOI_VU, READER):
        return stmt
    if principal.role == UNIT and principal.unit_id is not None:
        return stmt.where(
            or_(
                ScoreSheet.unit_id == principal.unit_id,
                ScoreSheet.cluster_id.in_(deputy_clusters(principal)),
            )
        )
    if principal.role == CLUSTER_HEAD:
        return stmt.where(ScoreSheet.cluster_id == principal.cluster_id)
    if principal.role == COUNCIL_MEMBER:
        return stmt.where(ScoreSheet.cluster_id.in_(_monitored_clusters(principal)))
    return stmt.where(false())


def heads_cluster_of(principal: Principal, obj: ScoreTable | ScoreSheet) -> bool:
    """The cluster head (Trưởng khối) of the table's or sheet's cluster."""
    return principal.role == CLUSTER_HEAD and principal.cluster_id == obj.cluster_id


@dataclass(frozen=True)
class SheetReview:
    """A member's score sheet with what its cluster allows: who, beside the head, reviews it."""

    cluster_id: int
    unit_id: int
    deputies_verify: bool
    deputy_unit_ids: frozenset[int]


def reviews_sheet(principal: Principal, obj: SheetReview) -> bool:
    """The head of the sheet's cluster; a deputy (phó khối) of it, for another unit's sheet,
    when the cluster lets deputies verify."""
    if principal.role == CLUSTER_HEAD:
        return principal.cluster_id == obj.cluster_id
    return (
        principal.role == UNIT
        and obj.deputies_verify
        and principal.unit_id in obj.deputy_unit_ids
        and principal.unit_id != obj.unit_id
    )


def defines_table_of(principal: Principal, cluster: Cluster) -> bool:
    """Sở Nội vụ; the head of the cluster when Sở Nội vụ lets it define its own table."""
    if principal.role == NOI_VU:
        return True
    return (
        principal.role == CLUSTER_HEAD
        and principal.cluster_id == cluster.id
        and cluster.head_defines_table
    )


def owns_score_sheet(principal: Principal, sheet: ScoreSheet) -> bool:
    """The member unit whose scores the sheet holds."""
    return principal.role == UNIT and principal.unit_id == sheet.unit_id


RANKING_PUBLIC = (ScoreTableStatus.PUBLISHED, ScoreTableStatus.DECIDED)


def sees_ranking(principal: Principal, table: ScoreTable) -> bool:
    """A member unit sees its cluster's ranking once the head has verified and published it;
    everyone who sees the table sees the ranking as it stands."""
    return principal.role != UNIT or table.status in RANKING_PUBLIC


def sees_score_details(principal: Principal) -> bool:
    """Readers (reporting scripts) get totals only, not the criteria, explanations or papers."""
    return principal.role != READER
