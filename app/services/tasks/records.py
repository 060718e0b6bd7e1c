"""Tasks of a plan (nhiệm vụ trọng tâm): the filtered list, one task, creating and editing."""

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, case, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from app.core.errors import NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, flush_or_conflict, like_folded, paginate, touch
from app.core.principal import Principal
from app.core.statuses import TaskStatus
from app.core.text import nfc, search_text
from app.core.working_days import today_in_vietnam
from app.models import Plan, Task, TaskCoordinator, Unit
from app.models.tasks import PERIODS
from app.schemas.tasks import CoordinatorIn, DueIn, TaskCreate, TaskUpdate
from app.services import audit, permissions
from app.services.directory.groups import in_group
from app.services.plans.records import get_plan
from app.services.tasks.rules import (
    GROUP_LABELS,
    due_columns,
    overdue_clause,
    set_status,
    without_stale_warnings,
)

TASK_FIELDS = (
    "code", "period", "seq", "content", "note", "due_kind", "due_month", "due_date", "due_text",
    "lead_unit_id", "lead_unit_label", "status", "completed_on", "progress_percent",
    "issued_document_no",
)  # fmt: skip
# The task a group coordinator belongs to, apart from the task the list selects.
_GroupTask = aliased(Task)
_PERIOD_RANK = case({p: i for i, p in enumerate(PERIODS)}, value=Task.period, else_=9)
TASK_SORTING = sorting(
    Task,
    "plan_id,code",
    {
        "code": (_PERIOD_RANK, Task.seq, Task.code),
        "period": _PERIOD_RANK,
        "seq": Task.seq,
        "due_date": Task.due_date,
        "status": Task.status,
        "progress_percent": Task.progress_percent,
        "plan_id": Task.plan_id,
    },
    nulls_last={"due_date"},  # undated tasks sort last
)
_SEQ_IN_CODE = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class TaskFilters:
    """The filters of `GET /tasks` (and its export); `as_of` decides what is overdue."""

    as_of: date
    plan_id: int | None = None
    period: str | None = None
    lead_unit_id: int | None = None
    unit_id: int | None = None
    status: str | None = None
    overdue: bool | None = None
    due_from: date | None = None
    due_to: date | None = None
    q: str | None = None
    listing: Listing = NO_LISTING


def task_query(filters: TaskFilters) -> Select:
    """One scoped SELECT of tasks with their coordinators; every filter is SQL."""
    stmt = select(Task).options(selectinload(Task.coordinators))
    equal = {
        Task.plan_id: filters.plan_id,
        Task.period: filters.period,
        Task.lead_unit_id: filters.lead_unit_id,
        Task.status: filters.status,
    }
    stmt = stmt.where(*(column == value for column, value in equal.items() if value is not None))
    if filters.unit_id is not None:
        coordinating = select(TaskCoordinator.task_id).where(
            TaskCoordinator.unit_id == filters.unit_id
        )
        # A coordinator named as a group ("các cơ quan, đơn vị tham gia cụm, khối thi đua")
        # takes the unit part when it is in that group in the plan's year.
        grouped = (
            select(TaskCoordinator.task_id)
            .join(_GroupTask, _GroupTask.id == TaskCoordinator.task_id)
            .join(Plan, Plan.id == _GroupTask.plan_id)
            .where(
                TaskCoordinator.group.is_not(None),
                in_group(filters.unit_id, TaskCoordinator.group, Plan.year),
            )
        )
        stmt = stmt.where(
            or_(
                Task.lead_unit_id == filters.unit_id,
                Task.id.in_(coordinating),
                Task.id.in_(grouped),
            )
        )
    if filters.overdue is not None:
        late = overdue_clause(filters.as_of)
        stmt = stmt.where(late if filters.overdue else not_(late))
    if filters.due_from is not None:
        stmt = stmt.where(Task.due_date >= filters.due_from)
    if filters.due_to is not None:
        stmt = stmt.where(Task.due_date <= filters.due_to)
    if filters.q:
        stmt = stmt.where(like_folded(Task.search_text, filters.q))
    return TASK_SORTING.apply(stmt, filters.listing)


async def list_tasks(
    session: AsyncSession, filters: TaskFilters, limit: int, offset: int
) -> PageResult:
    return await paginate(session, task_query(filters), limit, offset)


async def list_plan_tasks(
    session: AsyncSession, plan_id: int, filters: TaskFilters, limit: int, offset: int
) -> PageResult:
    """The tasks of one plan; 404 when the plan does not exist."""
    await get_plan(session, plan_id)
    return await paginate(session, task_query(replace(filters, plan_id=plan_id)), limit, offset)


async def get_task(session: AsyncSession, task_id: int) -> Task:
    task = await session.scalar(
        select(Task).options(selectinload(Task.coordinators)).where(Task.id == task_id)
    )
    if task is None:
        raise NotFound(f"Không tìm thấy nhiệm vụ có mã số {task_id}.")
    return task


async def _unit_names(session: AsyncSession, unit_ids: set[int | None]) -> dict[int, str]:
    """The directory names of `unit_ids`; 422 when one of them is not in the directory."""
    wanted = {u for u in unit_ids if u is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted)))
    names = dict(rows.all())
    if unknown := sorted(wanted - names.keys()):
        raise Unprocessable(f"Không có đơn vị mã số {unknown}.", code="unknown_reference")
    return names


