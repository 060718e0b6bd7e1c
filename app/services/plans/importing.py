"""Importing a plan document (nhập kế hoạch): parsed by `plan_parser`, mapped to rows here."""

import asyncio
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import PROJECT_ROOT
from app.core.errors import Unprocessable
from app.core.orm import flush_or_conflict
from app.core.principal import SYSTEM, Principal
from app.core.statuses import TaskStatus
from app.core.text import search_text
from app.models import Plan, Task, TaskCoordinator
from app.services import audit, permissions
from app.services.plans.parser import ParsedPlan, ParsedTask, PlanParseError, parse_plan
from app.services.plans.units import UnitIndex, ensure_reference_units
from app.services.tasks.rules import free_code, warning_dict

SEED_PLAN_PATH = PROJECT_ROOT / "app" / "data" / "ke-hoach-tdkt-2026.md"
PLAN_FIELDS = ("year", "number", "title", "issued_on", "issuer", "body")
# Text the document may give longer than its column holds, with its name for a warning.
_PLAN_TEXT_FIELDS = {"number": "Số", "issuer": "Cơ quan ban hành", "title": "Tên"}


@dataclass
class ImportOutcome:
    """`plan` is saved (or found, `already_imported`), or a transient preview when `dry_run`."""

    plan: Plan
    tasks_created: int
    warnings: list[dict[str, Any]]
    dry_run: bool
    already_imported: bool = False

    @property
    def created(self) -> bool:
        return not (self.dry_run or self.already_imported)


