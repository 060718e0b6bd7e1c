"""The lists under public disclosure today: published, and not past their comment deadline."""

from collections import defaultdict
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.orm import PageResult, paginate
from app.models import AwardType, Disclosure, DisclosureItem, Dossier, Nomination, Unit
from app.schemas.public import PublicDisclosure, PublicNominee
from app.services.disclosures import lists


async def current(session: AsyncSession, today: date, limit: int, offset: int) -> PageResult:
    """The lists open for comment on `today`, the latest deadline last; each with its
    nominations still standing by award type (as the catalogue orders them) and name; a list
    none of whose nominations still stands is not shown."""
    still_carrying = (
        select(DisclosureItem.disclosure_id)
        .join(Nomination, Nomination.id == DisclosureItem.nomination_id)
        .where(lists.standing())
    )
    stmt = (
        select(Disclosure)
        .where(
            Disclosure.published_on <= today,
            Disclosure.ends_on >= today,
            Disclosure.id.in_(still_carrying),
        )
        .order_by(Disclosure.ends_on, Disclosure.id)
    )
    page = await paginate(session, stmt, limit, offset)
    nominees = await _nominees(session, [d.id for d in page.items])
    items = [
        PublicDisclosure(
            id=d.id,
            title=d.title,
            published_on=d.published_on,
            ends_on=d.ends_on,
            channel=d.channel,
            url=d.url,
            feedback_to=d.feedback_to,
            nominations=nominees.get(d.id, []),
        )
        for d in page.items
    ]
    return replace(page, items=items)


async def _nominees(session: AsyncSession, ids: list[int]) -> dict[int, list[PublicNominee]]:
    if not ids:
        return {}
    nominee_unit = Unit.__table__.alias("nominee_unit")
    rows = await session.execute(
        select(
            DisclosureItem.disclosure_id,
            Nomination.nominee_name,
            Nomination.nominee_kind,
            nominee_unit.c.name,
            Unit.name,
            AwardType.name,
        )
        .join(Nomination, Nomination.id == DisclosureItem.nomination_id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .join(Unit, Unit.id == Dossier.submitting_unit_id)
        .outerjoin(nominee_unit, nominee_unit.c.id == Nomination.nominee_unit_id)
        .join(AwardType, AwardType.code == Nomination.award_type_code)
        .where(DisclosureItem.disclosure_id.in_(ids), lists.standing())
        .order_by(
            DisclosureItem.disclosure_id, AwardType.position, Nomination.nominee_key, Nomination.id
        )
    )
    found: dict[int, list[PublicNominee]] = defaultdict(list)
    for disclosure_id, name, kind, own_unit, submitting_unit, award in rows:
        found[disclosure_id].append(
            PublicNominee(name=name, kind=kind, unit=own_unit or submitting_unit, award=award)
        )
    return found
