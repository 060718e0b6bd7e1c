"""The ranking of a cluster's year, computed in SQL from the verified scores, its publication,
and Sở Nội vụ's view of every cluster's progress."""

from typing import Any

from sqlalchemy import Select, case, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, paginate
from app.core.principal import Principal
from app.core.statuses import ScoreSheetStatus, ScoreTableStatus
from app.core.working_days import today_in_vietnam
from app.models import (
    Cluster,
    ClusterMembership,
    ClusterStanding,
    ScoreCriterion,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
    Unit,
)
from app.models.base import UTCDateTime
from app.services import permissions, workflow
from app.services.emulation.points import from_centi
from app.services.emulation.tables import get_table
from app.services.policies import sees_ranking

COUNTED = (ScoreSheetStatus.SUBMITTED, ScoreSheetStatus.VERIFIED)
TIE_RULE_TEXT = {
    "shared": "bằng điểm thì đồng hạng",
    "fewer_penalties": "bằng điểm thì đơn vị bị trừ ít điểm hơn xếp trên; vẫn bằng thì đồng hạng",
    "higher_base": "bằng điểm thì đơn vị có điểm tiêu chí (không kể điểm thưởng, điểm trừ) "
    "cao hơn xếp trên; vẫn bằng thì đồng hạng",
}


def totals_query() -> Select:
    """Per sheet: the unit's own total, the total after the head's changes, the base points
    and the penalties, in whole hundredths. A penalty criterion subtracts."""
    points = func.coalesce(ScoreEntry.verified_centipoints, ScoreEntry.self_centipoints)
    penalty = ScoreCriterion.kind == "penalty"
    sign = case((penalty, -1), else_=1)
    return (
        select(
            ScoreSheet.id.label("sheet_id"),
            ScoreSheet.unit_id.label("unit_id"),
            func.coalesce(func.sum(ScoreEntry.self_centipoints * sign), 0).label("self_total"),
            func.coalesce(func.sum(points * sign), 0).label("total"),
            func.coalesce(
                func.sum(case((ScoreCriterion.kind == "base", points), else_=0)), 0
            ).label("base"),
            func.coalesce(func.sum(case((penalty, points), else_=0)), 0).label("penalties"),
        )
        .select_from(ScoreSheet)
        .outerjoin(ScoreEntry, ScoreEntry.sheet_id == ScoreSheet.id)
        .outerjoin(ScoreCriterion, ScoreCriterion.id == ScoreEntry.criterion_id)
        .group_by(ScoreSheet.id, ScoreSheet.unit_id)
    )


def _ranked(table: ScoreTable) -> Select:
    totals = (
        totals_query()
        .where(ScoreSheet.table_id == table.id, ScoreSheet.status.in_(COUNTED))
        .subquery()
    )
    keys = [totals.c.total.desc()]
    if table.tie_rule == "fewer_penalties":
        keys.append(totals.c.penalties.asc())
    elif table.tie_rule == "higher_base":
        keys.append(totals.c.base.desc())
    rank = func.rank().over(order_by=keys).label("rank")
    return (
        select(totals, rank, Unit.name.label("unit_name"), ScoreSheet.status, ScoreSheet.late)
        .join(Unit, Unit.id == totals.c.unit_id)
        .join(ScoreSheet, ScoreSheet.id == totals.c.sheet_id)
        .order_by(rank, Unit.name, totals.c.unit_id)
    )


async def standings(session: AsyncSession, table: ScoreTable) -> list[dict[str, Any]]:
    """The ranked units of the table, best first (RANK(): tied units share a place)."""
    rows = await session.execute(_ranked(table))
    return [
        {
            "rank": row.rank,
            "unit_id": row.unit_id,
            "unit_name": row.unit_name,
            "sheet_id": row.sheet_id,
            "sheet_status": row.status,
            "late": row.late,
            "self_total": from_centi(row.self_total),
            "total": from_centi(row.total),
            "base": from_centi(row.base),
            "penalties": from_centi(row.penalties),
        }
        for row in rows
    ]


async def _unscored(session: AsyncSession, table: ScoreTable) -> list[int]:
    """Members of the cluster (now, so a unit that joined later counts) with no sheet submitted."""
    submitted = select(ScoreSheet.unit_id).where(
        ScoreSheet.table_id == table.id, ScoreSheet.status.in_(COUNTED)
    )
    rows = await session.scalars(
        select(ClusterMembership.unit_id)
        .where(ClusterMembership.cluster_id == table.cluster_id)
        .where(ClusterMembership.unit_id.not_in(submitted))
        .order_by(ClusterMembership.unit_id)
    )
    return list(rows)


async def ranking(session: AsyncSession, principal: Principal, table_id: int) -> dict[str, Any]:
    """The table's ranking: provisional for the head, Sở Nội vụ and the council while scoring,
    shown to member units once the head has published it."""
    permissions.require(principal, "emulation.ranking")
    table = await get_table(session, principal, table_id)
    if not sees_ranking(principal, table):
        raise Conflict(
            "Trưởng khối chưa thẩm tra xong và công bố kết quả xếp hạng của cụm, khối.",
            code="ranking_not_published",
            current_status=table.status,
        )
    return {
        "table_id": table.id, "cluster_id": table.cluster_id, "year": table.year,
        "status": table.status, "tie_rule": table.tie_rule,
        "tie_rule_text": TIE_RULE_TEXT[table.tie_rule],
        "final": table.status in (ScoreTableStatus.PUBLISHED, ScoreTableStatus.DECIDED),
        "items": await standings(session, table),
        "unscored_unit_ids": await _unscored(session, table),
        "late": today_in_vietnam() > table.scoring_due_on,
    }  # fmt: skip


