"""Dossier counts of a round or a year (báo cáo tổng hợp hồ sơ đề nghị khen thưởng).

Every figure is a GROUP BY in the database over the dossiers the caller may see
(`policies.dossier_scope`), so a unit's report counts its own dossiers only.
"""

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import sort_in_memory
from app.core.errors import Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.core.orm import codepoint_order, get_or_404
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.models import AwardType, Cluster, Dossier, Nomination, Round, RoundNominationCount, Unit
from app.services import policies

# Passed the council, or cleared for a decision without a vote, whatever came after.
APPROVED_STATUSES = (
    NominationStatus.APPROVED,
    NominationStatus.AWARDED,
    NominationStatus.SUBMITTED_TO_STATE,
)
NOMINATION_MEASURES = (
    "total", *(kind.value for kind in NomineeKind), "eligible", "approved", "awarded",
)  # fmt: skip


def _measure(name: str, nominee_kind: str, status: str, conclusion: str | None) -> bool:
    """Whether a nomination of this kind, status and appraisal counts in measure `name`."""
    return {
        "total": True,
        **{kind.value: nominee_kind == kind for kind in NomineeKind},
        "eligible": conclusion == NominationStatus.ELIGIBLE,
        "approved": status in APPROVED_STATUSES,
        "awarded": status == NominationStatus.AWARDED,
    }[name]


def _add(counts: dict[str, Any], n: int, kind: str, status: str, conclusion: str | None) -> None:
    for name in NOMINATION_MEASURES:
        if _measure(name, kind, status, conclusion):
            counts[name] = counts.get(name, 0) + n


def _zero() -> dict[str, int]:
    return dict.fromkeys(NOMINATION_MEASURES, 0)


class _Scope:
    """The dossiers of the report: of the round and/or year, and visible to the caller."""

    def __init__(self, principal: Principal, round_id: int | None, year: int | None) -> None:
        self.principal, self.round_id, self.year = principal, round_id, year

    def __call__(self, stmt: Select) -> Select:
        if self.round_id is not None:
            stmt = stmt.where(Dossier.round_id == self.round_id)
        if self.year is not None:
            stmt = stmt.where(Dossier.year == self.year)
        return policies.dossier_scope(stmt, self.principal)

    def nominations(self, *columns: Any) -> Select:
        return self(
            select(*columns)
            .select_from(Nomination)
            .join(Dossier, Dossier.id == Nomination.dossier_id)
        )


async def dossier_report(
    session: AsyncSession, principal: Principal, round_id: int | None, year: int | None
) -> dict[str, Any]:
    """Counts by dossier status, by nomination status and kind, per award type, per cluster
    and per submitting unit; `round_id` and `year` together narrow to both. Plain values
    named and ordered as `DossierReport` writes them (the route sends them as they are)."""
    if round_id is None and year is None:
        raise Unprocessable(
            "Cần chọn đợt xét khen thưởng (round_id) hoặc năm (year) để lập báo cáo.",
            code="report_scope_required",
        )
    if round_id is not None:
        await get_or_404(session, Round, round_id, "đợt xét khen thưởng")
    scope = _Scope(principal, round_id, year)
    by_status, by_cluster, by_unit = await _dossier_figures(session, scope)
    totals, by_award_type = await _nomination_counts(session, _grouped_nominations(scope))
    return {
        "round_id": round_id,
        "year": year,
        "total_dossiers": sum(by_status.values()),
        "dossiers_by_status": by_status,
        "nominations": totals,
        "by_award_type": by_award_type,
        "by_cluster": by_cluster,
        "by_unit": by_unit,
    }