async def _coordinators(session: AsyncSession, items: list[CoordinatorIn]) -> list[TaskCoordinator]:
    names = await _unit_names(session, {item.unit_id for item in items})
    return [
        TaskCoordinator(
            position=position,
            unit_id=item.unit_id,
            group=item.group,
            label=nfc(
                item.label
                or (names.get(item.unit_id) if item.unit_id is not None else None)
                or (GROUP_LABELS.get(item.group, "") if item.group is not None else "")
            ),
        )
        for position, item in enumerate(items)
    ]


def _audited(task: Task) -> dict[str, Any]:
    labels = [c.label for c in task.coordinators]
    return {**audit.snapshot(task, TASK_FIELDS), "coordinators": labels}


def _search(task: Task) -> str:
    return search_text(task.code, task.content, task.note)


async def _flush_unique(session: AsyncSession, task: Task) -> None:
    await flush_or_conflict(
        session,
        f"Kế hoạch đã có nhiệm vụ mã {task.code}; hãy chọn mã khác.",
        code="duplicate_task_code",
    )


def _due_columns(due: DueIn) -> dict[str, Any]:
    return due_columns(due.kind, due.month, due.date, due.text)


async def create_task(session: AsyncSession, actor: Principal, data: TaskCreate) -> Task:
    """Sở Nội vụ adds a task to a plan by hand."""
    permissions.require(actor, "task.create")
    if await session.get(Plan, data.plan_id) is None:
        raise Unprocessable(f"Không có kế hoạch mã số {data.plan_id}.", code="unknown_reference")
    await _unit_names(session, {data.lead_unit_id})
    code = nfc(data.code)
    seq = data.seq
    if seq is None:
        seq = int(m[1]) if (m := _SEQ_IN_CODE.search(code)) else 0
    task = Task(
        plan_id=data.plan_id,
        code=code,
        period=data.period,
        seq=seq,
        content=nfc(data.content),
        note=nfc(data.note) if data.note else None,
        **_due_columns(data.due),
        lead_unit_id=data.lead_unit_id,
        lead_unit_label=nfc(data.lead_unit_label) if data.lead_unit_label else None,
        status=TaskStatus.NOT_STARTED,
        progress_percent=0,
        warnings=[],
        coordinators=await _coordinators(session, data.coordinators),
    )
    task.search_text = _search(task)
    session.add(task)
    await _flush_unique(session, task)
    await audit.record(session, actor, "task.created", "task", task.id, after=_audited(task))
    await audit.emit(
        session, "task.created", "task", task.id, {"plan_id": task.plan_id, "code": task.code},
        unit_id=task.lead_unit_id,
    )  # fmt: skip
    return task


async def update_task(
    session: AsyncSession,
    actor: Principal,
    task_id: int,
    changes: TaskUpdate,
    expected: int | None,
) -> Task:
    """Sở Nội vụ corrects a task; warnings about the corrected fields are dropped."""
    permissions.require(actor, "task.update")
    task = await get_task(session, task_id)
    fields = sorted(changes.model_fields_set)

    async def apply() -> None:
        await _apply_changes(session, task, changes)
        task.search_text = _search(task)
        touch(task)

    await audit.audited_update(
        session, actor, task, apply, expected, action="task.updated", entity="task",
        audited=_audited, flush=lambda s: _flush_unique(s, task),
    )  # fmt: skip
    await audit.emit(
        session, "task.updated", "task", task.id,
        {"plan_id": task.plan_id, "code": task.code, "status": task.status,
         "changed": fields},
        unit_id=task.lead_unit_id,
    )  # fmt: skip
    return task


async def _apply_changes(session: AsyncSession, task: Task, changes: TaskUpdate) -> None:
    sent = set(changes.model_fields_set)
    # Every query comes before the first change: a query flushes what is already changed.
    fields = {name: getattr(changes, name) for name in sent - {"due", "coordinators", "status"}}
    changed: set[str] = set()
    if "lead_unit_id" in sent:
        await _unit_names(session, {changes.lead_unit_id})
        # The plan's wording named the old lead unit; keep it only if it is sent again.
        fields.setdefault("lead_unit_label", None)
        changed.add("lead_unit")
    if changes.coordinators is not None:
        task.coordinators = await _coordinators(session, changes.coordinators)
        changed.add("coordinators")
    if changes.due is not None:
        for column, value in _due_columns(changes.due).items():
            setattr(task, column, value)
        changed.add("due")
    for name, value in fields.items():
        setattr(task, name, nfc(value) if isinstance(value, str) else value)
        changed.add(name)
    if changes.status is not None:  # last, so that finishing sets progress to 100
        set_status(task, "correct", changes.status, today_in_vietnam())
    task.warnings = without_stale_warnings(task.warnings or [], changed)


async def lead_unit_names(session: AsyncSession, tasks: list[Task]) -> dict[int, str]:
    """Directory names of the tasks' lead units, in one query."""
    ids = {t.lead_unit_id for t in tasks if t.lead_unit_id is not None}
    if not ids:
        return {}
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))
    return dict(rows.all())


def lead_unit_name(task: Task, names: dict[int, str]) -> str:
    return names.get(task.lead_unit_id) or task.lead_unit_label or ""  # type: ignore[arg-type]
