"""Reports (báo cáo tổng hợp): counts computed in the database, for dashboards and scripts."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import AnyRole, SessionDep
from app.api.responses import NOT_FOUND, PROBLEMS
from app.api.routing import TransactionalRoute
from app.api.tasks import AsOf
from app.schemas.plans import TaskCountsReport
from app.services import plans

router = APIRouter(route_class=TransactionalRoute, responses=PROBLEMS, tags=["reports"])


@router.get("/reports/tasks", response_model=TaskCountsReport, responses=NOT_FOUND)
async def task_report(
    session: SessionDep,
    principal: AnyRole,
    as_of: AsOf,
    plan_id: Annotated[int | None, Query(description="Một kế hoạch; trống: mọi kế hoạch")] = None,
):
    """Tasks per period and per lead unit: total, done, in progress, not started, cancelled and
    overdue at `as_of` (default today in Vietnam)."""
    return await plans.task_counts(session, plan_id, as_of)
