"""The facts the criteria read about a page of nominations, loaded in one query per kind:
yearly ratings, discipline records and initiatives, matched as the award history is (a person
by folded name and unit, a collective by its register row)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.nominee_kinds import NomineeKind
from app.core.statuses import NominationStatus
from app.models import (
    DisciplineRecord,
    Dossier,
    Initiative,
    InitiativeAuthor,
    InitiativeUse,
    Nomination,
    YearlyRating,
)
from app.services.award_types.catalogue import award_type_name
from app.services.award_types.criteria import YearRating

# A nomination holds the initiatives it was concluded eligible on while it may still become an
# award; rejected, withdrawn, returned or found ineligible, it leaves them free again.
HOLDING = frozenset(
    {
        NominationStatus.ELIGIBLE,
        NominationStatus.APPROVED,
        NominationStatus.AWARDED,
        NominationStatus.SUBMITTED_TO_STATE,
    }
)

DISCIPLINE_NAMES = {
    "discipline": "bị kỷ luật",
    "pending_discipline": "đang bị xem xét kỷ luật",
    "investigation": "đang bị điều tra",
    "inspection": "đang bị thanh tra, kiểm tra",
}


INDIVIDUAL = NomineeKind.INDIVIDUAL


@dataclass
class KnownFacts:
    ratings: list[YearlyRating] = field(default_factory=list)
    discipline: list[DisciplineRecord] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    # Initiative id → (nomination id, what to call it) of the nomination holding it.
    uses: dict[int, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class NomineeExtras:
    """What a nominee's facts add to its award history for the criteria."""

    ratings: tuple[YearRating, ...]
    initiatives: tuple[dict, ...]
    under_discipline: bool
    discipline_reason: str | None
    counting_from: int | None


async def load(session: AsyncSession, nominations: Iterable[Nomination]) -> KnownFacts:
    """The facts of every nominee of the nominations' dossiers, one query per kind.

    Nominees are named by a subquery over their dossiers, not by a list of names, so that a
    page of large dossiers binds a handful of parameters (as the award history does)."""
    dossier_ids = {n.dossier_id for n in nominations}
    if not dossier_ids:
        return KnownFacts()
    mine = Nomination.dossier_id.in_(dossier_ids)
    people = select(Nomination.nominee_key).where(mine, Nomination.nominee_kind == INDIVIDUAL)
    teams = select(Nomination.collective_id).where(mine, Nomination.collective_id.is_not(None))
    # A UNION of the two indexed lookups, not an OR (which PostgreSQL answers by a full scan).
    rated = union(
        select(YearlyRating.id).where(
            YearlyRating.nominee_kind == INDIVIDUAL, YearlyRating.nominee_key.in_(people)
        ),
        select(YearlyRating.id).where(YearlyRating.collective_id.in_(teams)),
    ).subquery()
    ratings = select(YearlyRating).where(YearlyRating.id.in_(select(rated.c.id)))
    discipline = select(DisciplineRecord).where(DisciplineRecord.nominee_key.in_(people))
    authored = select(InitiativeAuthor.initiative_id).where(InitiativeAuthor.name_key.in_(people))
    initiatives = (
        select(Initiative)
        .where(Initiative.id.in_(authored))
        .options(selectinload(Initiative.authors))
    )
    uses = (
        select(InitiativeUse.initiative_id, Nomination.id, Nomination.nominee_name,
               Nomination.award_type_code, Dossier.code)
        .join(Nomination, Nomination.id == InitiativeUse.nomination_id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(InitiativeUse.initiative_id.in_(authored), Nomination.status.in_(HOLDING))
    )  # fmt: skip
    return KnownFacts(
        list(await session.scalars(ratings)),
        list(await session.scalars(discipline)),
        list(await session.scalars(initiatives)),
        {
            initiative_id: (
                nomination_id,
                f"đề nghị số {nomination_id} ({name}, {award_type_name(code)}, hồ sơ {dossier})",
            )
            for initiative_id, nomination_id, name, code, dossier in await session.execute(uses)
        },
    )


def _used_by(known: KnownFacts, initiative_id: int, nomination_id: int) -> str | None:
    """Which other nomination holds the initiative, or None when it is free (or held by this
    nomination itself)."""
    use = known.uses.get(initiative_id)
    return use[1] if use is not None and use[0] != nomination_id else None


def _mine(row_key: str, row_unit: int | None, nomination: Nomination) -> bool:
    return row_key == nomination.nominee_key and row_unit == nomination.nominee_unit_id


def extras(nomination: Nomination, known: KnownFacts, today: date) -> NomineeExtras:
    """The nominee's ratings, initiatives and discipline state on `today`; a household has
    none of them recorded (its criterion asks for the commune's confirmation instead)."""
    if nomination.nominee_kind == NomineeKind.HOUSEHOLD:
        return NomineeExtras((), (), False, None, None)
    if nomination.nominee_kind == NomineeKind.COLLECTIVE:
        ratings = [r for r in known.ratings if r.collective_id == nomination.collective_id]
        records: list[DisciplineRecord] = []
        initiatives: list[Initiative] = []
    else:
        ratings = [
            r for r in known.ratings
            if r.nominee_kind == NomineeKind.INDIVIDUAL
            and _mine(r.nominee_key, r.unit_id, nomination)
        ]  # fmt: skip
        records = [d for d in known.discipline if _mine(d.nominee_key, d.unit_id, nomination)]
        initiatives = [
            i for i in known.initiatives
            if any(a.name_key == nomination.nominee_key for a in i.authors)
            and i.unit_id in (None, nomination.nominee_unit_id)
        ]  # fmt: skip
    running = [
        d for d in records if d.started_on <= today and (d.ended_on is None or d.ended_on >= today)
    ]
    ended = [
        d.ended_on for d in records if d.kind == "discipline" and d.ended_on and d.ended_on < today
    ]
    reason = None
    if running:
        d = running[0]
        reason = f"{DISCIPLINE_NAMES[d.kind].capitalize()} từ {d.started_on:%d/%m/%Y}" + (
            f" ({d.form}" + (f", {d.decision_no}" if d.decision_no else "") + ")"
            if d.form or d.decision_no else ""
        )  # fmt: skip
    return NomineeExtras(
        ratings=tuple(YearRating(r.year, r.rating, r.decision_no) for r in ratings),
        initiatives=tuple(
            {
                "id": i.id,
                "title": i.title,
                "scope": i.scope,
                "year": i.year,
                "decision_no": i.decision_no,
                "kind": i.kind,
                "used_by": _used_by(known, i.id, nomination.id),
            }
            for i in sorted(initiatives, key=lambda i: (i.year, i.id))
        ),
        under_discipline=bool(running),
        discipline_reason=reason,
        counting_from=max(ended).year + 1 if ended else None,
    )