async def _dossier_figures(
    session: AsyncSession, scope: _Scope
) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]]]:
    """Dossiers by status, and dossiers and nominations per cluster and per submitting unit,
    from the scope's dossiers, which carry their nominations' count
    (`Dossier.nomination_count`): the round's nominations are not visited. Two grouped
    statements: by status and cluster (a few rows, folded here), and by unit (one row per
    unit, 24,000 in a national round) already named and in order, so that no Python work
    grows with the units but writing them out."""
    dossiers = func.count().label("dossiers")
    nominations = func.coalesce(func.sum(Dossier.nomination_count), 0).label("nominations")
    key = (Dossier.status, Dossier.cluster_id)
    by_key = scope(select(*key, dossiers, nominations).group_by(*key)).subquery()
    clusters = Cluster.__table__
    rows = await session.execute(
        select(by_key, clusters.c.name).outerjoin(clusters, clusters.c.id == by_key.c.cluster_id)
    )
    by_status: dict[str, int] = {}
    per_cluster: dict[Any, list[Any]] = {}
    for status, cluster_id, count, nominated, name in rows:
        by_status[status] = by_status.get(status, 0) + count
        found = per_cluster.setdefault(cluster_id, [name, 0, 0])
        found[1] += count
        found[2] += int(nominated)
    # The round's 24,000 named units sorted in memory: under PostgreSQL's default 4 MB the
    # sort spilled to disk (≈ 50 ms at national scale). For this transaction only.
    await sort_in_memory(session)
    unit_id = Dossier.submitting_unit_id
    by_unit = scope(select(unit_id, dossiers, nominations).group_by(unit_id)).subquery()
    units = Unit.__table__
    named = units.c.name
    rows = await session.execute(
        select(by_unit.c.submitting_unit_id, named, by_unit.c.dossiers, by_unit.c.nominations)
        .outerjoin(units, units.c.id == by_unit.c.submitting_unit_id)
        # As `_groups` orders them: by name (code point order on every database), nameless
        # last, then by id.
        .order_by(
            named.is_(None),
            codepoint_order(named),
            func.coalesce(by_unit.c.submitting_unit_id, 0),
        )
    )
    return (
        dict(sorted(by_status.items())),
        _groups(per_cluster, "cluster_id"),
        [
            {"unit_id": unit, "name": name, "dossiers": count, "nominations": int(nominated)}
            for unit, name, count, nominated in rows
        ],
    )


def _groups(groups: dict[Any, list[Any]], id_name: str) -> list[dict[str, Any]]:
    """Per-group figures by name; the group without a cluster comes last on every database."""
    ordered = sorted(groups.items(), key=lambda g: (g[1][0] is None, g[1][0] or "", g[0] or 0))
    return [
        {id_name: key, "name": name, "dossiers": dossiers, "nominations": nominations}
        for key, (name, dossiers, nominations) in ordered
    ]


def _grouped_nominations(scope: _Scope) -> Select:
    """The scope's nominations counted by award type, status, kind and appraisal (a few
    hundred rows at most). A whole round seen by someone who sees every dossier is read from
    its stored counts (`RoundNominationCount`, kept by the database in every writing
    transaction); anything narrower groups the nominations, counted from
    `ix_nominations_dossier_counts` alone."""
    if (
        scope.round_id is not None
        and scope.year is None
        and policies.sees_every_dossier(scope.principal)
    ):
        return select(
            RoundNominationCount.award_type_code,
            RoundNominationCount.status,
            RoundNominationCount.nominee_kind,
            func.nullif(RoundNominationCount.conclusion, "").label("appraisal_conclusion"),
            RoundNominationCount.n,
        ).where(RoundNominationCount.round_id == scope.round_id, RoundNominationCount.n > 0)
    group = (
        Nomination.award_type_code,
        Nomination.status,
        Nomination.nominee_kind,
        Nomination.appraisal_conclusion,
    )
    return scope.nominations(*group, func.count().label("n")).group_by(*group)


async def _nomination_counts(
    session: AsyncSession, grouped: Select
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The nomination totals and the figures per award type, folded from the grouped counts
    in one pass, not one scan per figure."""
    # Grouped before the award types are joined: PostgreSQL then estimates a few hundred
    # groups from the columns' statistics and hashes them, where grouping by the joined names
    # too made it expect one group per nomination and sort them all (on disk at 2 million).
    counted = grouped.subquery()
    rows = await session.execute(
        select(
            AwardType.position,
            counted.c.award_type_code,
            AwardType.name,
            counted.c.status,
            counted.c.nominee_kind,
            counted.c.appraisal_conclusion,
            counted.c.n,
        )
        .select_from(counted)
        .outerjoin(AwardType, AwardType.code == counted.c.award_type_code)
        .order_by(AwardType.position, counted.c.award_type_code)
    )
    totals, by_status = _zero(), {}
    per_type: dict[str, dict[str, Any]] = {}
    for _, code, name, status, kind, conclusion, n in rows:
        _add(totals, n, kind, status, conclusion)
        of_type = per_type.setdefault(code, {"award_type_code": code, "name": name, **_zero()})
        _add(of_type, n, kind, status, conclusion)
        by_status[status] = by_status.get(status, 0) + n
    # The contract's nomination totals carry no appraisal figure; by status before approved.
    counts = {name: totals[name] for name in ("total", *(kind.value for kind in NomineeKind))}
    counts["by_status"] = dict(sorted(by_status.items()))
    counts["approved"], counts["awarded"] = totals["approved"], totals["awarded"]
    return counts, list(per_type.values())
