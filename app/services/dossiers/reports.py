"""Dossier counts of a round or a year (báo cáo tổng hợp hồ sơ đề nghị khen thưởng).

Every figure is a GROUP BY in the database over the dossiers the caller may see
(`policies.dossier_scope`), so a unit's report counts its own dossiers only.
"""

from typing import Any

from sqlalchemy import Select, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Unprocessable
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
NOMINATION_MEASURES = ("total", "individual", "collective", "eligible", "approved", "awarded")


def _count_when(condition: Any, name: str) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)


def _nomination_measures() -> list[Any]:
    return [
        func.count().label("total"),
        _count_when(Nomination.nominee_kind == "individual", "individual"),
        _count_when(Nomination.nominee_kind == "collective", "collective"),
        _count_when(Nomination.appraisal_conclusion == NominationStatus.ELIGIBLE, "eligible"),
        _count_when(Nomination.status.in_(APPROVED_STATUSES), "approved"),
        _count_when(Nomination.status == NominationStatus.AWARDED, "awarded"),
    ]


def _measures(row: Any) -> dict[str, int]:
    return {name: int(getattr(row, name) or 0) for name in NOMINATION_MEASURES}


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
    return {
        "round_id": round_id,
        "year": year,
        "total_dossiers": sum(by_status.values()),
        "dossiers_by_status": by_status,
        "nominations": await _nomination_totals(session, scope),
        "by_award_type": await _by_award_type(session, scope),
        "by_cluster": await _by_group(session, scope, Dossier.cluster_id, Cluster, "cluster_id"),
        "by_unit": await _by_group(session, scope, Dossier.submitting_unit_id, Unit, "unit_id"),
    }


async def _dossier_statuses(session: AsyncSession, scope: _Scope) -> dict[str, int]:
    rows = await session.execute(
        scope(select(Dossier.status, func.count(Dossier.id)).group_by(Dossier.status))
    )
    return {status: int(n) for status, n in sorted(rows.all())}


async def _nomination_totals(session: AsyncSession, scope: _Scope) -> dict[str, Any]:
    totals = (await session.execute(scope.nominations(*_nomination_measures()))).one()
    statuses = await session.execute(
        scope.nominations(Nomination.status, func.count()).group_by(Nomination.status)
    )
    counts = _measures(totals)
    del counts["eligible"]  # the contract's nomination totals carry no appraisal figure
    return {**counts, "by_status": {status: int(n) for status, n in sorted(statuses.all())}}


async def _by_award_type(session: AsyncSession, scope: _Scope) -> list[dict[str, Any]]:
    rows = await session.execute(
        scope.nominations(Nomination.award_type_code, AwardType.name, *_nomination_measures())
        .outerjoin(AwardType, AwardType.code == Nomination.award_type_code)
        .group_by(Nomination.award_type_code, AwardType.name, AwardType.position)
        .order_by(AwardType.position, Nomination.award_type_code)
    )
    return [
        {"award_type_code": row.award_type_code, "name": row.name, **_measures(row)} for row in rows
    ]


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
