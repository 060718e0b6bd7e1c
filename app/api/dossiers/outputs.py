"""What the dossiers give out: the dossier report (báo cáo tổng hợp), the dossier list as a
spreadsheet and a round's "danh sách đề nghị khen thưởng" as a Word document or spreadsheet.

Registered before the dossiers router so that `/dossiers/export` is not read as a dossier id.
"""

from typing import Annotated, Any, Literal

from fastapi import Query, Response
from pydantic_core import to_json

from app.api.deps import Allowed, DossierFilters, SessionDep
from app.api.responses import NOT_FOUND, content_disposition
from app.api.routing import feature_router
from app.schemas.common import Id
from app.schemas.dossiers import DossierReport, NominationStatus
from app.services.dossiers import exports as dossier_exports
from app.services.dossiers import reports as dossier_reports
from app.services.dossiers.exports import DOCX_TYPE, JSON_TYPE, XLSX_TYPE, ExportFile

router = feature_router()
CSV = "text/csv"


def _download(exported: ExportFile) -> Response:
    disposition = content_disposition(exported.filename, exported.ascii_filename)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


def _file_responses(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {t: {} for t in media_types}}}


@router.get(
    "/reports/dossiers",
    summary="Count the dossiers of a round or year",
    response_model=DossierReport,
    responses=NOT_FOUND,
    tags=["reports"],
)
async def dossier_report(
    session: SessionDep,
    principal: Allowed("dossier.report"),
    round_id: Annotated[int | None, Query(description="Một đợt xét khen thưởng")] = None,
    year: Annotated[int | None, Query(ge=1945, le=2100, description="Năm của hồ sơ")] = None,
):
    """Counts of the dossiers of a round (`round_id`) or a year (`year`; one is required, 422
    `report_scope_required` otherwise, both narrow to both), over what the caller may see: a
    unit counts its own dossiers, a cluster head its cluster's, a council member the clusters
    it monitors and its agendas. Dossiers by status; their nominations by status and kind
    (cá nhân / tập thể / hộ gia đình), `approved` (now `approved`, `awarded` or
    `submitted_to_state`) and `awarded`; per award type also `eligible` (concluded eligible
    by the appraisal); per cluster (`cluster_id` null: no cụm/khối) and per submitting unit,
    dossiers and nominations. Every status of dossier counts, drafts and withdrawn ones included."""
    report = await dossier_reports.dossier_report(session, principal, round_id, year)
    # Plain values named and ordered as `DossierReport` writes them: a round's report lists
    # every submitting unit (24,000 at national scale), written once rather than validated
    # into models and back.
    return Response(to_json(report), media_type="application/json")


@router.get(
    "/dossiers/export",
    summary="Export the dossiers as a spreadsheet",
    response_class=Response,
    tags=["dossiers"],
    responses=_file_responses(
        "Tệp XLSX, CSV (UTF-8) hoặc JSON, mỗi dòng một đề nghị", XLSX_TYPE, CSV, JSON_TYPE
    ),
)
async def export_dossiers(
    session: SessionDep,
    principal: Allowed("dossier.export"),
    filters: DossierFilters,
    format_: Annotated[Literal["xlsx", "csv", "json"], Query(alias="format")] = "xlsx",
):
    """The dossiers `GET /dossiers` lists with the same filters and scope, all at once, one
    row per nomination (a dossier without nominations: one row with empty nomination cells;
    with `award_type_code`, only the nominations of that award type). One header row; ids
    and codes beside the Vietnamese labels; dates as date cells (XLSX) or ISO dates (CSV).
    `format=json` gives the same rows as `{"items": [...]}` keyed dossier_id, code,
    submitting_unit_id, submitting_unit, cluster, round_id, round, kind, kind_label, status,
    status_label, submitted_on, nomination_id, nominee_name, nominee_kind,
    nominee_kind_label, position, birth_year, nominee_address, award_type_code, award_name,
    nomination_status, nomination_status_label, appraisal; readers get no position,
    birth_year and household address (Chức vụ, Năm sinh, Địa chỉ). More than 50,000 rows is
    422 `export_too_large`."""
    return _download(await dossier_exports.export_dossiers(session, principal, filters, format_))


@router.get(
    "/rounds/{round_id}/nominations/export",
    summary="Export the round's list of proposed awards",
    response_class=Response,
    tags=["rounds"],
    responses={
        **NOT_FOUND,
        **_file_responses(
            "Danh sách đề nghị khen thưởng (DOCX, XLSX hoặc JSON)", DOCX_TYPE, XLSX_TYPE, JSON_TYPE
        ),
    },
)
async def export_round_nominations(
    session: SessionDep,
    principal: Allowed("round.export_nominations"),
    round_id: Id,
    format_: Annotated[Literal["docx", "xlsx", "json"], Query(alias="format")] = "docx",
    status: Annotated[
        NominationStatus | None, Query(description="Chỉ các đề nghị ở trạng thái này")
    ] = None,
):
    """The "danh sách đề nghị khen thưởng" of the round: the nominations of its dossiers that
    were submitted (drafts and withdrawn dossiers are left out), grouped by award type.
    DOCX: the title, the round's name, then a section per danh hiệu / hình thức with a table
    STT, Họ và tên / Tên tập thể, Chức vụ, đơn vị, Tóm tắt thành tích, Ghi chú (kết luận thẩm
    định). XLSX: the data sheet with one header row (ids and codes beside the labels, shares
    as numbers; STT restarts with each award type), the title block on the sheet "Thông
    tin". JSON: the XLSX rows as `{"items": [...]}` keyed
    nomination_id, stt, award_type_code, award_name, nominee_name, position_and_unit,
    achievement_summary, status, status_label, approve_percent, threshold_percent,
    decision_no, note. Readers get names and units, no position."""
    exported = await dossier_exports.export_round_nominations(
        session, principal, round_id, status, format_
    )
    return _download(exported)
