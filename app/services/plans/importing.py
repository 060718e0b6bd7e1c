"""Importing a plan document (nhập kế hoạch): parsed by `plan_parser`, mapped to rows here."""

import asyncio
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import PROJECT_ROOT
from app.errors import Conflict, Unprocessable
from app.models import Plan, Task, TaskCoordinator
from app.services import audit
from app.services.plan_parser import ParsedPlan, ParsedTask, PlanParseError, parse_plan
from app.services.plans.rules import warning_dict
from app.services.plans.units import UnitIndex, ensure_reference_units
from app.services.principal import SYSTEM, Principal
from app.services.text import search_text

SEED_PLAN_PATH = PROJECT_ROOT / "app" / "data" / "ke-hoach-tdkt-2026.md"
PLAN_FIELDS = ("year", "number", "title", "issued_on", "issuer", "body")


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
    tasks: list[Task] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    digest = sha256(data)
    existing = await session.scalar(select(Plan).where(Plan.source_sha256 == digest))
    if existing is not None:
        return ImportOutcome(existing, 0, list(existing.warnings), dry_run, already_imported=True)
    parsed = _parse(data, filename, year)
    plan = _plan_of(parsed, digest)
    mapped = _map_tasks(parsed, await UnitIndex.load(session))
    plan.warnings = mapped.warnings
    if dry_run:
        return ImportOutcome(plan, len(mapped.tasks), mapped.warnings, dry_run=True)
    await _save(session, actor, plan, mapped.tasks, filename)
    return ImportOutcome(plan, len(mapped.tasks), mapped.warnings, dry_run=False)


def _parse(data: bytes, filename: str | None, year: int | None) -> ParsedPlan:
    try:
        parsed = parse_plan(data, filename, year=year)
    except PlanParseError as exc:
        raise Unprocessable(exc.message, code=exc.code) from exc
    if parsed.year is None:
        raise Unprocessable(
            "Không xác định được năm của kế hoạch (tên kế hoạch và thời hạn không nêu năm). "
            "Hãy gửi kèm tham số year, ví dụ ?year=2026.",
            code="plan_year_missing",
        )
    return parsed


def _plan_of(parsed: ParsedPlan, digest: str) -> Plan:
    title = parsed.title or f"Kế hoạch công tác thi đua, khen thưởng năm {parsed.year}"
    return Plan(
        year=parsed.year,
        number=parsed.number,
        title=title[:500],
        issued_on=parsed.issued_on,
        issuer=parsed.issuer,
        body=parsed.body,
        source_sha256=digest,
    )


def _map_tasks(parsed: ParsedPlan, units: UnitIndex) -> _Mapped:
    mapped = _Mapped()
    task_warnings = {w for t in parsed.tasks for w in t.warnings}
    for w in parsed.warnings:  # the document's and skipped rows' warnings
        if w not in task_warnings:
            mapped.warnings.append(warning_dict(w.row, w.code, w.message, w.task_code))
    codes: set[str] = set()
    for parsed_task in parsed.tasks:
        task = _task_of(parsed_task, units, codes)
        codes.add(task.code)
        mapped.tasks.append(task)
        mapped.warnings.extend(task.warnings)
    mapped.warnings.sort(key=lambda w: -1 if w["row"] is None else w["row"])
    return mapped


def _task_of(parsed: ParsedTask, units: UnitIndex, codes: set[str]) -> Task:
    code = _unique_code(parsed.code, codes)
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
        status="not_started",
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


def _unique_code(code: str, taken: set[str]) -> str:
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}-{n}"
    return candidate


async def _save(
    session: AsyncSession, actor: Principal, plan: Plan, tasks: list[Task], filename: str | None
) -> None:
    session.add(plan)
    try:
        await session.flush()
    except IntegrityError as exc:  # the same file, imported by a concurrent request
        raise Conflict(
            "Tệp kế hoạch này vừa được nhập bởi một yêu cầu khác; tải lại danh sách kế hoạch.",
            code="plan_already_imported",
        ) from exc
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
    if await session.scalar(select(Plan.id).where(Plan.source_sha256 == sha256(data))):
        return []
    lines = await ensure_reference_units(session, SYSTEM)
    outcome = await import_plan(session, SYSTEM, data, SEED_PLAN_PATH.name, year=2026)
    lines.append(
        f"đã nhập '{outcome.plan.title}' với {outcome.tasks_created} nhiệm vụ "
        f"({len(outcome.warnings)} cảnh báo)"
    )
    return lines
