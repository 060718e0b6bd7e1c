"""Task counts per period and per lead unit (báo cáo tiến độ thực hiện kế hoạch), in SQL."""

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Task, Unit
from app.models.tasks import PERIODS, TASK_STATUSES
from app.services.plans.records import get_plan
from app.services.tasks.rules import overdue_clause

COUNT_NAMES = ("total", *TASK_STATUSES, "overdue")


def _measures(as_of: date) -> list[Any]:
    def count_when(condition: Any, name: str) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)

    return [
        func.count(Task.id).label("total"),
        *(count_when(Task.status == status, status) for status in TASK_STATUSES),
        count_when(overdue_clause(as_of), "overdue"),
    ]


def _counts(row: Any) -> dict[str, int]:
    return {name: int(getattr(row, name) or 0) for name in COUNT_NAMES}


async def task_counts(session: AsyncSession, plan_id: int | None, as_of: date) -> dict[str, Any]:
    """Totals, per period and per lead unit, of one plan (or of all plans); three aggregates."""
    scope = []
    if plan_id is not None:
        await get_plan(session, plan_id)
        scope.append(Task.plan_id == plan_id)
    measures = _measures(as_of)
    totals = (await session.execute(select(*measures).where(*scope))).one()
    periods = await session.execute(
        select(Task.period, *measures).where(*scope).group_by(Task.period)
    )
    # A lead unit the directory does not know is counted under the name the plan gives it.
    lead_name = func.coalesce(Unit.name, Task.lead_unit_label)
    units = await session.execute(
        select(Task.lead_unit_id, lead_name.label("lead_unit_name"), *measures)
        .outerjoin(Unit, Unit.id == Task.lead_unit_id)
        .where(*scope)
        .group_by(Task.lead_unit_id, lead_name)
        .order_by(lead_name.is_(None), lead_name, Task.lead_unit_id)
    )
    by_period = sorted(
        ({"period": row.period, **_counts(row)} for row in periods),
        key=lambda item: PERIODS.index(item["period"]),
    )
    by_unit = [
        {"lead_unit_id": row.lead_unit_id, "lead_unit_name": row.lead_unit_name, **_counts(row)}
        for row in units
    ]
    return {
        "plan_id": plan_id,
        "as_of": as_of,
        "totals": _counts(totals),
        "by_period": by_period,
        "by_lead_unit": by_unit,
    }
