"""Bảng tổng hợp điểm: a cluster's scores as a spreadsheet, one row per ranked unit, one column
per criterion (the points after verification), then the unit's own total, the total and the
rank."""

import asyncio
import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.core.text import fold
from app.models import Cluster, ScoreEntry, ScoreSheet
from app.services import permissions
from app.services.dossiers.exports import XLSX_TYPE, ExportFile, table_xlsx
from app.services.emulation.points import from_centi
from app.services.emulation.ranking import standings
from app.services.emulation.tables import get_table


async def export_scores(session: AsyncSession, principal: Principal, table_id: int) -> ExportFile:
    """The table's score sheet (bảng tổng hợp điểm) as XLSX, in ranking order."""
    permissions.require(principal, "emulation.export_scores")
    table = await get_table(session, principal, table_id)
    cluster = await session.get(Cluster, table.cluster_id)
    ranked = await standings(session, table)
    points: dict[tuple[int, int], int] = {}
    rows = await session.execute(
        select(
            ScoreEntry.sheet_id,
            ScoreEntry.criterion_id,
            func.coalesce(ScoreEntry.verified_centipoints, ScoreEntry.self_centipoints),
        )
        .join(ScoreSheet, ScoreSheet.id == ScoreEntry.sheet_id)
        .where(ScoreSheet.table_id == table.id)
    )
    for sheet_id, criterion_id, value in rows:
        points[(sheet_id, criterion_id)] = value
    criteria = table.criteria
    headers = ["Xếp hạng", "Đơn vị", *(f"{c.code}. {c.name}" for c in criteria)]
    headers += ["Tự chấm", "Tổng điểm", "Nộp muộn"]
    body = [
        [r["rank"], r["unit_name"],
         *(_number(points.get((r["sheet_id"], c.id))) for c in criteria),
         float(r["self_total"]), float(r["total"]), "Có" if r["late"] else ""]
        for r in ranked
    ]  # fmt: skip
    widths = [10, 40, *(14 for _ in criteria), 12, 12, 10]
    content = await asyncio.to_thread(table_xlsx, "Bảng tổng hợp điểm", headers, body, widths)
    name = f"Bang tong hop diem {cluster.name} {table.year}"
    ascii_name = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:150] or "bang-diem"
    return ExportFile(content, XLSX_TYPE, f"{ascii_name}.xlsx", f"{ascii_name}.xlsx")


def _number(centipoints: int | None) -> float | None:
    value = from_centi(centipoints)
    return float(value) if value is not None else None
