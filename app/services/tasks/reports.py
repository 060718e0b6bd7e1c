"""Progress reports on tasks (báo cáo tiến độ nhiệm vụ) by the lead and coordinating units."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import Forbidden, InvalidTransition, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, get_or_404, paginate
from app.core.principal import Principal
from app.core.statuses import TaskStatus
from app.core.text import nfc
from app.core.working_days import today_in_vietnam
from app.models import Attachment, Dossier, Plan, Task, TaskReport
from app.schemas.tasks import TaskReportCreate
from app.services import audit, permissions
from app.services.directory import cluster_of_unit, groups_of_unit
from app.services.policies import (
    TaskPart,
    can_attach_to_task_report,
    dossier_scope,
    report_moves_task,
    task_report_scope,
)
from app.services.tasks.rules import progress_fits_status, set_status

REPORT_FIELDS = ("status", "progress_percent", "completed_on", "issued_document_no")


async def submit_report(
    session: AsyncSession,
    actor: Principal,
    task_id: int,
    data: TaskReportCreate,
    expected: int | None,
) -> TaskReport:
    """Record a report; the lead unit's (or Sở Nội vụ's) also moves the task.

    The task's row is locked first, so that reports sent together on one task wait for each
    other instead of failing; If-Match, when sent, is checked against the locked row.
    """
    permissions.require(actor, "task.report")
    task = await _locked_task(session, task_id)
    check_version(task, expected)
    _check_may_report(actor, await _part(session, actor, task), data.status)
    _check_progress(data.status, data.progress_percent)
    attachment_ids = await unit_papers(session, actor, data.attachment_ids)
    report = await _record(session, actor, task, data, attachment_ids)
    await _announce(session, actor, task, report)
    return report


def _check_progress(status: str, progress_percent: int) -> None:
    if not progress_fits_status(status, progress_percent):
        raise Unprocessable(
            f"Tiến độ {progress_percent}% không khớp trạng thái '{TaskStatus(status).display}': "
            "nhiệm vụ hoàn thành là 100%, chưa thực hiện là 0%.",
            code="progress_mismatch",
        )


async def _locked_task(session: AsyncSession, task_id: int) -> Task:
    stmt = (
        select(Task)
        .options(selectinload(Task.coordinators))
        .where(Task.id == task_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if (task := await session.scalar(stmt)) is None:
        raise NotFound(f"Không tìm thấy nhiệm vụ có mã số {task_id}.")
    return task


async def _part(session: AsyncSession, actor: Principal, task: Task) -> TaskPart:
    """The task with the groups the caller's unit is in for the plan's year: a coordinator
    named as a group ("các cơ quan, đơn vị tham gia cụm, khối thi đua") is its units."""
    if actor.unit_id is None or not any(c.group for c in task.coordinators):
        return TaskPart(task)
    year = await session.scalar(select(Plan.year).where(Plan.id == task.plan_id))
    return TaskPart(task, await groups_of_unit(session, actor.unit_id, year))


def _check_may_report(principal: Principal, part: TaskPart, status: str) -> None:
    permissions.require(principal, "task.report", part)
    task = part.task
    if principal.is_noi_vu:
        return
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(
            f"Nhiệm vụ {task.code} đã bị hủy; không nhận báo cáo tiến độ.", code="task_cancelled"
        )
    if status == TaskStatus.CANCELLED:
        raise Forbidden(
            "Chỉ Sở Nội vụ được hủy nhiệm vụ; đơn vị hãy báo cáo lý do để Sở Nội vụ xem xét.",
            code="cancel_not_allowed",
        )


async def unit_papers(session: AsyncSession, actor: Principal, ids: list[int]) -> list[int]:
    """The papers the report cites, each once: uploaded to a dossier of the reporting unit
    that the caller may also read (a cluster's own dossier is not the head unit's), so the
    answer is the same whether a hidden paper exists or not."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    rows = await session.execute(
        dossier_scope(
            select(Attachment.id, Dossier.submitting_unit_id)
            .join(Dossier, Dossier.id == Attachment.dossier_id)
            .where(Attachment.id.in_(wanted)),
            actor,
        )
    )
    usable = {a for a, unit_id in rows.all() if can_attach_to_task_report(actor, unit_id)}
    if unknown := [i for i in wanted if i not in usable]:
        raise Unprocessable(
            f"Không có giấy tờ mã số {unknown} trong hồ sơ của đơn vị. Hãy tải giấy tờ lên hồ "
            "sơ của đơn vị trước, rồi gửi báo cáo với mã số của giấy tờ đó.",
            code="unknown_attachment",
        )
    return wanted


async def _record(
    session: AsyncSession,
    actor: Principal,
    task: Task,
    data: TaskReportCreate,
    attachment_ids: list[int],
) -> TaskReport:
    applied = report_moves_task(actor, task)
    report = TaskReport(
        task_id=task.id,
        unit_id=actor.unit_id,
        author_id=actor.user_id,
        status=data.status,
        progress_percent=data.progress_percent,
        content=data.content,
        document_no=nfc(data.document_no) if data.document_no else None,
        attachment_ids=attachment_ids,
        applied=applied,
    )
    session.add(report)
    before = audit.snapshot(task, REPORT_FIELDS)
    if applied:
        task.progress_percent = data.progress_percent
        if report.document_no:
            task.issued_document_no = report.document_no
        action = "correct" if actor.is_noi_vu else "report"
        set_status(task, action, data.status, today_in_vietnam())
    await session.flush()
    await audit.record(
        session, actor, "task.reported", "task", task.id,
        before=before, after={**audit.snapshot(task, REPORT_FIELDS), "report_id": report.id,
                              "applied": applied},
        comment=data.content[:2000],
    )  # fmt: skip
    return report


async def _announce(session: AsyncSession, actor: Principal, task: Task, report: TaskReport):
    await audit.emit(
        session, "task.reported", "task", task.id,
        {"task_id": task.id, "plan_id": task.plan_id, "code": task.code, "report_id": report.id,
         "status": report.status, "progress_percent": report.progress_percent,
         "applied": report.applied},
        unit_id=actor.unit_id, cluster_id=await _cluster_of(session, actor, task),
    )  # fmt: skip


async def _cluster_of(session: AsyncSession, actor: Principal, task: Task) -> int | None:
    """The reporting unit's cụm/khối in the plan's year: its cluster head follows the report."""
    if actor.unit_id is None:
        return None
    year = await session.scalar(select(Plan.year).where(Plan.id == task.plan_id))
    return await cluster_of_unit(session, actor.unit_id, year) if year else None


TASK_REPORT_SORTING = sorting(TaskReport, "created_at", ["status", "progress_percent", "unit_id"])


async def list_reports(
    session: AsyncSession,
    principal: Principal,
    task_id: int,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The task's reports the caller may see, oldest first."""
    await get_or_404(session, Task, task_id, "nhiệm vụ")
    stmt = select(TaskReport).where(TaskReport.task_id == task_id)
    stmt = task_report_scope(stmt, principal).order_by(TaskReport.created_at, TaskReport.id)
    return await paginate(session, TASK_REPORT_SORTING.apply(stmt, listing), limit, offset)
