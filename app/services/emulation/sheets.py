"""Score sheets (bản tự chấm điểm): a member unit scores itself against its cluster's table,
with an explanation and papers per criterion, and submits by the deadline; the cluster head
(Trưởng khối) verifies, changing a score only with a reason the unit sees; the unit may record
that it disagrees."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.clock import utcnow
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, flush_or_conflict, paginate, touch
from app.core.principal import UNIT, Principal
from app.core.statuses import ScoreSheetStatus, ScoreTableStatus
from app.core.text import nfc
from app.core.working_days import today_in_vietnam
from app.models import (
    Cluster,
    ClusterMembership,
    ScoreCriterion,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
)
from app.schemas.emulation import Adjustment, Disagreement, SheetSave
from app.services import audit, directory, permissions, policies, workflow
from app.services.emulation.points import from_centi, to_centi
from app.services.emulation.ranking import totals_query
from app.services.emulation.tables import get_table
from app.services.policies import score_sheet_scope, sees_score_details
from app.services.tasks.reports import unit_papers

SHEET_FIELDS = ("table_id", "unit_id", "status", "submitted_at", "late", "verified_at")


def entry_view(e: ScoreEntry) -> dict[str, Any]:
    return {
        "criterion_id": e.criterion_id,
        "points": from_centi(e.self_centipoints),
        "explanation": e.explanation,
        "attachment_ids": list(e.attachment_ids or []),
        "verified_points": from_centi(e.verified_centipoints),
        "adjustment_reason": e.adjustment_reason,
        "disagreement": e.disagreement,
    }


def sheet_view(sheet: ScoreSheet, principal: Principal, totals: dict[int, dict]) -> dict[str, Any]:
    """A sheet with its totals; its entries for everyone but readers (totals only)."""
    view = {
        "id": sheet.id, "table_id": sheet.table_id, "cluster_id": sheet.cluster_id,
        "unit_id": sheet.unit_id, "status": sheet.status, "submitted_at": sheet.submitted_at,
        "late": sheet.late, "verified_at": sheet.verified_at, "version": sheet.version,
        "updated_at": sheet.updated_at,
        **totals.get(sheet.id, _ZERO),
    }  # fmt: skip
    view["entries"] = (
        [entry_view(e) for e in sheet.entries] if sees_score_details(principal) else None
    )
    return view


_ZERO = {"self_total": from_centi(0), "total": from_centi(0)}


async def sheet_totals(session: AsyncSession, sheet_ids: list[int]) -> dict[int, dict]:
    """Sheet id → the unit's own total and the total after verification, summed in SQL
    (penalties subtract)."""
    if not sheet_ids:
        return {}
    rows = await session.execute(totals_query().where(ScoreSheet.id.in_(sheet_ids)))
    return {
        row.sheet_id: {"self_total": from_centi(row.self_total), "total": from_centi(row.total)}
        for row in rows
    }


def _options():
    return selectinload(ScoreSheet.entries)


async def get_sheet(session: AsyncSession, principal: Principal, sheet_id: int) -> ScoreSheet:
    stmt = score_sheet_scope(
        select(ScoreSheet).options(_options()).where(ScoreSheet.id == sheet_id), principal
    )
    if (sheet := await session.scalar(stmt)) is None:
        raise NotFound(f"Không tìm thấy bản chấm điểm có mã số {sheet_id}.")
    return sheet


SCORE_SHEET_SORTING = sorting(ScoreSheet, "unit_id", ["unit_id", "status", "submitted_at"])


async def list_sheets(
    session: AsyncSession,
    principal: Principal,
    table_id: int,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The table's sheets the caller may see, by unit."""
    await get_table(session, principal, table_id)
    stmt = select(ScoreSheet).options(_options()).where(ScoreSheet.table_id == table_id)
    stmt = score_sheet_scope(stmt, principal)
    return await paginate(session, SCORE_SHEET_SORTING.apply(stmt, listing), limit, offset)


async def _scoring_table(session: AsyncSession, actor: Principal, table_id: int) -> ScoreTable:
    table = await get_table(session, actor, table_id)
    member_of = await directory.cluster_of_unit(session, actor.unit_id or 0, table.year)
    if member_of != table.cluster_id:
        raise NotFound(f"Không tìm thấy bảng điểm thi đua có mã số {table_id}.")
    if table.status != ScoreTableStatus.SCORING:
        raise Conflict(
            f"Bảng điểm đang ở trạng thái “{ScoreTableStatus(table.status).label}”, không nhận "
            "bản tự chấm.",
            code="scoring_closed",
            current_status=table.status,
        )
    return table


async def _own_sheet(session: AsyncSession, actor: Principal, table: ScoreTable) -> ScoreSheet:
    sheet = await session.scalar(
        select(ScoreSheet)
        .options(_options())
        .where(ScoreSheet.table_id == table.id, ScoreSheet.unit_id == actor.unit_id)
    )
    if sheet is None:
        sheet = ScoreSheet(
            table_id=table.id, cluster_id=table.cluster_id, unit_id=actor.unit_id,
            status=ScoreSheetStatus.DRAFT, late=False,
        )  # fmt: skip
        sheet.entries = []
        session.add(sheet)
        await flush_or_conflict(session)
    return sheet


