"""Dossier counts of a round or a year (báo cáo tổng hợp hồ sơ đề nghị khen thưởng).

Every figure is a GROUP BY in the database over the dossiers the caller may see
(`policies.dossier_scope`), so a unit's report counts its own dossiers only.
"""

from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.core.orm import get_or_404
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.models import AwardType, Cluster, Dossier, Nomination, Round, Unit
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
    and per submitting unit; `round_id` and `year` together narrow to both."""
    if round_id is None and year is None:
        raise Unprocessable(
            "Cần chọn đợt xét khen thưởng (round_id) hoặc năm (year) để lập báo cáo.",
            code="report_scope_required",
        )
    if round_id is not None:
        await get_or_404(session, Round, round_id, "đợt xét khen thưởng")
    scope = _Scope(principal, round_id, year)
    by_status = await _dossier_statuses(session, scope)
    totals, by_award_type = await _nomination_counts(session, scope)
    return {
        "round_id": round_id,
        "year": year,
        "total_dossiers": sum(by_status.values()),
        "dossiers_by_status": by_status,
        "nominations": totals,
        "by_award_type": by_award_type,
        "by_cluster": await _by_group(session, scope, Dossier.cluster_id, Cluster, "cluster_id"),
        "by_unit": await _by_group(session, scope, Dossier.submitting_unit_id, Unit, "unit_id"),
    }


async def _dossier_statuses(session: AsyncSession, scope: _Scope) -> dict[str, int]:
    rows = await session.execute(
        scope(select(Dossier.status, func.count(Dossier.id)).group_by(Dossier.status))
    )
    return {status: int(n) for status, n in sorted(rows.all())}


async def _nomination_counts(
    session: AsyncSession, scope: _Scope
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The nomination totals and the figures per award type, from one pass over the
    nominations (grouped by award type, status, kind and appraisal: a few hundred rows at
    most), not one scan per figure; counted from `ix_nominations_dossier_counts` alone."""
    group = (
        AwardType.position,
        Nomination.award_type_code,
        AwardType.name,
        Nomination.status,
        Nomination.nominee_kind,
        Nomination.appraisal_conclusion,
    )
    rows = await session.execute(
        scope.nominations(*group, func.count().label("n"))
        .outerjoin(AwardType, AwardType.code == Nomination.award_type_code)
        .group_by(*group)
        .order_by(AwardType.position, Nomination.award_type_code)
    )
    totals, by_status = _zero(), {}
    per_type: dict[str, dict[str, Any]] = {}
    for _, code, name, status, kind, conclusion, n in rows:
        _add(totals, n, kind, status, conclusion)
        of_type = per_type.setdefault(code, {"award_type_code": code, "name": name, **_zero()})
        _add(of_type, n, kind, status, conclusion)
        by_status[status] = by_status.get(status, 0) + n
    del totals["eligible"]  # the contract's nomination totals carry no appraisal figure
    return {**totals, "by_status": dict(sorted(by_status.items()))}, list(per_type.values())


async def _by_group(
    session: AsyncSession, scope: _Scope, key: Any, model: Any, id_name: str
) -> list[dict[str, Any]]:
    """Dossiers and their nominations per cluster or per submitting unit, by name."""
    rows = await session.execute(
        scope(
            select(
                key.label("id"),
                model.name,
                func.count(distinct(Dossier.id)).label("dossiers"),
                # dossier_id, not id: counted from `ix_nominations_dossier_counts` alone.
                func.count(Nomination.dossier_id).label("nominations"),
            )
            .select_from(Dossier)
            .outerjoin(Nomination, Nomination.dossier_id == Dossier.id)
            .outerjoin(model, model.id == key)
            .group_by(key, model.name)
        )
    )
    # Sorted here so that the group without a cluster comes last on every database.
    ordered = sorted(rows.all(), key=lambda r: (r.name is None, r.name or "", r.id or 0))
    return [
        {
            id_name: r.id,
            "name": r.name,
            "dossiers": int(r.dossiers),
            "nominations": int(r.nominations),
        }
        for r in ordered
    ]
