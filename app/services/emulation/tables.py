"""Scoring tables (bảng điểm thi đua) of a cluster's year: groups of criteria with their maximum
points, bonus and penalty criteria, the evidence each needs, the deadline and the tie rule.

A table is drafted (or copied from the previous year's) by Sở Nội vụ, amended while it is a
draft, and frozen when scoring opens; a change after that is a new revision, which replaces the
frozen one when it opens in turn.
"""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, flush_or_conflict, paginate, touch
from app.core.principal import Principal
from app.core.statuses import ScoreTableStatus
from app.core.text import nfc
from app.models import Cluster, ScoreCriterion, ScoreTable
from app.schemas.emulation import GroupIn, TableCreate, TableUpdate
from app.services import audit, permissions, workflow
from app.services.emulation.points import from_centi, to_centi
from app.services.policies import score_table_scope

TABLE_FIELDS = ("cluster_id", "year", "revision", "title", "tie_rule", "scoring_due_on", "status")


def criterion_view(c: ScoreCriterion) -> dict[str, Any]:
    return {
        "id": c.id, "group": c.group_name, "code": c.code, "name": c.name, "kind": c.kind,
        "max_points": from_centi(c.max_centipoints), "evidence": c.evidence,
    }  # fmt: skip


def table_view(table: ScoreTable) -> dict[str, Any]:
    """The contract's shape of a table: its fields and its criteria grouped as entered."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in table.criteria:
        groups.setdefault(c.group_name, []).append(criterion_view(c))
    return {
        "id": table.id,
        **{name: getattr(table, name) for name in TABLE_FIELDS},
        "copied_from_id": table.copied_from_id,
        "groups": [{"name": name, "criteria": items} for name, items in groups.items()],
        "version": table.version,
        "updated_at": table.updated_at,
    }


def _audited(table: ScoreTable) -> dict[str, Any]:
    view = audit.snapshot(table, TABLE_FIELDS)
    view["criteria"] = [
        {"code": c.code, "kind": c.kind, "max": c.max_centipoints} for c in table.criteria
    ]
    return view


def _options():
    return selectinload(ScoreTable.criteria)


async def get_table(session: AsyncSession, principal: Principal, table_id: int) -> ScoreTable:
    """One table the caller may see, with its criteria, or 404."""
    stmt = score_table_scope(
        select(ScoreTable).options(_options()).where(ScoreTable.id == table_id), principal
    )
    if (table := await session.scalar(stmt)) is None:
        raise NotFound(f"Không tìm thấy bảng điểm thi đua có mã số {table_id}.")
    return table


SCORE_TABLE_SORTING = sorting(
    ScoreTable,
    "-year,cluster_id,revision",
    ["year", "cluster_id", "revision", "status", "scoring_due_on"],
)


async def list_tables(
    session: AsyncSession,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """Tables the caller may see, by year, cluster and revision."""
    stmt = select(ScoreTable).options(_options())
    for name in ("year", "cluster_id", "status"):
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(ScoreTable, name) == filters[name])
    stmt = score_table_scope(stmt, principal)
    return await paginate(session, SCORE_TABLE_SORTING.apply(stmt, listing), limit, offset)


def _criteria(groups: list[GroupIn]) -> list[ScoreCriterion]:
    rows: list[ScoreCriterion] = []
    for group in groups:
        for item in group.criteria:
            rows.append(
                ScoreCriterion(
                    position=len(rows), group_name=nfc(group.name), code=item.code,
                    name=nfc(item.name), kind=item.kind,
                    max_centipoints=to_centi(item.max_points),
                    evidence=nfc(item.evidence) if item.evidence else None,
                )
            )  # fmt: skip
    codes = [c.code for c in rows]
    if doubled := sorted({code for code in codes if codes.count(code) > 1}):
        raise Unprocessable(
            f"Mã tiêu chí bị trùng trong bảng điểm: {', '.join(doubled)}.",
            code="duplicate_criterion",
        )
    if not any(c.kind == "base" for c in rows):
        raise Unprocessable(
            "Bảng điểm cần ít nhất một tiêu chí chấm điểm (ngoài điểm thưởng, điểm trừ).",
            code="empty_score_table",
        )
    return rows


def _copy(source: ScoreTable) -> list[ScoreCriterion]:
    return [
        ScoreCriterion(
            position=c.position, group_name=c.group_name, code=c.code, name=c.name, kind=c.kind,
            max_centipoints=c.max_centipoints, evidence=c.evidence,
        )
        for c in source.criteria
    ]  # fmt: skip


async def _cluster(session: AsyncSession, cluster_id: int) -> Cluster:
    cluster = await session.get(Cluster, cluster_id)
    if cluster is None:
        raise Unprocessable(f"Không có cụm, khối mã số {cluster_id}.", code="unknown_reference")
    return cluster


async def create_table(session: AsyncSession, actor: Principal, body: TableCreate) -> ScoreTable:
    """A draft table for a cluster's year: its criteria as sent, or copied from `copy_from_id`
    (typically the same khối's table of the previous year) when no groups are sent."""
    permissions.require(actor, "emulation.create_table")
    cluster = await _cluster(session, body.cluster_id)
    permissions.require(actor, "emulation.create_table", cluster)
    existing = await session.scalar(
        select(func.count()).select_from(ScoreTable).where(ScoreTable.cluster_id == cluster.id)
    )
    if existing:
        raise Conflict(
            f"{cluster.name} năm {cluster.year} đã có bảng điểm; sửa bảng đó, hoặc lập phiên bản "
            "mới của nó nếu đã bắt đầu chấm điểm.",
            code="duplicate_score_table",
        )
    source = None
    if body.copy_from_id is not None:
        source = await get_table(session, actor, body.copy_from_id)
    if body.groups:
        criteria = _criteria(body.groups)
    elif source is not None:
        criteria = _copy(source)
    else:
        raise Unprocessable(
            "Gửi các nhóm tiêu chí (groups), hoặc copy_from_id để sao chép bảng điểm năm trước.",
            code="empty_score_table",
        )
    table = ScoreTable(
        cluster_id=cluster.id, year=cluster.year, revision=1,
        title=nfc(body.title or f"Bảng điểm thi đua {cluster.name} năm {cluster.year}"),
        tie_rule=body.tie_rule or (source.tie_rule if source else "shared"),
        scoring_due_on=body.scoring_due_on, status=ScoreTableStatus.DRAFT,
        copied_from_id=source.id if source else None,
    )  # fmt: skip
    table.criteria = criteria
    session.add(table)
    await flush_or_conflict(
        session, f"{cluster.name} đã có bảng điểm.", code="duplicate_score_table"
    )
    await audit.record(
        session, actor, "score_table.created", "score_table", table.id, after=_audited(table)
    )
    await audit.emit(
        session, "score_table.created", "score_table", table.id,
        {"cluster_id": table.cluster_id, "year": table.year, "revision": table.revision},
        cluster_id=table.cluster_id,
    )  # fmt: skip
    return table


def _check_draft(table: ScoreTable) -> None:
    if table.status != ScoreTableStatus.DRAFT:
        raise Conflict(
            f"Bảng điểm đã khóa từ khi bắt đầu chấm điểm ({ScoreTableStatus(table.status).label})"
            "; muốn thay đổi, hãy lập phiên bản mới (POST /emulation/tables/{id}/revise).",
            code="score_table_frozen",
            current_status=table.status,
        )


async def update_table(
    session: AsyncSession,
    actor: Principal,
    table_id: int,
    changes: TableUpdate,
    expected: int | None,
) -> ScoreTable:
    """Title, deadline, tie rule and criteria, while the table is a draft; a field left out or
    sent as null keeps its value."""
    permissions.require(actor, "emulation.update_table")
    table = await get_table(session, actor, table_id)
    permissions.require(actor, "emulation.update_table", await _cluster(session, table.cluster_id))

    async def apply() -> None:
        _check_draft(table)
        if changes.title is not None:
            table.title = nfc(changes.title)
        if changes.tie_rule is not None:
            table.tie_rule = changes.tie_rule
        if changes.scoring_due_on is not None:
            table.scoring_due_on = changes.scoring_due_on
        if changes.groups is not None:
            table.criteria = _criteria(changes.groups)
            await session.flush()
            touch(table)

    table = await audit.audited_update(
        session, actor, table, apply, expected,
        action="score_table.updated", entity="score_table", audited=_audited,
        flush=flush_or_conflict,
    )  # fmt: skip
    await audit.emit(
        session, "score_table.updated", "score_table", table.id,
        {"cluster_id": table.cluster_id, "year": table.year}, cluster_id=table.cluster_id,
    )  # fmt: skip
    return table


def _subject(table: ScoreTable) -> workflow.Subject:
    return workflow.Subject(
        "score_table", table, "score_table", table.id, cluster_id=table.cluster_id,
        data={"cluster_id": table.cluster_id, "year": table.year, "revision": table.revision},
    )  # fmt: skip


async def open_table(
    session: AsyncSession, actor: Principal, table_id: int, expected: int | None
) -> ScoreTable:
    """Start scoring: the table is frozen; the revision it replaces, if any, is superseded."""
    permissions.require(actor, "emulation.open_table")
    table = await get_table(session, actor, table_id)
    permissions.require(actor, "emulation.open_table", await _cluster(session, table.cluster_id))
    check_version(table, expected)
    workflow.check_move("score_table", "open", table.status, obj=table)
    previous = await session.scalar(
        select(ScoreTable).where(
            ScoreTable.cluster_id == table.cluster_id,
            ScoreTable.status == ScoreTableStatus.SCORING,
        )
    )
    if previous is not None:
        step = workflow.apply(previous, "score_table", "supersede")
        await flush_or_conflict(session)
        await audit.record(
            session, actor, "score_table.superseded", "score_table", previous.id,
            before=step.before, after={"status": previous.status, "replaced_by_id": table.id},
        )  # fmt: skip
    await workflow.transition(session, actor, _subject(table), "open")
    return table


async def revise_table(session: AsyncSession, actor: Principal, table_id: int) -> ScoreTable:
    """A new draft revision of a frozen table, with its criteria, to amend and open in its
    place; the frozen one goes on being scored until then."""
    permissions.require(actor, "emulation.revise_table")
    source = await get_table(session, actor, table_id)
    if source.status != ScoreTableStatus.SCORING:
        raise Conflict(
            "Chỉ lập phiên bản mới của bảng điểm đang chấm điểm; bảng dự thảo thì sửa trực tiếp, "
            "bảng đã công bố xếp hạng thì không sửa được nữa.",
            code="invalid_transition",
            current_status=source.status,
        )
    latest = await session.scalar(
        select(func.max(ScoreTable.revision)).where(ScoreTable.cluster_id == source.cluster_id)
    )
    table = ScoreTable(
        cluster_id=source.cluster_id, year=source.year, revision=int(latest or 0) + 1,
        title=source.title, tie_rule=source.tie_rule, scoring_due_on=source.scoring_due_on,
        status=ScoreTableStatus.DRAFT, copied_from_id=source.id,
    )  # fmt: skip
    table.criteria = _copy(source)
    session.add(table)
    await flush_or_conflict(session, "Phiên bản này vừa được lập.", code="duplicate_score_table")
    await audit.record(
        session, actor, "score_table.revised", "score_table", table.id, after=_audited(table)
    )
    await audit.emit(
        session, "score_table.revised", "score_table", table.id,
        {"cluster_id": table.cluster_id, "year": table.year, "revision": table.revision,
         "revises_id": source.id},
        cluster_id=table.cluster_id,
    )  # fmt: skip
    return table
