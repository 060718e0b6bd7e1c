"""Bảng tổng hợp điểm: a cluster's scores as a spreadsheet (XLSX, CSV or JSON), one row per
ranked unit with its id and its sheet's, one column per criterion (the points after
verification), then the unit's own total, the total and the sheet's dates; or as a Word paper
in the layout of NĐ 30/2020 (the ranking, then each unit's points per criterion, self-scored
and verified, with the head's reasons), for the head to sign."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.core.statuses import ScoreSheetStatus, ScoreTableStatus
from app.models import (
    Cluster,
    ClusterMembership,
    ScoreCriterion,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
    Unit,
)
from app.services import documents, permissions
from app.services.documents.papers import Paper
from app.services.documents.wording import (
    PROVINCE_UPPER,
    number_line,
    place_date,
    signature,
    two_digits,
    upper,
    vn_number,
)
from app.services.dossiers.exports import Column, ExportFile, local_date, tabular_file
from app.services.emulation.points import from_centi
from app.services.emulation.ranking import TIE_RULE_TEXT, standings
from app.services.emulation.tables import get_table

SCORE_COLUMNS = (
    Column("rank", "Xếp hạng", 10), Column("unit_id", "ID đơn vị", 10),
    Column("unit", "Đơn vị", 40), Column("sheet_id", "ID bản tự chấm", 12),
    Column("sheet_status", "Trạng thái bản chấm (mã)", 14),
    Column("sheet_status_label", "Trạng thái bản chấm", 22),
)  # fmt: skip
TOTAL_COLUMNS = (
    Column("self_total", "Tự chấm", 12), Column("total", "Tổng điểm", 12),
    Column("late", "Nộp muộn", 10), Column("submitted_on", "Ngày nộp", 12),
    Column("verified_on", "Ngày thẩm tra", 12),
)  # fmt: skip


def criterion_column(criterion: ScoreCriterion) -> Column:
    """A criterion's column: keyed by its code (`criterion_1.1`), headed `1.1. <name>`."""
    return Column(f"criterion_{criterion.code}", f"{criterion.code}. {criterion.name}", 14)


async def export_scores(
    session: AsyncSession, principal: Principal, table_id: int, fmt: str = "xlsx"
) -> ExportFile:
    """The table's score sheet (bảng tổng hợp điểm) in ranking order: XLSX, CSV or JSON (one
    row per ranked unit), or the paper as DOCX (or PDF)."""
    permissions.require(principal, "emulation.export_scores")
    table = await get_table(session, principal, table_id)
    cluster = await session.get(Cluster, table.cluster_id)
    ranked = await standings(session, table)
    if fmt in ("docx", "pdf"):
        paper = await _paper(session, table, cluster, ranked)
        produced = await documents.produce(session, paper, fmt)
        return ExportFile(
            produced.content, produced.media_type, produced.filename, produced.ascii_filename
        )
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
    dated = await session.execute(
        select(ScoreSheet.id, ScoreSheet.submitted_at, ScoreSheet.verified_at).where(
            ScoreSheet.table_id == table.id
        )
    )
    moments = {sheet_id: (submitted, verified) for sheet_id, submitted, verified in dated}
    criteria = table.criteria
    columns = [*SCORE_COLUMNS, *(criterion_column(c) for c in criteria), *TOTAL_COLUMNS]
    body = [
        [r["rank"], r["unit_id"], r["unit_name"], r["sheet_id"], r["sheet_status"],
         ScoreSheetStatus.display_of(r["sheet_status"]),
         *(_number(points.get((r["sheet_id"], c.id))) for c in criteria),
         float(r["self_total"]), float(r["total"]), bool(r["late"]),
         *(local_date(moment) for moment in moments.get(r["sheet_id"], (None, None)))]
        for r in ranked
    ]  # fmt: skip
    about = [
        ["BẢNG TỔNG HỢP ĐIỂM THI ĐUA"],
        [f"{cluster.name} năm {table.year}"],
        ["ID cụm, khối", cluster.id], ["ID bảng điểm", table.id],
        ["Bảng điểm", f"{table.title} (phiên bản {table.revision})"],
        ["Trạng thái bảng điểm", f"{table.status}: {ScoreTableStatus.display_of(table.status)}"],
        ["Cách xếp hạng khi bằng điểm", TIE_RULE_TEXT[table.tie_rule]],
        ["Số đơn vị đã chấm", len(ranked)],
    ]  # fmt: skip
    name = f"Bảng tổng hợp điểm {cluster.name} {table.year}"
    return await tabular_file(fmt, "Bảng tổng hợp điểm", columns, body, name, about=about)