async def publish(
    session: AsyncSession, actor: Principal, table_id: int, expected: int | None
) -> ScoreTable:
    """The head publishes the ranking once every submitted sheet is verified."""
    permissions.require(actor, "emulation.publish_ranking")
    table = await get_table(session, actor, table_id)
    permissions.require(actor, "emulation.publish_ranking", table)
    check_version(table, expected)
    workflow.check_move("score_table", "publish", table.status, obj=table)
    counts = dict(
        (
            await session.execute(
                select(ScoreSheet.status, func.count())
                .where(ScoreSheet.table_id == table.id)
                .group_by(ScoreSheet.status)
            )
        ).all()
    )
    if counts.get(ScoreSheetStatus.SUBMITTED):
        raise Conflict(
            f"Còn {counts[ScoreSheetStatus.SUBMITTED]} bản tự chấm đã nộp chưa được thẩm tra.",
            code="sheets_not_verified",
        )
    if not counts.get(ScoreSheetStatus.VERIFIED):
        raise Conflict("Chưa có bản tự chấm nào được thẩm tra.", code="sheets_not_verified")
    await workflow.transition(
        session, actor, workflow.Subject(
            "score_table", table, "score_table", table.id, cluster_id=table.cluster_id,
            data={"cluster_id": table.cluster_id, "year": table.year},
        ), "publish",
    )  # fmt: skip
    return table


def _latest(first: Any, *others: Any) -> Any:
    """The latest of several moments, an empty one ignored (GREATEST, which SQLite lacks)."""
    latest = first
    for other in others:
        latest = case((other > latest, other), else_=latest)
    return type_coerce(latest, UTCDateTime)


# A cluster's progress changes with the cluster, its tables and its members' sheets.
PROGRESS_CHANGED = _latest(
    Cluster.updated_at,
    select(func.max(ScoreTable.updated_at))
    .where(ScoreTable.cluster_id == Cluster.id)
    .correlate(Cluster)
    .scalar_subquery(),
    select(func.max(ScoreSheet.updated_at))
    .where(ScoreSheet.cluster_id == Cluster.id)
    .correlate(Cluster)
    .scalar_subquery(),
)
PROGRESS_SORTING = sorting(
    Cluster, "name", {"cluster_id": Cluster.id, "name": Cluster.name, "kind": Cluster.kind},
    updated_at=PROGRESS_CHANGED,
)  # fmt: skip


async def progress(
    session: AsyncSession, year: int, limit: int, offset: int, listing: Listing = NO_LISTING
) -> tuple[PageResult, list[dict[str, Any]]]:
    """Every cluster of the year: its table, sheets submitted, late, verified and missing, and
    the result, by name (or the caller's `sort`); `updated_at` is the latest change of the
    cluster, its tables or its sheets. A page costs the same five statements for 1 cluster
    or 200."""
    stmt = select(Cluster, PROGRESS_CHANGED.label("changed")).where(Cluster.year == year)
    page = await paginate(session, PROGRESS_SORTING.apply(stmt, listing), limit, offset,
                          scalars=False)  # fmt: skip
    changed = {cluster.id: moment for cluster, moment in page.items}
    page = PageResult([cluster for cluster, _ in page.items], page.total, limit, offset)
    ids = [c.id for c in page.items]
    members = dict(
        (
            await session.execute(
                select(ClusterMembership.cluster_id, func.count())
                .where(ClusterMembership.cluster_id.in_(ids))
                .group_by(ClusterMembership.cluster_id)
            )
        ).all()
    )
    tables = {
        t.cluster_id: t
        for t in await session.scalars(
            select(ScoreTable)
            .where(ScoreTable.cluster_id.in_(ids), ScoreTable.status != ScoreTableStatus.SUPERSEDED)
            .order_by(ScoreTable.revision)
        )
    }
    sheets: dict[int, dict[str, int]] = {}
    rows = await session.execute(
        select(ScoreSheet.table_id, ScoreSheet.status, ScoreSheet.late, func.count())
        .where(ScoreSheet.table_id.in_([t.id for t in tables.values()]))
        .group_by(ScoreSheet.table_id, ScoreSheet.status, ScoreSheet.late)
    )
    for table_id, status, late, n in rows:
        counts = sheets.setdefault(table_id, {"submitted": 0, "verified": 0, "late": 0})
        if status in COUNTED:
            counts["submitted"] += n
            counts["late"] += n if late else 0
        if status == ScoreSheetStatus.VERIFIED:
            counts["verified"] += n
    leaders = dict(
        (
            await session.execute(
                select(ClusterStanding.cluster_id, ClusterStanding.unit_id).where(
                    ClusterStanding.cluster_id.in_(ids), ClusterStanding.proposal == "co_thi_dua"
                )
            )
        ).all()
    )
    today = today_in_vietnam()
    items = []
    for cluster in page.items:
        table = tables.get(cluster.id)
        counts = sheets.get(table.id, {}) if table else {}
        total = int(members.get(cluster.id, 0))
        submitted = counts.get("submitted", 0)
        items.append(
            {
                "cluster_id": cluster.id, "cluster_name": cluster.name, "kind": cluster.kind,
                "members": total, "table_id": table.id if table else None,
                "table_status": table.status if table else None,
                "scoring_due_on": table.scoring_due_on if table else None,
                "submitted": submitted, "late": counts.get("late", 0),
                "verified": counts.get("verified", 0), "missing": total - submitted,
                "overdue": bool(table and today > table.scoring_due_on and total > submitted),
                "leader_unit_id": leaders.get(cluster.id), "updated_at": changed[cluster.id],
            }
        )  # fmt: skip
    return page, items
