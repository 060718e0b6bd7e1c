"""Factories for plans and tasks: the real 2026 seed plan, or a small plan made to measure."""

import csv
import io
import itertools
from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.text import fold, search_text
from app.models import Attachment, Plan, Task, TaskCoordinator, Unit
from app.services.plans.importing import SEED_PLAN_PATH, load_plan_2026
from tests.factories_dossiers import make_dossier

APPENDIX_HEADER = ["TT", "NỘI DUNG", "DỰ KIẾN THỜI GIAN", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP"]
SMALL_APPENDIX = [
    ["I", "Nhiệm vụ thực hiện trong quý I", "", "", ""],
    ["1", "Ban hành Chỉ thị phát động thi đua", "01/2027", "Sở Nội vụ", "Sở Tư pháp"],
    ["2", "Tổng kết phong trào", "03/2027", "Sở Nội vụ", "Sở Kế hoạch và Đầu tư"],
    ["II", "Nhiệm vụ thường xuyên trong năm 2027", "", "", ""],
    ["1", "Tuyên truyền gương điển hình", "Thường xuyên", "Sở Nội vụ", "Lãnh đạo tỉnh"],
]
_seq = itertools.count(1)


def seed_bytes() -> bytes:
    return SEED_PLAN_PATH.read_bytes()


async def load_seed(session: AsyncSession) -> Plan:
    """The Sơn La 2026 plan, loaded as `tdkt bootstrap` does, and committed."""
    await load_plan_2026(session)
    await session.commit()
    return await session.scalar(select(Plan).where(Plan.year == 2026))


async def seed_tasks(session: AsyncSession, plan: Plan) -> dict[str, Task]:
    rows = await session.scalars(select(Task).where(Task.plan_id == plan.id))
    return {task.code: task for task in rows}


async def unit_named(session: AsyncSession, name: str) -> Unit:
    return await session.scalar(select(Unit).where(Unit.search_text.like(f"%{fold(name)}%")))


async def make_plan(session: AsyncSession, **overrides: Any) -> Plan:
    values = {"year": 2026, "title": f"Kế hoạch thử {next(_seq)}", "warnings": []}
    values.update(overrides)
    plan = Plan(**values)
    session.add(plan)
    await session.flush()
    return plan


async def make_task(
    session: AsyncSession,
    plan: Plan,
    *,
    coordinators: list[Unit] = (),
    groups: list[tuple[str, str]] = (),
    **overrides: Any,
) -> Task:
    n = next(_seq)
    values = {
        "code": f"I.{n}",
        "period": "Q1",
        "seq": n,
        "content": f"Nhiệm vụ thử {n}",
        "due_kind": "month",
        "due_month": "2026-03",
        "due_date": date(2026, 3, 31),
        "due_text": "03/2026",
        "status": "not_started",
        "progress_percent": 0,
        "warnings": [],
    }
    values.update(overrides)
    task = Task(plan_id=plan.id, **values)
    task.search_text = search_text(task.code, task.content, task.note)
    task.coordinators = [
        TaskCoordinator(position=i, unit_id=unit.id, label=unit.name)
        for i, unit in enumerate(coordinators)
    ] + [
        TaskCoordinator(position=len(coordinators) + i, group=group, label=label)
        for i, (group, label) in enumerate(groups)
    ]
    session.add(task)
    await session.flush()
    return task


async def make_papers(session: AsyncSession, unit: Unit) -> list[Attachment]:
    """Three papers uploaded to a draft dossier of `unit`, for a progress report to cite."""
    dossier = await make_dossier(session, unit, None, nominations=0)
    return list(dossier.attachments)


def appendix_csv(rows: list[list[str]] = SMALL_APPENDIX) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([APPENDIX_HEADER, *rows])
    return buffer.getvalue().encode("utf-8-sig")


def appendix_xlsx(rows: list[list[str]] = SMALL_APPENDIX) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [APPENDIX_HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4"
    "890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
