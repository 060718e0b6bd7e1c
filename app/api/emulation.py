"""Cluster emulation (thi đua cụm, khối): the scoring table of a cluster's year, the members'
self-scoring, the head's verification, the ranking, the cluster's result, and Sở Nội vụ's view
of every cluster."""

from typing import Annotated, Literal

from fastapi import Query, Response, status

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, IfMatch, Listed, OptionalIfMatch, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import (
    CONFLICT,
    CREATED,
    NOT_FOUND,
    VERSIONED,
    content_disposition,
    envelope,
    set_etag,
)
from app.api.routing import feature_router
from app.core.principal import Principal
from app.schemas.common import Id, ListEnvelope
from app.schemas.emulation import (
    Adjustment,
    ClusterProgress,
    ClusterResultRead,
    Disagreement,
    Ranking,
    ResultCreate,
    SheetRead,
    SheetSave,
    TableCreate,
    TableRead,
    TableStatus,
    TableUpdate,
)
from app.services import emulation
from app.services.documents.render import DOCX_TYPE, PDF_TYPE
from app.services.dossiers.exports import JSON_TYPE, XLSX_TYPE
from app.services.emulation.ranking import PROGRESS_SORTING
from app.services.emulation.sheets import SCORE_SHEET_SORTING
from app.services.emulation.tables import SCORE_TABLE_SORTING

router = feature_router(tags=["emulation"])
_CHANGE = {**NOT_FOUND, **CONFLICT, **VERSIONED}


async def _sheet_read(session, principal: Principal, sheet) -> dict:
    totals = await emulation.sheet_totals(session, [sheet.id])
    return emulation.sheet_view(sheet, principal, totals)


@router.get(
    "/emulation/tables", summary="List the scoring tables", response_model=ListEnvelope[TableRead]
)
async def list_score_tables(
    session: SessionDep,
    principal: Allowed("emulation.list_tables"),
    page: PageDep,
    listing: Listed(SCORE_TABLE_SORTING),
    fields: Fields(TableRead),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    cluster_id: Id | None = None,
    status: TableStatus | None = None,
):
    """Scoring tables the caller may see: a unit its clusters', a cluster head its cluster's, a
    council member the clusters it monitors, Sở Nội vụ and readers all."""
    filters = {"year": year, "cluster_id": cluster_id, "status": status}
    result = await emulation.list_tables(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result, [emulation.table_view(t) for t in result.items]))


@router.post(
    "/emulation/tables",
    summary="Draft a cluster's scoring table",
    response_model=TableRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT, **CREATED},
)
async def create_score_table(
    session: SessionDep,
    principal: Allowed("emulation.create_table"),
    body: TableCreate,
    response: Response,
):
    """A draft table (bảng điểm) for a cluster's year: groups of criteria with their maximum
    points, bonus (`bonus`) and penalty (`penalty`) criteria, the evidence each needs, the
    deadline and the tie rule. Without `groups`, `copy_from_id` copies another table's criteria
    (last year's). One table per cluster (409 `duplicate_score_table`); a change after scoring
    started is a new revision (`POST /emulation/tables/{id}/revise`)."""
    table = await emulation.create_table(session, principal, body)
    response.headers["Location"] = f"/api/v1/emulation/tables/{table.id}"
    set_etag(response, table.version)
    return emulation.table_view(table)


@router.get(
    "/emulation/tables/{table_id}",
    summary="Read a scoring table",
    response_model=TableRead,
    responses=NOT_FOUND,
)
async def get_score_table(
    session: SessionDep,
    principal: Allowed("emulation.read_table"),
    table_id: Id,
    response: Response,
):
    """One scoring table (bảng điểm thi đua) with its groups of criteria and its status."""
    table = await emulation.get_table(session, principal, table_id)
    set_etag(response, table.version)
    return emulation.table_view(table)