def _check_points(criterion: ScoreCriterion, points: int) -> None:
    if points > criterion.max_centipoints:
        raise Unprocessable(
            f"Tiêu chí {criterion.code} có tối đa {from_centi(criterion.max_centipoints)} điểm; "
            f"đã nhập {from_centi(points)}.",
            code="points_over_maximum",
        )


def _criteria_of(table: ScoreTable, ids: list[int]) -> dict[int, ScoreCriterion]:
    known = {c.id: c for c in table.criteria}
    if unknown := sorted({i for i in ids if i not in known}):
        raise Unprocessable(
            f"Bảng điểm không có tiêu chí mã số {unknown}.", code="unknown_criterion"
        )
    return known


async def save_own_sheet(
    session: AsyncSession, actor: Principal, table_id: int, body: SheetSave, expected: int | None
) -> ScoreSheet:
    """The unit's scores, explanations and papers, replacing what it saved before, while its
    sheet is a draft (before it submits)."""
    permissions.require(actor, "emulation.save_sheet")
    table = await _scoring_table(session, actor, table_id)
    sheet = await _own_sheet(session, actor, table)
    check_version(sheet, expected)
    if sheet.status != ScoreSheetStatus.DRAFT:
        raise Conflict(
            "Bản tự chấm đã nộp; không sửa được nữa.", code="invalid_transition",
            current_status=sheet.status,
        )  # fmt: skip
    items = body.entries
    criteria = _criteria_of(table, [i.criterion_id for i in items])
    if len({i.criterion_id for i in items}) != len(items):
        raise Unprocessable("Mỗi tiêu chí chỉ chấm một lần.", code="duplicate_criterion")
    before = _audited(sheet)
    current = {e.criterion_id: e for e in sheet.entries}
    wanted: list[ScoreEntry] = []
    for item in items:
        points = to_centi(item.points)
        _check_points(criteria[item.criterion_id], points)
        papers = await unit_papers(session, actor, item.attachment_ids)
        # The same row for the same criterion: the unique key never sees two at once.
        entry = current.get(item.criterion_id) or ScoreEntry(criterion_id=item.criterion_id)
        entry.self_centipoints = points
        entry.explanation = nfc(item.explanation)
        entry.attachment_ids = papers
        wanted.append(entry)
    sheet.entries = wanted
    await session.flush()
    touch(sheet)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "score_sheet.saved", "score_sheet", sheet.id,
        before=before, after=_audited(sheet),
    )  # fmt: skip
    return sheet


def _audited(sheet: ScoreSheet) -> dict[str, Any]:
    view = audit.snapshot(sheet, SHEET_FIELDS)
    view["entries"] = {
        str(e.criterion_id): [e.self_centipoints, e.verified_centipoints] for e in sheet.entries
    }
    return view


def _check_complete(table: ScoreTable, sheet: ScoreSheet) -> None:
    scored = {e.criterion_id: e for e in sheet.entries}
    missing = [c.code for c in table.criteria if c.kind == "base" and c.id not in scored]
    if missing:
        raise Unprocessable(
            f"Chưa chấm các tiêu chí: {', '.join(missing)}.", code="incomplete_score_sheet"
        )
    unproved = [
        c.code
        for c in table.criteria
        if c.evidence and c.id in scored and scored[c.id].self_centipoints > 0
        and c.kind != "penalty" and not scored[c.id].attachment_ids
    ]  # fmt: skip
    if unproved:
        raise Unprocessable(
            f"Các tiêu chí sau cần giấy tờ minh chứng: {', '.join(unproved)}.",
            code="missing_evidence",
        )


def _subject(sheet: ScoreSheet, table: ScoreTable) -> workflow.Subject:
    return workflow.Subject(
        "score_sheet", sheet, "score_sheet", sheet.id, unit_id=sheet.unit_id,
        cluster_id=sheet.cluster_id,
        data={"table_id": table.id, "unit_id": sheet.unit_id, "year": table.year},
    )  # fmt: skip


async def submit_own_sheet(
    session: AsyncSession, actor: Principal, table_id: int, expected: int | None
) -> ScoreSheet:
    """Submit the unit's sheet: every base criterion scored, evidence where the table asks for
    it. After the deadline it is still taken, marked late."""
    permissions.require(actor, "emulation.submit_sheet")
    table = await _scoring_table(session, actor, table_id)
    sheet = await _own_sheet(session, actor, table)
    check_version(sheet, expected)
    workflow.check_move("score_sheet", "submit", sheet.status, obj=sheet)
    _check_complete(table, sheet)
    late = today_in_vietnam() > table.scoring_due_on
    await workflow.transition(
        session, actor, _subject(sheet, table), "submit",
        changes={"submitted_at": utcnow(), "late": late}, event_data={"late": late},
    )  # fmt: skip
    return sheet


