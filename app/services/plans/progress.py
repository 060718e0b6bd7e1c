"""Progress reports on tasks (báo cáo tiến độ nhiệm vụ) by the lead and coordinating units."""

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Forbidden, InvalidTransition, NotFound
from app.models import ClusterMembership, Plan, Task, TaskReport
from app.services import audit
from app.services.common import PageResult, check_version, paginate
from app.services.directory import cluster_of_unit
from app.services.plans.rules import set_status
from app.services.plans.tasks import get_task
from app.services.principal import CLUSTER_HEAD, UNIT, Principal
from app.services.working_days import today_in_vietnam

REPORT_FIELDS = ("status", "progress_percent", "completed_on")


def is_lead(principal: Principal, task: Task) -> bool:
    return (
        principal.role == UNIT
        and principal.unit_id is not None
        and (task.lead_unit_id == principal.unit_id)
    )


def is_coordinator(principal: Principal, task: Task) -> bool:
    return (
        principal.role == UNIT
        and principal.unit_id is not None
        and any(c.unit_id == principal.unit_id for c in task.coordinators)
    )


def moves_task(principal: Principal, task: Task) -> bool:
    """Only the lead unit's (or Sở Nội vụ's) report changes the task's status and progress."""
    return principal.is_noi_vu or is_lead(principal, task)


def _check_may_report(principal: Principal, task: Task, status: str) -> None:
    if not (moves_task(principal, task) or is_coordinator(principal, task)):
        raise Forbidden(
            "Chỉ đơn vị chủ trì hoặc đơn vị phối hợp của nhiệm vụ được báo cáo tiến độ.",
            code="not_task_participant",
        )
    if principal.is_noi_vu:
        return
    if task.status == "cancelled":
        raise InvalidTransition(
            f"Nhiệm vụ {task.code} đã bị hủy; không nhận báo cáo tiến độ.", code="task_cancelled"
        )
    if status == "cancelled":
        raise Forbidden(
            "Chỉ Sở Nội vụ được hủy nhiệm vụ; đơn vị hãy báo cáo lý do để Sở Nội vụ xem xét.",
            code="cancel_not_allowed",
        )


async def submit_report(
    session: AsyncSession, actor: Principal, task_id: int, data: dict, expected: int | None
) -> TaskReport:
    """Record a report; the lead unit's (or Sở Nội vụ's) also moves the task."""
    task = await get_task(session, task_id)
    check_version(task, expected)
    _check_may_report(actor, task, data["status"])
    applied = moves_task(actor, task)
    report = TaskReport(
        task_id=task.id,
        unit_id=actor.unit_id,
        author_id=actor.user_id,
        status=data["status"],
        progress_percent=data["progress_percent"],
        content=data["content"],
        attachment_ids=list(dict.fromkeys(data.get("attachment_ids", []))),
        applied=applied,
    )
    session.add(report)
    before = audit.snapshot(task, REPORT_FIELDS)
    if applied:
        task.progress_percent = data["progress_percent"]
        set_status(task, data["status"], today_in_vietnam())
    await session.flush()
    await audit.record(
        session, actor, "task.reported", "task", task.id,
        before=before, after={**audit.snapshot(task, REPORT_FIELDS), "report_id": report.id,
                              "applied": applied},
        comment=data["content"][:2000],
    )  # fmt: skip
    await audit.emit(
        session, "task.reported", "task", task.id,
        {"task_id": task.id, "plan_id": task.plan_id, "code": task.code, "report_id": report.id,
         "status": report.status, "progress_percent": report.progress_percent,
         "applied": applied},
        unit_id=actor.unit_id, cluster_id=await _cluster_of(session, actor, task),
    )  # fmt: skip
    return report


async def _cluster_of(session: AsyncSession, actor: Principal, task: Task) -> int | None:
    """The reporting unit's cụm/khối in the plan's year: its cluster head follows the report."""
    if actor.unit_id is None:
        return None
    year = await session.scalar(select(Plan.year).where(Plan.id == task.plan_id))
    return await cluster_of_unit(session, actor.unit_id, year) if year else None


def _report_scope(stmt: Select, principal: Principal) -> Select:
    """A unit sees its own reports, a cluster head its cluster's units'; the others all."""
    if principal.role == UNIT:
        if principal.unit_id is None:
            return stmt.where(false())
        return stmt.where(TaskReport.unit_id == principal.unit_id)
    if principal.role == CLUSTER_HEAD:
        members = select(ClusterMembership.unit_id).where(
            ClusterMembership.cluster_id == principal.cluster_id
        )
        return stmt.where(TaskReport.unit_id.in_(members))
    return stmt


async def list_reports(
    session: AsyncSession, principal: Principal, task_id: int, limit: int, offset: int
) -> PageResult:
    """The task's reports the caller may see, oldest first."""
    if await session.scalar(select(Task.id).where(Task.id == task_id)) is None:
        raise NotFound(f"Không tìm thấy nhiệm vụ có mã số {task_id}.")
    stmt = select(TaskReport).where(TaskReport.task_id == task_id)
    stmt = _report_scope(stmt, principal).order_by(TaskReport.created_at, TaskReport.id)
    return await paginate(session, stmt, limit, offset)