@router.patch(
    "/emulation/tables/{table_id}",
    summary="Change a draft scoring table",
    response_model=TableRead,
    responses=_CHANGE,
)
async def update_score_table(
    session: SessionDep,
    principal: Allowed("emulation.update_table"),
    table_id: Id,
    body: TableUpdate,
    expected: IfMatch,
    response: Response,
):
    """Amend a draft table (`groups` replaces every criterion); once scoring started it is
    frozen: 409 `score_table_frozen`."""
    table = await emulation.update_table(session, principal, table_id, body, expected)
    set_etag(response, table.version)
    return emulation.table_view(table)


async def _open(call: ActionCall) -> dict:
    table = await emulation.open_table(call.session, call.principal, call.id, call.expected)
    set_etag(call.response, table.version)
    return emulation.table_view(table)


add_action_route(
    router, "/emulation/tables/{table_id}/open", _open, name="open_score_table",
    summary="Open a scoring table for scoring",
    action="emulation.open_table", response_model=TableRead, responses=_CHANGE,
    doc="`draft → scoring`: members may score; the table is frozen. A revision that opens "
    "supersedes the revision being scored.",
)  # fmt: skip


@router.post(
    "/emulation/tables/{table_id}/revise",
    summary="Draft a revision of a scoring table",
    response_model=TableRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT, **CREATED},
)
async def revise_score_table(
    session: SessionDep,
    principal: Allowed("emulation.revise_table"),
    table_id: Id,
    response: Response,
):
    """A new draft revision of a table being scored, with its criteria, to amend and open in its
    place (members then score the new revision)."""
    table = await emulation.revise_table(session, principal, table_id)
    response.headers["Location"] = f"/api/v1/emulation/tables/{table.id}"
    set_etag(response, table.version)
    return emulation.table_view(table)


@router.get(
    "/emulation/tables/{table_id}/sheets",
    summary="List a table's score sheets",
    response_model=ListEnvelope[SheetRead],
    responses=NOT_FOUND,
)
async def list_score_sheets(
    session: SessionDep,
    principal: Allowed("emulation.list_sheets"),
    table_id: Id,
    page: PageDep,
    listing: Listed(SCORE_SHEET_SORTING),
    fields: Fields(SheetRead),
):
    """The table's sheets the caller may see: a unit its own, the head and the council members
    who monitor the cluster all of them; readers get totals only (`entries` null)."""
    result = await emulation.list_sheets(
        session, principal, table_id, page.limit, page.offset, listing=listing
    )
    totals = await emulation.sheet_totals(session, [s.id for s in result.items])
    return fields.apply(
        envelope(result, [emulation.sheet_view(s, principal, totals) for s in result.items])
    )


@router.put(
    "/emulation/tables/{table_id}/sheets/mine",
    summary="Save one's own score sheet",
    response_model=SheetRead,
    responses={**NOT_FOUND, **CONFLICT, 412: VERSIONED[412]},
)
async def save_own_score_sheet(
    session: SessionDep,
    principal: Allowed("emulation.save_sheet"),
    table_id: Id,
    body: SheetSave,
    expected: OptionalIfMatch,
    response: Response,
):
    """The member unit's scores (`points` ≤ the criterion's maximum, two decimals at most),
    with a short explanation and its papers per criterion; each save replaces the last, until
    the unit submits."""
    sheet = await emulation.save_own_sheet(session, principal, table_id, body, expected)
    set_etag(response, sheet.version)
    return await _sheet_read(session, principal, sheet)


async def _submit(call: ActionCall) -> dict:
    sheet = await emulation.submit_own_sheet(call.session, call.principal, call.id, call.expected)
    set_etag(call.response, sheet.version)
    return await _sheet_read(call.session, call.principal, sheet)


add_action_route(
    router, "/emulation/tables/{table_id}/sheets/mine/submit", _submit,
    name="submit_own_score_sheet", summary="Submit one's own score sheet",
    action="emulation.submit_sheet", response_model=SheetRead, responses=_CHANGE,
    doc="`draft → submitted`: every base criterion scored (422 `incomplete_score_sheet`), papers "
    "where the table asks for evidence (422 `missing_evidence`). After `scoring_due_on` the "
    "sheet is still taken, with `late: true`.",
)  # fmt: skip


