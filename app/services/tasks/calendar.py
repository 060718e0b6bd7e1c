"""The plan's deadlines as an iCalendar feed (lịch thời hạn nhiệm vụ), one all-day event each."""

from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.statuses import TaskStatus
from app.models import Task
from app.services.plans.records import get_plan
from app.services.tasks.records import lead_unit_name, lead_unit_names
from app.services.tasks.rules import DATED_KINDS

UID_DOMAIN = "tdkt.sonla.gov.vn"


async def plan_calendar(session: AsyncSession, plan_id: int) -> bytes:
    """An all-day VEVENT on each dated task's deadline. A UID is the task's id, so a
    subscribed calendar updates the event when the task is edited instead of adding another;
    a plan imported anew has new tasks, hence new UIDs."""
    plan = await get_plan(session, plan_id)
    dated = select(Task).where(
        Task.plan_id == plan_id, Task.due_kind.in_(DATED_KINDS), Task.due_date.is_not(None)
    )
    stmt = dated.options(selectinload(Task.coordinators)).order_by(Task.due_date, Task.id)
    tasks = list(await session.scalars(stmt))
    names = await lead_unit_names(session, tasks)
    calendar = Calendar()
    calendar.add("prodid", "-//UBND tinh Son La//tdkt//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plan.title)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for task in tasks:
        calendar.add_component(task_event(task, lead_unit_name(task, names)))
    return calendar.to_ical()


def task_event(task: Task, lead: str) -> Event:
    """A dated task's deadline as an all-day event."""
    event = Event()
    event.add("uid", f"task-{task.id}@{UID_DOMAIN}")
    event.add("dtstamp", task.updated_at)
    event.add("last-modified", task.updated_at)
    event.add("dtstart", task.due_date)
    event.add("dtend", task.due_date + timedelta(days=1))
    event.add("summary", f"{task.code} — {task.content}")
    event.add("description", _description(task, lead))
    event.add("status", "CANCELLED" if task.status == TaskStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def _description(task: Task, lead: str) -> str:
    coordinators = "; ".join(c.label for c in task.coordinators) or "—"
    lines = [
        f"Đơn vị chủ trì: {lead or '—'}",
        f"Đơn vị phối hợp: {coordinators}",
        f"Dự kiến thời gian: {task.due_text or '—'}",
        f"Trạng thái: {TaskStatus(task.status).display} ({task.progress_percent}%)",
    ]
    if task.note:
        lines.insert(0, task.note)
    return "\n".join(lines)
