"""Hồ sơ đối tượng: everything known about one person or one collective, in one answer — its
award history, yearly ratings, initiatives, discipline records (for the unit and Sở Nội vụ) and
the nominations that proposed it."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound
from app.core.principal import NOI_VU, UNIT, Principal
from app.models import (
    AwardHistory,
    Collective,
    DisciplineRecord,
    Dossier,
    Initiative,
    InitiativeAuthor,
    Nomination,
    YearlyRating,
)
from app.services import permissions
from app.services.nominees.records import person_key

HIDDEN = "Không tìm thấy đối tượng này (hoặc không được phép xem)."


def _visible_unit(principal: Principal, unit_id: int | None) -> None:
    """A unit reads its own people and collectives only; as if the others did not exist."""
    if principal.role == UNIT and unit_id != principal.unit_id:
        raise NotFound(HIDDEN)


async def person_record(
    session: AsyncSession, principal: Principal, name: str, unit_id: int | None
) -> dict[str, Any]:
    """A person by name (without diacritics or case) and unit."""
    permissions.require(principal, "nominee.read_person")
    _visible_unit(principal, unit_id)
    key = person_key(name)
    if not key:  # only spaces: no one has that name
        raise NotFound(HIDDEN)

    def same_unit(column):
        return column.is_(None) if unit_id is None else column == unit_id

    awards = await session.scalars(
        select(AwardHistory)
        .where(AwardHistory.nominee_kind == "individual", AwardHistory.nominee_key == key,
               same_unit(AwardHistory.unit_id))
        .order_by(AwardHistory.year, AwardHistory.id)
    )  # fmt: skip
    ratings = await session.scalars(
        select(YearlyRating)
        .where(YearlyRating.nominee_kind == "individual", YearlyRating.nominee_key == key,
               same_unit(YearlyRating.unit_id))
        .order_by(YearlyRating.year)
    )  # fmt: skip
    authored = select(InitiativeAuthor.initiative_id).where(InitiativeAuthor.name_key == key)
    initiatives = await session.scalars(
        select(Initiative)
        .where(Initiative.id.in_(authored), same_unit(Initiative.unit_id))
        .options(selectinload(Initiative.authors))
        .order_by(Initiative.year, Initiative.id)
    )
    discipline = []
    if principal.role in (NOI_VU, UNIT):
        discipline = list(
            await session.scalars(
                select(DisciplineRecord)
                .where(DisciplineRecord.nominee_key == key, same_unit(DisciplineRecord.unit_id))
                .order_by(DisciplineRecord.started_on)
            )
        )
    nominations = await _nominations(
        session,
        principal,
        (Nomination.nominee_kind == "individual", Nomination.nominee_key == key,
         same_unit(Nomination.nominee_unit_id)),
    )  # fmt: skip
    awards, ratings, initiatives = list(awards), list(ratings), list(initiatives)
    if not (awards or ratings or initiatives or discipline or nominations):
        raise NotFound(HIDDEN)
    shown = (awards or ratings or nominations or [None])[0]
    return {
        "nominee_kind": "individual",
        "nominee_name": getattr(shown, "nominee_name", None) or name,
        "unit_id": unit_id,
        "collective_id": None,
        "awards": awards,
        "ratings": ratings,
        "initiatives": initiatives,
        "discipline": list(discipline) if principal.role in (NOI_VU, UNIT) else None,
        "nominations": nominations,
    }


async def collective_record(
    session: AsyncSession, principal: Principal, collective_id: int
) -> dict[str, Any]:
    """A collective by its row in the register."""
    permissions.require(principal, "nominee.read_collective")
    collective = await session.get(Collective, collective_id)
    if collective is None:
        raise NotFound(HIDDEN)
    _visible_unit(principal, collective.unit_id)
    awards = await session.scalars(
        select(AwardHistory)
        .where(AwardHistory.collective_id == collective_id)
        .order_by(AwardHistory.year, AwardHistory.id)
    )
    ratings = await session.scalars(
        select(YearlyRating)
        .where(YearlyRating.collective_id == collective_id)
        .order_by(YearlyRating.year)
    )
    nominations = await _nominations(
        session, principal, (Nomination.collective_id == collective_id,)
    )
    return {
        "nominee_kind": "collective",
        "nominee_name": collective.name,
        "unit_id": collective.unit_id,
        "collective_id": collective.id,
        "awards": list(awards),
        "ratings": list(ratings),
        "initiatives": [],
        "discipline": None,
        "nominations": nominations,
    }


async def _nominations(session: AsyncSession, principal: Principal, where: tuple) -> list[dict]:
    stmt = (
        select(Nomination, Dossier.year, Dossier.code, Dossier.submitting_unit_id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(*where)
        .order_by(Dossier.year, Nomination.id)
    )
    if principal.role == UNIT:
        stmt = stmt.where(Dossier.submitting_unit_id == principal.unit_id)
    rows = await session.execute(stmt)
    return [
        {"id": n.id, "dossier_id": n.dossier_id, "dossier_code": code, "year": year,
         "award_type_code": n.award_type_code, "status": n.status,
         "appraisal_conclusion": n.appraisal_conclusion}
        for n, year, code, _ in rows
    ]  # fmt: skip
