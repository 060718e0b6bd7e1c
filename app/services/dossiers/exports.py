"""Dossier exports: the dossier list as XLSX/CSV (one row per nomination) and a round's
"danh sách đề nghị khen thưởng" as DOCX/XLSX, grouped by award type.

The two async functions at the top read the database; everything below them is a pure
builder from plain rows to bytes, so the layouts can be tested without a database.
"""

import asyncio
import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins
from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.errors import Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.core.principal import Principal
from app.core.statuses import DossierStatus, NominationStatus
from app.core.text import fold
from app.core.working_days import VIETNAM_TZ
from app.models import (
    AwardType,
    Cluster,
    Decision,
    DecisionItem,
    Dossier,
    MeetingResult,
    Nomination,
    Round,
    Unit,
)
from app.schemas.dossiers import DossierFilter
from app.services import policies
from app.services.dossiers import queries, rules
from app.services.rounds import get_round

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"
EXPORT_MAX_ROWS = 50_000
# Dossiers still being drafted, or taken back, are not part of what the round received.
NOT_RECEIVED = (DossierStatus.DRAFT, DossierStatus.WITHDRAWN)

DOSSIER_KIND = {"periodic": "Theo đợt", "thematic": "Chuyên đề", "unscheduled": "Đột xuất",
                "dedication": "Quá trình cống hiến"}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column of a tabular export: its stable JSON key, its Vietnamese header in the
    CSV/XLSX header row, its XLSX width and whether it is personal data (left out for readers)."""

    key: str
    header: str
    width: int = 16
    personal: bool = False
    # Ids and codes kept for programs: present in the XLSX but hidden, so the printed page
    # holds what a person reads.
    printed: bool = True


DOSSIER_COLUMNS = (
    Column("dossier_id", "ID hồ sơ", 10), Column("code", "Mã hồ sơ", 16),
    Column("submitting_unit_id", "ID đơn vị trình", 10),
    Column("submitting_unit", "Đơn vị trình", 32), Column("cluster", "Cụm/khối", 24),
    Column("round_id", "ID đợt", 8), Column("round", "Đợt", 24),
    Column("kind", "Loại hồ sơ (mã)", 14), Column("kind_label", "Loại hồ sơ", 16),
    Column("status", "Trạng thái hồ sơ (mã)", 14),
    Column("status_label", "Trạng thái hồ sơ", 18),
    Column("submitted_on", "Ngày trình", 12),
    Column("nomination_id", "ID đề nghị", 10),
    Column("nominee_name", "Họ tên / Tập thể / Hộ gia đình", 30),
    Column("nominee_kind", "Loại đối tượng (mã)", 12),
    Column("nominee_kind_label", "Loại đối tượng", 14),
    Column("position", "Chức vụ", 26, True), Column("birth_year", "Năm sinh", 10, True),
    Column("nominee_address", "Địa chỉ hộ gia đình", 30, True),
    Column("award_type_code", "Mã danh hiệu", 22),
    Column("award_name", "Danh hiệu/hình thức đề nghị", 34),
    Column("nomination_status", "Trạng thái đề nghị (mã)", 14),
    Column("nomination_status_label", "Trạng thái đề nghị", 20),
    Column("appraisal", "Kết luận thẩm định", 40),
)  # fmt: skip
LIST_TITLE = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
LIST_HEADERS = ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Tóm tắt thành tích",
                "Ghi chú (kết luận thẩm định)")  # fmt: skip
LIST_WIDTHS_CM = (1.3, 5.5, 5.5, 9.5, 4.5)
# XML 1.0 has no place for these; python-docx (lxml) refuses them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Spreadsheet programs run a cell that starts like a formula; exported text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    ascii_filename: str


@dataclass(frozen=True)
class ListedNomination:
    """One line of the danh sách: a nominee under its award type, where it stands now."""

    award_type_code: str
    award_name: str
    nominee_name: str
    nominee_kind: str
    position: str | None
    unit_name: str | None
    achievement_summary: str
    note: str
    nomination_id: int = 0
    status: str = ""
    approve_percent: float | None = None
    threshold_percent: float | None = None
    decision_no: str | None = None


# ---- queries ---------------------------------------------------------------------------------


async def export_dossiers(
    session: AsyncSession, principal: Principal, filters: DossierFilter, fmt: str
) -> ExportFile:
    """The dossiers `GET /dossiers` lists with the same filters, one row per nomination (a
    dossier without nominations gets one row); with `award_type_code`, only those rows."""
    ids = queries.filtered_dossiers(principal, filters).with_only_columns(Dossier.id)
    on = Nomination.dossier_id == Dossier.id
    if filters.award_type_code:
        on = and_(on, Nomination.award_type_code == filters.award_type_code)
    stmt = (
        select(Dossier.id, Dossier.code, Dossier.submitting_unit_id,
               Unit.name.label("unit_name"), Cluster.name.label("cluster_name"),
               Dossier.round_id, Round.name.label("round_name"), Dossier.kind, Dossier.status,
               Dossier.submitted_at, Nomination.id.label("nomination_id"),
               Nomination.nominee_name, Nomination.nominee_kind, Nomination.position,
               Nomination.birth_year, Nomination.nominee_address, Nomination.award_type_code,
               AwardType.name.label("award_name"), Nomination.status.label("nomination_status"),
               Nomination.appraisal_conclusion, Nomination.appraisal_note)
        .select_from(Dossier)
        .join(Unit, Unit.id == Dossier.submitting_unit_id)
        .outerjoin(Cluster, Cluster.id == Dossier.cluster_id)
        .outerjoin(Round, Round.id == Dossier.round_id)
        .outerjoin(Nomination, on)
        .outerjoin(AwardType, AwardType.code == Nomination.award_type_code)
        .where(Dossier.id.in_(ids.order_by(None)))
        .order_by(Dossier.id, Nomination.id)
    )  # fmt: skip
    records = await _bounded(session, stmt)
    columns, rows = dossier_table(records, policies.sees_personal_data(principal))
    name = f"Danh sách hồ sơ đề nghị khen thưởng {rules.today().isoformat()}"
    return await tabular_file(fmt, "Hồ sơ", columns, rows, name)


async def tabular_file(
    fmt: str,
    sheet: str,
    columns: list[Column],
    rows: list[list[Any]],
    name: str,
    *,
    about: list[list[Any]] | None = None,
) -> ExportFile:
    """The one shape of every tabular export: CSV (ISO dates), XLSX (one header row, date
    cells, numbers as numbers; a title block `about`, if any, on a sheet of its own) or JSON
    (`{"items": [...]}` keyed by the columns' keys)."""
    # Building a file of thousands of rows takes a while: keep the event loop free.
    if fmt == "json":
        content = await asyncio.to_thread(table_json, columns, rows)
        return _file(content, JSON_TYPE, name, "json")
    headers = [c.header for c in columns]
    if fmt == "csv":
        return _file(await asyncio.to_thread(table_csv, headers, rows), CSV_TYPE, name, "csv")
    widths = [c.width for c in columns]
    hidden = [not c.printed for c in columns]
    content = await asyncio.to_thread(
        table_xlsx, sheet, headers, rows, widths, hidden=hidden, about=about
    )
    return _file(content, XLSX_TYPE, name, "xlsx")


async def export_round_nominations(
    session: AsyncSession, principal: Principal, round_id: int, status: str | None, fmt: str
) -> ExportFile:
    """The nominations of the round's dossiers that were submitted (not drafts or withdrawn
    ones), by award type; `status` keeps one nomination status (e.g. `eligible`)."""
    round_ = await get_round(session, round_id)
    nominee_unit = aliased(Unit)

    def last_vote(column):  # the latest council vote on the nomination
        return (select(column).where(MeetingResult.nomination_id == Nomination.id)
                .order_by(MeetingResult.meeting_id.desc()).limit(1).scalar_subquery())  # fmt: skip

    decision_no = (
        select(Decision.number)
        .join(DecisionItem, DecisionItem.decision_id == Decision.id)
        .where(DecisionItem.nomination_id == Nomination.id)
        .order_by(Decision.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(Nomination.id, Nomination.status, Nomination.award_type_code,
               AwardType.name.label("award_name"),
               Nomination.nominee_name, Nomination.nominee_kind,
               # A household has no position: its line shows where it lives instead.
               func.coalesce(Nomination.position, Nomination.nominee_address).label("position"),
               Nomination.achievement_summary, Nomination.appraisal_conclusion,
               Nomination.appraisal_note, nominee_unit.name.label("nominee_unit_name"),
               Unit.name.label("unit_name"),
               last_vote(MeetingResult.approve_percent).label("approve_percent"),
               last_vote(MeetingResult.threshold_percent).label("threshold_percent"),
               decision_no.label("decision_no"))
        .select_from(Nomination)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .join(Unit, Unit.id == Dossier.submitting_unit_id)
        .outerjoin(nominee_unit, nominee_unit.id == Nomination.nominee_unit_id)
        .outerjoin(AwardType, AwardType.code == Nomination.award_type_code)
        .where(Dossier.round_id == round_id, Dossier.status.not_in(NOT_RECEIVED))
        .order_by(AwardType.position, Nomination.award_type_code, Nomination.nominee_kind,
                  Dossier.id, Nomination.id)
    )  # fmt: skip
    if status is not None:
        stmt = stmt.where(Nomination.status == status)
    records = await _bounded(session, policies.dossier_scope(stmt, principal))
    personal = policies.sees_personal_data(principal)
    groups = group_by_award([_listed(r, personal) for r in records])
    name = f"Danh sách đề nghị khen thưởng - {round_.name}"
    if fmt == "docx":
        content = await asyncio.to_thread(nominations_docx, round_.name, groups)
        return _file(content, DOCX_TYPE, name, "docx")
    if fmt == "json":
        content = await asyncio.to_thread(table_json, ROUND_COLUMNS, nominations_rows(groups))
        return _file(content, JSON_TYPE, name, "json")
    content = await asyncio.to_thread(nominations_xlsx, round_.name, groups)
    return _file(content, XLSX_TYPE, name, "xlsx")


async def _bounded(session: AsyncSession, stmt: Select) -> list[Any]:
    rows = (await session.execute(stmt.limit(EXPORT_MAX_ROWS + 1))).all()
    if len(rows) > EXPORT_MAX_ROWS:
        raise Unprocessable(
            f"Danh sách có hơn {EXPORT_MAX_ROWS} dòng, quá lớn để xuất một lần; hãy thu hẹp "
            "bộ lọc (đợt, đơn vị, trạng thái...).",
            code="export_too_large",
        )
    return list(rows)


def _listed(row: Any, personal: bool) -> ListedNomination:
    return ListedNomination(
        award_type_code=row.award_type_code,
        award_name=row.award_name or row.award_type_code,
        nominee_name=row.nominee_name,
        nominee_kind=row.nominee_kind,
        position=row.position if personal else None,
        unit_name=row.nominee_unit_name or row.unit_name,
        # A person's or a household's own account is personal data; a collective's is not.
        achievement_summary=(
            row.achievement_summary or ""
            if personal or row.nominee_kind == NomineeKind.COLLECTIVE
            else ""
        ),
        note=standing_note(row),
        nomination_id=row.id,
        status=row.status,
        approve_percent=row.approve_percent,
        threshold_percent=row.threshold_percent,
        decision_no=row.decision_no,
    )


def _percent(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def standing_note(row: Any) -> str:
    """Where a nominee stands now: its status first — a nominee found ineligible, rejected
    by the council or withdrawn is never printed as eligible — then the appraisal's note, the
    council's share against its threshold, and the decision's number."""
    if row.status in (NominationStatus.SUBMITTED, NominationStatus.DRAFT) and (
        row.appraisal_conclusion is None
    ):
        parts = ["Chưa thẩm định"]
    else:
        label = NominationStatus.display_of(row.status) or ""
        parts = [label[:1].upper() + label[1:]]
    if row.appraisal_note:
        parts[0] = f"{parts[0]}: {row.appraisal_note}"
    if row.approve_percent is not None:
        parts.append(f"Hội đồng tán thành {_percent(row.approve_percent)}% "
                     f"(ngưỡng {_percent(row.threshold_percent)}%)")  # fmt: skip
    if row.decision_no:
        parts.append(f"Số quyết định: {row.decision_no}")
    return "; ".join(parts)


# ---- pure builders ---------------------------------------------------------------------------


def conclusion_text(conclusion: str | None, note: str | None) -> str:
    if conclusion is None:
        return "Chưa thẩm định"
    label = NominationStatus.display_of(conclusion)
    return f"{label}: {note}" if note else label


def local_date(moment: datetime | None) -> date | None:
    """The calendar day in Vietnam of a stored UTC moment."""
    return moment.astimezone(VIETNAM_TZ).date() if moment is not None else None


def dossier_table(records: list[Any], personal: bool) -> tuple[list[Column], list[list[Any]]]:
    """Columns and rows of the dossier export; readers get no position or birth year. Ids
    and codes stand beside the Vietnamese labels, so a script can join and filter on them."""
    keep = [personal or not c.personal for c in DOSSIER_COLUMNS]
    columns = [c for c, k in zip(DOSSIER_COLUMNS, keep, strict=True) if k]
    rows = []
    for r in records:
        nominated = r.nominee_name is not None
        row = [
            r.id, r.code, r.submitting_unit_id, r.unit_name, r.cluster_name, r.round_id,
            r.round_name, r.kind, DOSSIER_KIND.get(r.kind, r.kind), r.status,
            DossierStatus.display_of(r.status), local_date(r.submitted_at), r.nomination_id,
            r.nominee_name, r.nominee_kind, NomineeKind.display_of(r.nominee_kind), r.position,
            r.birth_year, r.nominee_address, r.award_type_code, r.award_name or r.award_type_code,
            r.nomination_status, NominationStatus.display_of(r.nomination_status),
            conclusion_text(r.appraisal_conclusion, r.appraisal_note) if nominated else None,
        ]  # fmt: skip
        rows.append([cell for cell, k in zip(row, keep, strict=True) if k])
    return columns, rows


def group_by_award(items: list[ListedNomination]) -> list[tuple[str, list[ListedNomination]]]:
    """Consecutive items of one award type (the query orders them) as (award name, items)."""
    return [
        (group[0].award_name, group)
        for group in (list(g) for _, g in groupby(items, key=lambda i: i.award_type_code))
    ]


PRINTED_YES = "Có"


def xlsx_text(value: Any) -> Any:
    """A cell value openpyxl accepts: no control characters it refuses; a yes/no printed for a
    person ("Có", or an empty cell), never TRUE/FALSE (CSV and JSON keep true/false)."""
    if isinstance(value, bool):
        return PRINTED_YES if value else None
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xml_text(value: str | None) -> str:
    """Text python-docx can write: no character XML 1.0 forbids."""
    return _XML_INVALID.sub("", value or "")


def _iso(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def table_json(columns: list[Column], rows: list[list[Any]]) -> bytes:
    """The rows as `{"items": [...]}`, each an object keyed by the columns' keys; dates ISO."""
    keys = [c.key for c in columns]
    items = [dict(zip(keys, row, strict=True)) for row in rows]
    return json.dumps({"items": items}, ensure_ascii=False, default=_iso).encode()


def csv_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if not isinstance(value, str):
        return "" if value is None else value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def table_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([csv_text(cell) for cell in row] for row in rows)
    # The BOM lets Excel open the Vietnamese text as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([xlsx_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(
    title: str,
    headers: list[str],
    rows: list[list[Any]],
    widths: list[int],
    hidden: list[bool] | None = None,
    about: list[list[Any]] | None = None,
) -> bytes:
    """The data sheet first: a bold header row (frozen, filterable) and the rows under it, so
    a script reads it with no rows to skip; `hidden` columns (ids, codes) stay in the data but
    out of the printed page; the title block `about`, if any, on a sheet of its own
    ("Thông tin"), its first line in bold."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, row)
    hidden = hidden or [False] * len(widths)
    for index, (width, hide) in enumerate(zip(widths, hidden, strict=True), start=1):
        dimension = sheet.column_dimensions[sheet.cell(1, index).column_letter]
        dimension.width, dimension.hidden = width, hide
    fit_row_heights(sheet, [0 if hide else w for w, hide in zip(widths, hidden, strict=True)])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    print_ready(sheet)
    if about:
        info = workbook.create_sheet("Thông tin")
        for row in about:
            _append(info, row)
        info["A1"].font = Font(name=PRINT_FONT, bold=True, size=14)
        info.column_dimensions["A"].width = 60 if max(map(len, about)) == 1 else 32
        info.column_dimensions["B"].width = 60
    return _save(workbook)


def _position_and_unit(item: ListedNomination) -> str:
    """'Phó Giám đốc, Sở Tài chính' — but the unit once: a position that already names it
    ('Giám đốc Sở Tài chính') is not followed by it again."""
    if item.position and item.unit_name and fold(item.unit_name) in fold(item.position):
        return item.position
    return ", ".join(part for part in (item.position, item.unit_name) if part)


ROUND_COLUMNS = [
    Column("nomination_id", "Mã đề nghị", 11), Column("stt", "STT", 6),
    Column("award_type_code", "Mã danh hiệu", 22), Column("award_name", "Danh hiệu/hình thức", 30),
    Column("nominee_name", "Họ và tên / Tên tập thể", 28),
    Column("position_and_unit", "Chức vụ, đơn vị", 30),
    Column("achievement_summary", "Tóm tắt thành tích", 50), Column("status", "Trạng thái", 16),
    Column("status_label", "Tên trạng thái", 22),
    Column("approve_percent", "Tỷ lệ tán thành (%)", 12),
    Column("threshold_percent", "Ngưỡng (%)", 10), Column("decision_no", "Số quyết định", 18),
    Column("note", "Ghi chú", 40),
]  # fmt: skip
ROUND_XLSX_COLUMNS = tuple((c.header, c.width) for c in ROUND_COLUMNS)


def nominations_rows(groups: list[tuple[str, list[ListedNomination]]]) -> list[list[Any]]:
    """The danh sách's data rows, STT restarting with each award type."""
    return [
        [item.nomination_id, number, item.award_type_code, award_name, item.nominee_name,
         _position_and_unit(item), item.achievement_summary, item.status,
         NominationStatus.display_of(item.status), item.approve_percent,
         item.threshold_percent, item.decision_no, item.note]
        for award_name, items in groups
        for number, item in enumerate(items, start=1)
    ]  # fmt: skip


def nominations_xlsx(round_name: str, groups: list[tuple[str, list[ListedNomination]]]) -> bytes:
    """The data sheet with one header row at the top: ids and codes beside the Vietnamese
    labels, shares as numbers, STT restarting per award type; the title block on a sheet of
    its own ("Thông tin")."""
    total = sum(len(items) for _, items in groups)
    about = [[LIST_TITLE], [round_name], [f"Tổng số: {total} đề nghị"]]
    headers = [header for header, _ in ROUND_XLSX_COLUMNS]
    widths = [width for _, width in ROUND_XLSX_COLUMNS]
    return table_xlsx("Danh sách đề nghị", headers, nominations_rows(groups), widths, about=about)


PRINT_FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")


LINE_POINTS = 15  # one line of 11 pt text


def fit_row_heights(sheet: Any, widths: list[int]) -> None:
    """Give each row the height its longest wrapped cell needs: LibreOffice and Excel print a
    row at its stored height, so wrapped text without one overprints the next row. The count
    of lines is estimated from the text length and the column's width in characters."""
    for row in sheet.iter_rows(min_row=1):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            if width and isinstance(cell.value, str):
                # A width counts digits of the default font; Times New Roman text fits ~1.3×.
                usable = max(int(width * 1.3) - 2, 1)
                lines = max(lines, sum(-(-len(part) // usable) or 1
                                       for part in cell.value.split("\n")))  # fmt: skip
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = min(lines, 30) * LINE_POINTS


def print_ready(sheet: Any, *, landscape: bool = True) -> None:
    """Set a data sheet up to print as an official would: A4 (landscape where wide), one page
    wide, the header row repeated on every page, thin borders, Times New Roman."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            cell.border = border
            cell.font = Font(name=PRINT_FONT, size=11, bold=cell.row == 1)


def roman(number: int) -> str:
    """1 → I, 4 → IV, 14 → XIV: the numbering of sections in Vietnamese documents."""
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _paragraph(document: Any, text: str, *, bold: bool = False, size: int = 13, center=False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(xml_text(text))
    run.bold, run.font.size = bold, Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _nomination_table(document: Any, items: list[ListedNomination]) -> None:
    table = document.add_table(rows=1, cols=len(LIST_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, LIST_HEADERS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    for number, item in enumerate(items, start=1):
        values = (str(number), item.nominee_name, _position_and_unit(item),
                  item.achievement_summary, item.note)  # fmt: skip
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = xml_text(value)
    for column, width in zip(table.columns, LIST_WIDTHS_CM, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)


def nominations_docx(round_name: str, groups: list[tuple[str, list[ListedNomination]]]) -> bytes:
    """The danh sách as a landscape A4 Word document: the title and the round, then one
    numbered section and table per award type."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.styles["Normal"].font.name = "Times New Roman"
    _paragraph(document, LIST_TITLE, bold=True, size=14, center=True)
    _paragraph(document, round_name, bold=True, center=True)
    total = sum(len(items) for _, items in groups)
    _paragraph(document, f"(Tổng số: {total} đề nghị)", center=True)
    if not groups:
        _paragraph(document, "Không có đề nghị nào phù hợp.")
    for index, (award_name, items) in enumerate(groups, start=1):
        _paragraph(document, f"{roman(index)}. {award_name.upper()} ({len(items)})", bold=True)
        _nomination_table(document, items)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _file(content: bytes, media_type: str, name: str, extension: str) -> ExportFile:
    """A download name safe on every system, and its ASCII form for old clients."""
    name = re.sub(r"\s+", " ", _UNSAFE_NAME.sub("-", name)).strip(" .-")[:150] or "tdkt"
    ascii_name = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:150] or "tdkt"
    return ExportFile(content, media_type, f"{name}.{extension}", f"{ascii_name}.{extension}")