async def _submitted_sheet(
    session: AsyncSession, actor: Principal, sheet_id: int, action: str
) -> tuple[ScoreSheet, ScoreTable]:
    if actor.role == UNIT:
        # A member unit reaches the sheets of its own clusters, so that a unit that is not a
        # deputy (phó khối) allowed to verify gets a 403 that says why, not a 404.
        member_of = select(ClusterMembership.cluster_id).where(
            ClusterMembership.unit_id == actor.unit_id
        )
        stmt = (
            select(ScoreSheet)
            .options(_options())
            .where(ScoreSheet.id == sheet_id, ScoreSheet.cluster_id.in_(member_of))
        )
        if (sheet := await session.scalar(stmt)) is None:
            raise NotFound(f"Không tìm thấy bản chấm điểm có mã số {sheet_id}.")
    else:
        sheet = await get_sheet(session, actor, sheet_id)
    cluster = await session.get(
        Cluster, sheet.cluster_id, options=[selectinload(Cluster.memberships)]
    )
    review = policies.SheetReview(
        cluster_id=sheet.cluster_id, unit_id=sheet.unit_id,
        deputies_verify=cluster.deputies_verify,
        deputy_unit_ids=frozenset(cluster.deputy_head_unit_ids),
    )  # fmt: skip
    permissions.require(actor, action, review)
    table = await get_table(session, actor, sheet.table_id)
    return sheet, table


async def adjust_score(
    session: AsyncSession,
    actor: Principal,
    sheet_id: int,
    body: Adjustment,
    expected: int | None,
) -> ScoreSheet:
    """The head changes one criterion's score of a submitted sheet, with the reason."""
    permissions.require(actor, "emulation.adjust_score")
    sheet, table = await _submitted_sheet(session, actor, sheet_id, "emulation.adjust_score")
    check_version(sheet, expected)
    if sheet.status != ScoreSheetStatus.SUBMITTED or table.status != ScoreTableStatus.SCORING:
        raise Conflict(
            "Chỉ điều chỉnh điểm của bản tự chấm đã nộp và chưa thẩm tra xong.",
            code="invalid_transition", current_status=sheet.status,
        )  # fmt: skip
    criterion = _criteria_of(table, [body.criterion_id])[body.criterion_id]
    points = to_centi(body.points)
    _check_points(criterion, points)
    entry = next((e for e in sheet.entries if e.criterion_id == criterion.id), None)
    if entry is None:
        entry = ScoreEntry(criterion_id=criterion.id, self_centipoints=0, explanation="")
        sheet.entries.append(entry)
    before = {"criterion": criterion.code, "points": entry.verified_centipoints
              if entry.verified_centipoints is not None else entry.self_centipoints}  # fmt: skip
    entry.verified_centipoints = points
    entry.adjustment_reason = nfc(body.reason)
    touch(sheet)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "score_sheet.adjusted", "score_sheet", sheet.id, before=before,
        after={"criterion": criterion.code, "points": points}, comment=entry.adjustment_reason,
    )  # fmt: skip
    await audit.emit(
        session, "score_sheet.adjusted", "score_sheet", sheet.id,
        {"table_id": table.id, "unit_id": sheet.unit_id, "criterion_id": criterion.id,
         "criterion": criterion.code, "points": str(from_centi(points)),
         "reason": entry.adjustment_reason},
        unit_id=sheet.unit_id, cluster_id=sheet.cluster_id,
    )  # fmt: skip
    return sheet


async def verify_sheet(
    session: AsyncSession, actor: Principal, sheet_id: int, expected: int | None
) -> ScoreSheet:
    """The head closes the review of a submitted sheet: its total counts for the ranking."""
    permissions.require(actor, "emulation.verify_sheet")
    sheet, table = await _submitted_sheet(session, actor, sheet_id, "emulation.verify_sheet")
    check_version(sheet, expected)
    await workflow.transition(
        session, actor, _subject(sheet, table), "verify", changes={"verified_at": utcnow()}
    )
    return sheet


async def dispute_score(
    session: AsyncSession,
    actor: Principal,
    sheet_id: int,
    body: Disagreement,
    expected: int | None = None,
) -> ScoreSheet:
    """The unit records that it disagrees with the head's change of one criterion."""
    permissions.require(actor, "emulation.dispute_score")
    sheet = await get_sheet(session, actor, sheet_id)
    permissions.require(actor, "emulation.dispute_score", sheet)
    check_version(sheet, expected)
    entry = next((e for e in sheet.entries if e.criterion_id == body.criterion_id), None)
    if entry is None or entry.verified_centipoints is None:
        raise Conflict(
            "Trưởng khối chưa điều chỉnh điểm tiêu chí này; không có gì để ghi ý kiến.",
            code="score_not_adjusted",
        )
    entry.disagreement = nfc(body.reason)
    touch(sheet)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "score_sheet.disputed", "score_sheet", sheet.id,
        after={"criterion_id": entry.criterion_id}, comment=entry.disagreement,
    )  # fmt: skip
    await audit.emit(
        session, "score_sheet.disputed", "score_sheet", sheet.id,
        {"table_id": sheet.table_id, "unit_id": sheet.unit_id,
         "criterion_id": entry.criterion_id, "reason": entry.disagreement},
        unit_id=sheet.unit_id, cluster_id=sheet.cluster_id,
    )  # fmt: skip
    return sheet
