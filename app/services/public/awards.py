"""Tra cứu khen thưởng: the awards already decided, searched by name without diacritics."""

from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.orm import PageResult, like_folded, paginate
from app.models import AwardHistory, AwardType, Unit
from app.schemas.public import PublicAward


@dataclass(frozen=True)
class AwardLookup:
    """`q`: part of a name, with or without diacritics; `year`: the achievement's year."""

    q: str | None = None
    year: int | None = None
    award_type_code: str | None = None


async def lookup(
    session: AsyncSession, filters: AwardLookup, limit: int, offset: int
) -> PageResult:
    """Awards from recorded decisions and from the imported history; a grassroots title a unit
    entered is shown only once Sở Nội vụ confirmed it. Newest year first, then by name."""
    stmt = (
        select(AwardHistory, AwardType.name, Unit.name)
        .join(AwardType, AwardType.code == AwardHistory.award_type_code)
        .outerjoin(Unit, Unit.id == AwardHistory.unit_id)
        .where(or_(AwardHistory.source != "unit", AwardHistory.confirmed_at.is_not(None)))
    )
    if filters.q:
        stmt = stmt.where(like_folded(AwardHistory.search_text, filters.q))
    if filters.year is not None:
        stmt = stmt.where(AwardHistory.year == filters.year)
    if filters.award_type_code is not None:
        stmt = stmt.where(AwardHistory.award_type_code == filters.award_type_code)
    stmt = stmt.order_by(AwardHistory.year.desc(), AwardHistory.nominee_key, AwardHistory.id)
    page = await paginate(session, stmt, limit, offset, scalars=False)
    items = [
        PublicAward(
            name=row.nominee_name,
            kind=row.nominee_kind,
            unit=unit,
            award=award,
            year=row.year,
            decision_no=row.decision_no,
            decided_on=row.decided_on,
        )
        for row, award, unit in page.items
    ]
    return replace(page, items=items)
