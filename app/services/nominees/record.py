"""Hồ sơ đối tượng: everything known about one person, collective or household, in one answer —
its award history, yearly ratings, initiatives, discipline records (for the unit and Sở Nội vụ)
and the nominations that proposed it. A household has awards and nominations only, and its
address (for the unit and Sở Nội vụ)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound
from app.core.nominee_kinds import NomineeKind
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
        "nominee_address": None,
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
        "nominee_address": None,
        "collective_id": collective.id,
        "awards": list(awards),
        "ratings": list(ratings),
        "initiatives": [],
        "discipline": None,
        "nominations": nominations,
    }


async def household_record(
    session: AsyncSession, principal: Principal, name: str, unit_id: int | None
) -> dict[str, Any]:
    """A household by its name (“Hộ ông Lò Văn Pọm”, without diacritics or case) and its xã:
    its awards and nominations, and its address (thôn/bản, xã) for the unit and Sở Nội vụ. A
    unit reads the households of its own xã and those it nominated (404 for any other)."""
    permissions.require(principal, "nominee.read_household")
    key = person_key(name)
    if not key:
        raise NotFound(HIDDEN)
    same_unit = (
        AwardHistory.unit_id.is_(None) if unit_id is None else AwardHistory.unit_id == unit_id
    )
    awards = list(
        await session.scalars(
            select(AwardHistory)
            .where(AwardHistory.nominee_kind == NomineeKind.HOUSEHOLD,
                   AwardHistory.nominee_key == key, same_unit)
            .order_by(AwardHistory.year, AwardHistory.id)
        )
    )  # fmt: skip
    of_household = (
        Nomination.nominee_kind == NomineeKind.HOUSEHOLD,
        Nomination.nominee_key == key,
        Nomination.nominee_unit_id.is_(None)
        if unit_id is None
        else Nomination.nominee_unit_id == unit_id,
    )
    if principal.role == UNIT and unit_id != principal.unit_id:
        nominated = await session.scalar(
            select(Nomination.id)
            .join(Dossier, Dossier.id == Nomination.dossier_id)
            .where(*of_household, Dossier.submitting_unit_id == principal.unit_id)
            .limit(1)
        )
        if nominated is None:
            raise NotFound(HIDDEN)
    nominations = await _nominations(session, principal, of_household)
    if not (awards or nominations):
        raise NotFound(HIDDEN)
    address = None
    if principal.role in (NOI_VU, UNIT):
        address = await _latest_address(session, awards, of_household)
    return {
        "nominee_kind": NomineeKind.HOUSEHOLD.value,
        "nominee_name": (awards[-1].nominee_name if awards else None) or name,
        "unit_id": unit_id,
        "nominee_address": address,
        "collective_id": None,
        "awards": awards,
        "ratings": [],
        "initiatives": [],
        "discipline": None,
        "nominations": nominations,
    }


async def _latest_address(
    session: AsyncSession, awards: list[AwardHistory], of_household: tuple
) -> str | None:
    """The household's address as its latest nomination gives it, else its latest award."""
    latest = await session.scalar(
        select(Nomination.nominee_address)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(*of_household, Nomination.nominee_address.is_not(None))
        .order_by(Dossier.year.desc(), Nomination.id.desc())
        .limit(1)
    )
    if latest:
        return latest
    return next((a.nominee_address for a in reversed(awards) if a.nominee_address), None)


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
