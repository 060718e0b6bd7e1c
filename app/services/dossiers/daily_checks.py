"""Today's criteria checks stored ahead of the reads (`tdkt refresh-checks`, and the worker once
a day shortly after midnight in Việt Nam).

Stored checks hold for the day they were computed on (discipline and the years counted run by
date), unless frozen at the nomination's conclusion. A read that finds them stale computes them
again and, being read-only, cannot store them: after midnight, and for nominations loaded in
bulk, every dossier read and list page would compute them again until something writes. This
computes and stores them for every nomination whose stored checks do not hold today, `CHUNK`
nominations per transaction, through the same evaluation as a read (`stored_checks`) and its
`checks_stamp` guard: an input changed meanwhile is never overwritten with stale checks.

On PostgreSQL each chunk's rows are locked (`FOR UPDATE SKIP LOCKED`) until its transaction
ends: several workers running it at once share the nominations instead of computing them
twice, and an edit of a locked row waits for the chunk (then forgets its checks as usual). On
SQLite `BEGIN IMMEDIATE` lets one writer in at a time. Running it again the same day finds
nothing to do.
"""

from typing import Any

from sqlalchemy import and_, bindparam, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database, skip_locked
from app.models import Dossier, Nomination
from app.services.dossiers import rules
from app.services.dossiers.checks import fresh, stored_checks, tally
from app.services.nominees.criteria_inputs import CONCLUDED

CHUNK = 500

_TABLE = Nomination.__table__
# The tally of checks frozen before their tally said so: the checks stay as they are.
_RETALLY = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("nomination_id"), _TABLE.c.checks_stamp == bindparam("stamp"))
    .values(checks_tally=bindparam("tally"))
)


def _stale(today: str) -> Any:
    """Nominations whose stored tally does not hold `today`: none stored, stored another day
    and not frozen at a conclusion. (The tally is written with the checks; `fresh` decides on
    the loaded rows.)"""
    stored = Nomination.checks_tally
    return or_(
        stored.is_(None),
        and_(
            stored.not_like(f"{today} %"),
            not_(and_(stored.like("% frozen"), Nomination.status.in_(CONCLUDED))),
        ),
    )


async def refresh_chunk(session: AsyncSession, after: int, size: int = CHUNK) -> tuple[int, int]:
    """Store today's checks of the next `size` stale nominations with an id above `after`.
    Returns (the last id looked at, or 0 when none was left; how many were refreshed)."""
    today = rules.today().isoformat()
    rows = (
        await session.execute(
            skip_locked(
                select(Nomination, Dossier.year)
                .join(Dossier, Dossier.id == Nomination.dossier_id)
                .where(Nomination.id > after, _stale(today))
                .order_by(Nomination.id)
                .limit(size),
                Nomination,
            )
        )
    ).all()
    if not rows:
        return 0, 0
    nominations = [n for n, _ in rows]
    missing = [n for n in nominations if not fresh(n, today)]
    await stored_checks(session, missing, {n.dossier_id: year for n, year in rows})
    computed = {n.id for n in missing}
    retallied = [
        {"nomination_id": n.id, "stamp": n.checks_stamp, "tally": tally(n.criteria_checks)}
        for n in nominations
        if n.id not in computed and n.checks_tally != tally(n.criteria_checks)
    ]
    if retallied:
        await session.execute(_RETALLY, retallied)
    return nominations[-1].id, len(missing) + len(retallied)


async def refresh_stale_checks(db: Database, size: int = CHUNK) -> int:
    """Store today's checks of every nomination whose stored checks do not hold today, one
    transaction per `size` nominations; returns how many were refreshed."""
    after, refreshed = 0, 0
    while True:
        async with db.session() as session:
            last, count = await refresh_chunk(session, after, size)
        if not last:
            return refreshed
        after, refreshed = last, refreshed + count
