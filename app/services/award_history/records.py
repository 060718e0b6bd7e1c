"""Lịch sử khen thưởng: every award a person or collective received, searched and recorded."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, like_folded, paginate
from app.core.principal import CLUSTER_HEAD, COUNCIL_MEMBER, NOI_VU, READER, UNIT, Principal
from app.core.text import search_text
from app.models import AwardHistory, ClusterMembership, Dossier, Nomination
from app.services.dossiers.rules import nominee_key

# Đột xuất and chuyên đề awards are kept apart: they do not count toward consecutive years.
KIND_OF_DOSSIER = {"thematic": "thematic", "unscheduled": "unscheduled"}


@dataclass(frozen=True)
class HistoryFilters:
    """The filters of `GET /award-history`; `q` is a name, without diacritics."""

    q: str | None = None
    nominee_kind: str | None = None
    award_type_code: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    unit_id: int | None = None


def history_scope(stmt: Select, principal: Principal) -> Select:
    """A unit sees its own unit's history; a cluster head its cluster's units'; Sở Nội vụ,
    council members and readers all."""
    if principal.role == UNIT:
        return stmt.where(AwardHistory.unit_id == principal.unit_id)
    if principal.role == CLUSTER_HEAD:
        units = select(ClusterMembership.unit_id).where(
            ClusterMembership.cluster_id == principal.cluster_id
        )
        if principal.cluster_id is None:
            return stmt.where(false())
        return stmt.where(AwardHistory.unit_id.in_(units))
    if principal.role in (NOI_VU, COUNCIL_MEMBER, READER):
        return stmt
    return stmt.where(false())


AWARD_HISTORY_SORTING = sorting(
    AwardHistory,
    "-year,nominee_name",
    {
        "year": AwardHistory.year,
        "nominee_name": AwardHistory.nominee_key,
        "award_type_code": AwardHistory.award_type_code,
        "decision_year": AwardHistory.decision_year,
        "unit_id": AwardHistory.unit_id,
    },
)


async def list_history(
    session: AsyncSession,
    principal: Principal,
    filters: HistoryFilters,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The history the caller may see, newest year first."""
    stmt = history_scope(select(AwardHistory), principal)
    equal = {
        AwardHistory.nominee_kind: filters.nominee_kind,
        AwardHistory.award_type_code: filters.award_type_code,
        AwardHistory.unit_id: filters.unit_id,
    }
    stmt = stmt.where(*(column == value for column, value in equal.items() if value is not None))
    if filters.year_from is not None:
        stmt = stmt.where(AwardHistory.year >= filters.year_from)
    if filters.year_to is not None:
        stmt = stmt.where(AwardHistory.year <= filters.year_to)
    if filters.q:
        stmt = stmt.where(like_folded(AwardHistory.search_text, filters.q))
    return await paginate(
        session, AWARD_HISTORY_SORTING.apply(stmt, listing), limit, offset, searched=bool(filters.q)
    )


def new_row(
    *,
    nominee_kind: str,
    nominee_name: str,
    unit_id: int | None,
    award_type_code: str,
    year: int,
    decision_no: str | None,
    decided_on: date | None,
    source: str,
    kind: str = "regular",
    nomination_id: int | None = None,
    collective_id: int | None = None,
    decision_year: int | None = None,
    nominee_address: str | None = None,
) -> AwardHistory:
    """`year` is the achievement's (năm thành tích); `decision_year` defaults to the decision
    date's."""
    return AwardHistory(
        nominee_kind=nominee_kind,
        nominee_name=nominee_name,
        nominee_key=nominee_key(nominee_name),
        search_text=search_text(nominee_name),
        unit_id=unit_id,
        nominee_address=nominee_address,
        award_type_code=award_type_code,
        year=year,
        decision_year=decision_year or (decided_on.year if decided_on else None),
        decision_no=decision_no,
        decided_on=decided_on,
        source=source,
        kind=kind,
        nomination_id=nomination_id,
        collective_id=collective_id,
    )


def achievement_year(dossier: Dossier, decided_on: date | None) -> int:
    """A round's dossier is for the round's year; an unscheduled one, the decision's."""
    return dossier.year if dossier.round_id is not None or decided_on is None else decided_on.year


def from_nomination(
    nomination: Nomination,
    dossier: Dossier,
    *,
    decision_no: str | None,
    decided_on: date | None,
    source: str = "decision",
) -> AwardHistory:
    """The award history row of an awarded nomination, for the same collective: its achievement
    year is its round's (the dossier's year), else the decision's; its kind the dossier's."""
    year = achievement_year(dossier, decided_on)
    return new_row(
        nominee_kind=nomination.nominee_kind,
        nominee_name=nomination.nominee_name,
        unit_id=nomination.nominee_unit_id,
        award_type_code=nomination.award_type_code,
        year=year,
        decision_no=decision_no,
        decided_on=decided_on,
        source=source,
        kind=KIND_OF_DOSSIER.get(dossier.kind, "regular"),
        nomination_id=nomination.id,
        collective_id=nomination.collective_id,
        nominee_address=nomination.nominee_address,
    )