@dataclass
class _Mapped:
    """The tasks, and the warnings the plan keeps: the document's and those of skipped rows.
    Each task keeps its own warnings, dropped once Sở Nội vụ corrects that field."""

    tasks: list[Task] = field(default_factory=list)
    plan_warnings: list[dict[str, Any]] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _in_row_order(warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(warnings, key=lambda w: -1 if w["row"] is None else w["row"])


async def import_plan(
    session: AsyncSession,
    actor: Principal,
    data: bytes,
    filename: str | None,
    *,
    year: int | None = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Parse an uploaded plan and store it with its tasks in the caller's transaction.

    The same file twice gives the first plan back. Unit names are matched to the directory;
    an unknown one stays as a label with an `unknown_unit` warning, never dropped.
    """
    permissions.require(actor, "plan.import")
    digest = sha256(data)
    if (existing := await _imported_before(session, digest)) is not None:
        warnings = await _current_warnings(session, existing)
        return ImportOutcome(existing, 0, warnings, dry_run, already_imported=True)
    return await _import_new(session, actor, data, digest, filename, year=year, dry_run=dry_run)


async def _imported_before(session: AsyncSession, digest: str) -> Plan | None:
    return await session.scalar(select(Plan).where(Plan.source_sha256 == digest))


async def _current_warnings(session: AsyncSession, plan: Plan) -> list[dict[str, Any]]:
    """The plan's warnings and those its tasks still have."""
    rows = await session.scalars(select(Task.warnings).where(Task.plan_id == plan.id))
    return _in_row_order([*(plan.warnings or []), *(w for ws in rows for w in ws or [])])


async def _import_new(
    session: AsyncSession,
    actor: Principal,
    data: bytes,
    digest: str,
    filename: str | None,
    *,
    year: int | None,
    dry_run: bool,
) -> ImportOutcome:
    # Parsing is CPU work on an untrusted file: off the event loop, so other requests go on.
    parsed = await asyncio.to_thread(_parse, data, filename, year)
    plan = _plan_of(parsed, digest)
    units = await UnitIndex.load(session)
    mapped = await asyncio.to_thread(_map_tasks, parsed, units)
    plan.warnings = _in_row_order([*plan.warnings, *mapped.plan_warnings])
    if not dry_run:
        await _save(session, actor, plan, mapped.tasks, filename)
    warnings = _in_row_order([*plan.warnings, *(w for t in mapped.tasks for w in t.warnings)])
    return ImportOutcome(plan, len(mapped.tasks), warnings, dry_run=dry_run)


def _parse(data: bytes, filename: str | None, year: int | None) -> ParsedPlan:
    try:
        parsed = parse_plan(data, filename, year=year)
    except PlanParseError as exc:
        raise Unprocessable(exc.message, code=exc.code) from exc
    if parsed.year is None:
        raise Unprocessable(
            "Không xác định được năm của kế hoạch (tên kế hoạch và thời hạn không nêu năm). "
            "Hãy nhập lại kèm năm của kế hoạch (tham số year).",
            code="plan_year_missing",
        )
    return parsed


def _plan_of(parsed: ParsedPlan, digest: str) -> Plan:
    """The plan's row; a field longer than its column is cut, with a warning."""
    values = {
        "number": parsed.number,
        "issuer": parsed.issuer,
        "title": parsed.title or f"Kế hoạch công tác thi đua, khen thưởng năm {parsed.year}",
    }
    warnings = []
    for name, label in _PLAN_TEXT_FIELDS.items():
        limit = Plan.__table__.c[name].type.length
        if values[name] is not None and len(values[name]) > limit:
            values[name] = values[name][:limit]
            message = (
                f"{label} của kế hoạch dài quá {limit} ký tự nên đã được cắt bớt; hãy kiểm tra "
                "và sửa lại kế hoạch."
            )
            warnings.append(warning_dict(None, "plan_field_truncated", message, None, name))
    return Plan(
        year=parsed.year,
        issued_on=parsed.issued_on,
        body=parsed.body,
        source_sha256=digest,
        warnings=warnings,
        **values,
    )


def _map_tasks(parsed: ParsedPlan, units: UnitIndex) -> _Mapped:
    mapped = _Mapped()
    task_warnings = {w for t in parsed.tasks for w in t.warnings}
    for w in parsed.warnings:  # the document's and skipped rows' warnings
        if w not in task_warnings:
            mapped.plan_warnings.append(warning_dict(w.row, w.code, w.message, w.task_code))
    codes: set[str] = set()
    for parsed_task in parsed.tasks:
        task = _task_of(parsed_task, units, codes)
        codes.add(task.code)
        mapped.tasks.append(task)
    return mapped


def _task_of(parsed: ParsedTask, units: UnitIndex, codes: set[str]) -> Task:
    code = free_code(parsed.code, codes)
    warnings = [warning_dict(w.row, w.code, w.message, code) for w in parsed.warnings]
    if code != parsed.code:
        message = f"Nhiệm vụ dòng {parsed.row} đổi mã thành {code} để khỏi trùng {parsed.code}."
        warnings.append(warning_dict(parsed.row, "duplicate_code", message, code))
    lead_unit_id = units.match(parsed.lead_unit)
    if parsed.lead_unit and lead_unit_id is None:
        message = (
            f"Nhiệm vụ {code}: đơn vị chủ trì '{parsed.lead_unit}' chưa có trong danh bạ; "
            "tên được giữ lại, hãy thêm đơn vị (hoặc bí danh) rồi cập nhật nhiệm vụ."
        )
        warnings.append(warning_dict(parsed.row, "unknown_unit", message, code, "lead_unit"))
    coordinators = _coordinators_of(parsed, code, units, warnings)
    return Task(
        code=code,
        period=parsed.period,
        seq=parsed.seq,
        content=parsed.content,
        note=parsed.note,
        due_kind=parsed.due.kind,
        due_month=parsed.due.month,
        due_date=parsed.due.date,
        due_text=parsed.due.text[:200],
        lead_unit_id=lead_unit_id,
        lead_unit_label=parsed.lead_unit[:500] if parsed.lead_unit else None,
        status=TaskStatus.NOT_STARTED,
        progress_percent=0,
        warnings=warnings,
        search_text=search_text(code, parsed.content, parsed.note),
        coordinators=coordinators,
    )


def _coordinators_of(
    parsed: ParsedTask, code: str, units: UnitIndex, warnings: list[dict]
) -> list[TaskCoordinator]:
    coordinators = []
    for position, item in enumerate(parsed.coordinators):
        unit_id = None if item.group else units.match(item.label)
        if item.group is None and unit_id is None:
            message = (
                f"Nhiệm vụ {code}: đơn vị phối hợp '{item.label}' chưa có trong danh bạ; "
                "được giữ lại dưới dạng tên."
            )
            warnings.append(warning_dict(parsed.row, "unknown_unit", message, code, "coordinators"))
        coordinators.append(
            TaskCoordinator(
                position=position, unit_id=unit_id, group=item.group, label=item.label[:500]
            )
        )
    return coordinators


async def _save(
    session: AsyncSession, actor: Principal, plan: Plan, tasks: list[Task], filename: str | None
) -> None:
    session.add(plan)
    # The same file, imported by a concurrent request, loses here.
    await flush_or_conflict(
        session,
        "Tệp kế hoạch này vừa được nhập bởi một yêu cầu khác; tải lại danh sách kế hoạch.",
        code="plan_already_imported",
    )
    for task in tasks:
        task.plan_id = plan.id
    session.add_all(tasks)
    await session.flush()
    after = {
        **audit.snapshot(plan, PLAN_FIELDS),
        "filename": filename,
        "tasks": [t.code for t in tasks],
        "warnings": len(plan.warnings),
    }
    await audit.record(session, actor, "plan.imported", "plan", plan.id, after=after)
    await audit.emit(
        session, "plan.imported", "plan", plan.id,
        {"plan_id": plan.id, "year": plan.year, "title": plan.title, "tasks_created": len(tasks)},
    )  # fmt: skip


async def load_plan_2026(session: AsyncSession) -> list[str]:
    """Reference loader: the Sơn La 2026 plan with its 22 tasks and the units it names."""
    data = await asyncio.to_thread(Path(SEED_PLAN_PATH).read_bytes)
    digest = sha256(data)
    if await _imported_before(session, digest) is not None:
        return []
    # The units first, so that the plan's names find them.
    lines = await ensure_reference_units(session, SYSTEM)
    outcome = await _import_new(
        session, SYSTEM, data, digest, SEED_PLAN_PATH.name, year=2026, dry_run=False
    )
    lines.append(
        f"đã nhập '{outcome.plan.title}' với {outcome.tasks_created} nhiệm vụ "
        f"({len(outcome.warnings)} cảnh báo)"
    )
    return lines