@router.get(
    "/emulation/sheets/{sheet_id}",
    summary="Read a score sheet",
    response_model=SheetRead,
    responses=NOT_FOUND,
)
async def get_score_sheet(
    session: SessionDep,
    principal: Allowed("emulation.read_sheet"),
    sheet_id: Id,
    response: Response,
):
    """One sheet with each criterion's score, the head's change and reason, and the unit's
    disagreement."""
    sheet = await emulation.get_sheet(session, principal, sheet_id)
    set_etag(response, sheet.version)
    return await _sheet_read(session, principal, sheet)


async def _adjust(call: ActionCall) -> dict:
    sheet = await emulation.adjust_score(
        call.session, call.principal, call.id, call.body, call.expected
    )
    set_etag(call.response, sheet.version)
    return await _sheet_read(call.session, call.principal, sheet)


add_action_route(
    router, "/emulation/sheets/{sheet_id}/adjustments", _adjust, name="adjust_score",
    summary="Change a criterion's score on a sheet",
    action="emulation.adjust_score", body=Adjustment, body_required=True,
    response_model=SheetRead, responses=_CHANGE,
    doc="The cluster head changes one criterion's score of a submitted sheet, with the reason "
    "the unit will read (`verified_points`, `adjustment_reason`).",
)  # fmt: skip


async def _verify(call: ActionCall) -> dict:
    sheet = await emulation.verify_sheet(call.session, call.principal, call.id, call.expected)
    set_etag(call.response, sheet.version)
    return await _sheet_read(call.session, call.principal, sheet)


add_action_route(
    router, "/emulation/sheets/{sheet_id}/verify", _verify, name="verify_score_sheet",
    summary="Verify a score sheet",
    action="emulation.verify_sheet", response_model=SheetRead, responses=_CHANGE,
    doc="`submitted → verified` by the cluster head: the sheet's total counts as final.",
)  # fmt: skip


async def _dispute(call: ActionCall) -> dict:
    sheet = await emulation.dispute_score(
        call.session, call.principal, call.id, call.body, call.expected
    )
    set_etag(call.response, sheet.version)
    return await _sheet_read(call.session, call.principal, sheet)


add_action_route(
    router, "/emulation/sheets/{sheet_id}/disagreements", _dispute, name="dispute_score",
    summary="Disagree with a changed score",
    action="emulation.dispute_score", body=Disagreement, body_required=True,
    response_model=SheetRead, responses=_CHANGE,
    doc="The unit records that it disagrees with the head's change of one criterion (409 "
    "`score_not_adjusted` when there was none); kept on the sheet and in the audit log.",
)  # fmt: skip


@router.get(
    "/emulation/tables/{table_id}/ranking",
    summary="Compute a table's ranking",
    response_model=Ranking,
    responses={**NOT_FOUND, **CONFLICT},
)
async def score_ranking(session: SessionDep, principal: Allowed("emulation.ranking"), table_id: Id):
    """The ranking computed from the submitted sheets (the head's changes applied, penalties
    subtracted), ties broken by the table's rule; RANK() numbering, so tied units share a place.
    A member unit sees it once the head has published it (409 `ranking_not_published`)."""
    return await emulation.ranking(session, principal, table_id)


async def _publish(call: ActionCall) -> dict:
    table = await emulation.publish(call.session, call.principal, call.id, call.expected)
    set_etag(call.response, table.version)
    return emulation.table_view(table)


add_action_route(
    router, "/emulation/tables/{table_id}/publish", _publish, name="publish_ranking",
    summary="Publish a table's ranking",
    action="emulation.publish_ranking", response_model=TableRead, responses=_CHANGE,
    doc="`scoring → published` by the cluster head once every submitted sheet is verified "
    "(409 `sheets_not_verified`); member units then see the ranking.",
)  # fmt: skip


async def _result(call: ActionCall) -> dict:
    rows, dossier = await emulation.record_result(
        call.session, call.principal, call.id, call.body, call.expected
    )
    return {
        "table_id": call.id, "dossier_id": dossier.id,
        "standings": [emulation.standing_view(r) for r in rows],
    }  # fmt: skip