def _points(centipoints: int | None) -> str:
    value = from_centi(centipoints)
    return vn_number(value) if value is not None else ""


async def _paper(
    session: AsyncSession, table: ScoreTable, cluster: Cluster, ranked: list[dict]
) -> Paper:
    """The context of the `bang-tong-hop-diem` template."""
    entries = await session.scalars(
        select(ScoreEntry)
        .join(ScoreSheet, ScoreSheet.id == ScoreEntry.sheet_id)
        .where(ScoreSheet.table_id == table.id)
    )
    by_sheet: dict[int, dict[int, ScoreEntry]] = {}
    for entry in entries:
        by_sheet.setdefault(entry.sheet_id, {})[entry.criterion_id] = entry
    head = await session.scalar(
        select(Unit.name)
        .join(ClusterMembership, ClusterMembership.unit_id == Unit.id)
        .where(ClusterMembership.cluster_id == cluster.id, ClusterMembership.role == "head")
    )
    ranking = [
        {"rank": str(r["rank"]), "unit": r["unit_name"], "self_total": vn_number(r["self_total"]),
         "total": vn_number(r["total"]), "note": "Nộp muộn" if r["late"] else ""}
        for r in ranked
    ]  # fmt: skip
    units = []
    for number, r in enumerate(ranked, start=1):
        mine = by_sheet.get(r["sheet_id"], {})
        rows = []
        for c in table.criteria:
            e = mine.get(c.id)
            verified = e.verified_centipoints if e and e.verified_centipoints is not None else None
            rows.append(
                {"code": c.code, "name": c.name, "max_points": _points(c.max_centipoints),
                 "points": _points(e.self_centipoints) if e else "",
                 "verified": _points(verified if verified is not None
                                     else e.self_centipoints if e else None),
                 "reason": (e.adjustment_reason or "") if e else ""}
            )  # fmt: skip
        title = f"{number}. {r['unit_name']}: {vn_number(r['total'])} điểm, xếp thứ {r['rank']}"
        units.append({"title": title, "rows": rows})
    context = {
        "issuer_parent": PROVINCE_UPPER,
        "issuer": upper(cluster.name),
        "number": number_line("BTH"),
        "place_date": place_date(None),
        "subject": f"{cluster.name} năm {table.year}",
        "intro": [
            f"Bảng điểm: {table.title} (phiên bản {table.revision}).",
            "Điểm thẩm tra là điểm sau khi Trưởng khối xem xét; ô để trống là giữ điểm tự chấm.",
        ],
        "ranking": ranking,
        "units": units,
        "closing": [f"Bảng tổng hợp gồm {two_digits(len(ranked))} đơn vị đã chấm điểm./."],
        "recipients": ["Sở Nội vụ (Ban Thi đua - Khen thưởng);", "Các đơn vị trong khối;",
                       "Lưu: VT."],
        **signature("TRƯỞNG KHỐI", title=head or ""),
    }  # fmt: skip
    return Paper("bang-tong-hop-diem", context, f"Bảng tổng hợp điểm {cluster.name} {table.year}")


def _number(centipoints: int | None) -> float | None:
    value = from_centi(centipoints)
    return float(value) if value is not None else None
