"""Plans and tasks (kế hoạch và nhiệm vụ trọng tâm): import, tasks, progress reports, the
calendar feed, counts and exports. The routers call the functions re-exported here."""

from app.services.plans.calendar import plan_calendar
from app.services.plans.counts import task_counts
from app.services.plans.export import ExportFile, export_tasks
from app.services.plans.importing import ImportOutcome, import_plan, load_plan_2026
from app.services.plans.plan_records import create_plan, get_plan, list_plans, update_plan
from app.services.plans.progress import list_reports, submit_report
from app.services.plans.tasks import (
    TaskFilters,
    create_task,
    get_task,
    list_plan_tasks,
    list_tasks,
    task_view,
    update_task,
)

__all__ = [
    "ExportFile",
    "ImportOutcome",
    "TaskFilters",
    "create_plan",
    "create_task",
    "export_tasks",
    "get_plan",
    "get_task",
    "import_plan",
    "list_plan_tasks",
    "list_plans",
    "list_reports",
    "list_tasks",
    "load_plan_2026",
    "plan_calendar",
    "submit_report",
    "task_counts",
    "task_view",
    "update_plan",
    "update_task",
]