add_action_route(
    router, "/emulation/tables/{table_id}/result", _result, name="record_cluster_result",
    summary="Record the cluster's emulation result",
    action="emulation.record_result", body=ResultCreate, body_required=True,
    response_model=ClusterResultRead, status_code=status.HTTP_201_CREATED, responses=_CHANGE,
    doc="The cluster's decision on its published ranking (`published → decided`): the leading "
    "unit, which must be a highest scorer (422 `leader_not_top_scorer`), and the units proposed "
    "for Bằng khen. Every ranked unit's standing is kept (the `cluster_leader` criterion of Cờ "
    "thi đua reads it), and a draft cluster dossier in `round_id` holds the nominations for the "
    "head to complete and submit.",
)  # fmt: skip


@router.get(
    "/emulation/tables/{table_id}/result",
    summary="Read the cluster's recorded result",
    response_model=ClusterResultRead,
    responses=NOT_FOUND,
)
async def get_cluster_result(
    session: SessionDep, principal: Allowed("emulation.read_result"), table_id: Id
):
    """The recorded standings (empty before the result is recorded)."""
    await emulation.get_table(session, principal, table_id)
    rows = await emulation.result_of(session, table_id)
    return {
        "table_id": table_id, "dossier_id": rows[0].dossier_id if rows else None,
        "standings": [emulation.standing_view(r) for r in rows],
    }  # fmt: skip


@router.get(
    "/emulation/tables/{table_id}/export",
    summary="Export a table's score summary",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {
            "description": "Bảng tổng hợp điểm (XLSX, CSV, JSON, DOCX hoặc PDF)",
            "content": {XLSX_TYPE: {}, "text/csv": {}, JSON_TYPE: {}, DOCX_TYPE: {}, PDF_TYPE: {}},
        },
    },
)
async def export_scores(
    session: SessionDep,
    principal: Allowed("emulation.export_scores"),
    table_id: Id,
    format_: Annotated[
        Literal["xlsx", "csv", "json", "docx", "pdf"], Query(alias="format")
    ] = "xlsx",
):
    """The bảng tổng hợp điểm. `xlsx`, `csv`, `json`: one row per ranked unit in ranking
    order (units whose sheet is not submitted are left out), one header row on the data
    sheet (the title block on the sheet "Thông tin"), points as numbers, dates as date cells
    (ISO in CSV), `late` true/false. `json` gives `{"items": [...]}` keyed rank, unit_id,
    unit, sheet_id, sheet_status, sheet_status_label, one `criterion_<code>` per criterion
    (points after verification; a penalty's points are subtracted from the total),
    self_total, total, late, submitted_on, verified_on. `docx` (or `pdf`, 503
    `pdf_unavailable` without LibreOffice): the paper for the head to sign, in the layout
    of NĐ 30/2020 from the template `bang-tong-hop-diem` (Sở Nội vụ may upload its own): the
    ranking, then each unit's points per criterion, self-scored and verified, with reasons."""
    exported = await emulation.export_scores(session, principal, table_id, format_)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={
            "Content-Disposition": content_disposition(exported.filename, exported.ascii_filename),
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/emulation/progress",
    summary="Follow the scoring progress of every cluster",
    response_model=ListEnvelope[ClusterProgress],
)
async def emulation_progress(
    session: SessionDep,
    principal: Allowed("emulation.progress"),
    page: PageDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    listing: Listed(PROGRESS_SORTING),
    fields: Fields(ClusterProgress, key="cluster_id"),
):
    """Every cluster of `year` for Sở Nội vụ: its table and status, members, sheets submitted,
    late, verified and missing, whether the deadline passed with sheets missing, and the
    leading unit once the result is recorded. `updated_at` (what `updated_since` compares
    with) is the latest change of the cluster, its tables or its members' sheets."""
    result, items = await emulation.progress(session, year, page.limit, page.offset, listing)
    return fields.apply(envelope(result, items))
