"""An input of the criteria changed: the checks stored on the nominations it feeds are
forgotten in the same transaction, and the next read computes them again
(services/dossiers/checks.py). A stale check is never shown.

Two ways in, both generic:
- `watch(Model, affected)`: every row of `Model` added, changed or deleted through the ORM
  forgets the checks that `affected(row)` names, at the flush. Award history, award types,
  yearly ratings, discipline records, initiatives (with their authors), cluster standings and
  clusters are watched at the end of this module; a new register the criteria read adds one
  `watch` line there.
- `await inputs_changed(session, ...)`: for a change the ORM does not see (a bulk UPDATE, a
  dossier moved to another year).

What is named: nominations by id or dossier, individuals by folded name (`nominee_keys`),
collectives by their row in the register, nominations by award type, the authors of
initiatives (by initiative, or by the nomination holding them). More is always safe; less is a
stale check.

A concluded nomination (awarded, rejected, submitted to the state) keeps the checks it was
concluded on: no change of an input forgets them (services/dossiers/checks.py freezes them at
the move); a nomination that leaves that state (a rejected one returned) is computed again.
"""

from collections.abc import Callable, Collection, Iterable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.core.statuses import NominationStatus
from app.models import (
    AwardHistory,
    AwardType,
    ClusterStanding,
    Collective,
    DisciplineRecord,
    Initiative,
    InitiativeAuthor,
    InitiativeUse,
    Nomination,
    YearlyRating,
)

# The statuses whose checks are frozen: what the nomination was concluded on.
CONCLUDED = frozenset(
    {NominationStatus.AWARDED, NominationStatus.REJECTED, NominationStatus.SUBMITTED_TO_STATE}
)
CHUNK = 1000  # ids or keys per statement, far below PostgreSQL's 32,767 parameters
Affected = Callable[[Any], dict[str, Iterable[Any]]]
_COLUMNS = {
    "nomination_ids": Nomination.id,
    "dossier_ids": Nomination.dossier_id,
    "nominee_keys": Nomination.nominee_key,
    "collective_ids": Nomination.collective_id,
    "award_type_codes": Nomination.award_type_code,
}
# Nominations named through a subquery: collectives through what they are (the units' own rows
# in the register, the units placed in a cluster's standings), people through the initiatives
# they wrote (by initiative, or by the nomination that holds it).
_AUTHORS = select(InitiativeAuthor.name_key)
_SUBQUERIES = {
    "collective_unit_ids": (
        Nomination.collective_id,
        lambda ids: select(Collective.id).where(Collective.unit_id.in_(ids)),
    ),
    "cluster_ids": (
        Nomination.collective_id,
        lambda ids: (
            select(Collective.id)
            .join(ClusterStanding, ClusterStanding.unit_id == Collective.unit_id)
            .where(ClusterStanding.cluster_id.in_(ids))
        ),
    ),
    "initiative_ids": (
        Nomination.nominee_key,
        lambda ids: _AUTHORS.where(InitiativeAuthor.initiative_id.in_(ids)),
    ),
    "holder_nomination_ids": (
        Nomination.nominee_key,
        lambda ids: _AUTHORS.join(
            InitiativeUse, InitiativeUse.initiative_id == InitiativeAuthor.initiative_id
        ).where(InitiativeUse.nomination_id.in_(ids)),
    ),
}
_WATCHED: dict[type, Affected] = {}


def watch(model: type, affected: Affected) -> None:
    """Rows of `model` are inputs of the criteria: `affected(row)` names the nominations they
    feed, by the keywords of `inputs_changed`."""
    _WATCHED[model] = affected


def _statements(named: dict[str, Iterable[Any]]) -> list:
    statements = []
    for keyword, values in named.items():
        distinct = sorted({v for v in values if v is not None})
        for start in range(0, len(distinct), CHUNK):
            chunk = distinct[start : start + CHUNK]
            if keyword in _SUBQUERIES:
                column, subquery = _SUBQUERIES[keyword]
                named_by = column.in_(subquery(chunk))
            else:
                named_by = _COLUMNS[keyword].in_(chunk)
            statements.append(
                update(Nomination)
                .where(named_by, Nomination.status.not_in(CONCLUDED))
                .values(
                    criteria_checks=None,
                    checks_tally=None,
                    checks_stamp=Nomination.checks_stamp + 1,
                )
                .execution_options(synchronize_session=False)
            )
    return statements


def _forget_held(session: Session) -> None:
    # Nominations this session already holds are computed again when read; their stamp stays
    # behind, so what is computed from them is shown but not stored.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Nomination) and obj.status not in CONCLUDED:
            set_committed_value(obj, "criteria_checks", None)
            set_committed_value(obj, "checks_tally", None)


async def inputs_changed(
    session: AsyncSession,
    *,
    nomination_ids: Collection[int] = (),
    dossier_ids: Collection[int] = (),
    nominee_keys: Collection[str] = (),
    collective_ids: Collection[int] = (),
    award_type_codes: Collection[str] = (),
) -> None:
    """Forget the stored checks of every nomination that one of these names."""
    named = {
        "nomination_ids": nomination_ids,
        "dossier_ids": dossier_ids,
        "nominee_keys": nominee_keys,
        "collective_ids": collective_ids,
        "award_type_codes": award_type_codes,
    }
    statements = _statements(named)
    for statement in statements:
        await session.execute(statement)
    if statements:
        _forget_held(session.sync_session)


def _before(obj: Any) -> SimpleNamespace:
    """A changed row as it was before the flush: it fed other nominations then."""
    state = inspect(obj)
    before = {}
    for column in state.mapper.column_attrs:
        history = state.attrs[column.key].load_history()
        before[column.key] = history.deleted[0] if history.deleted else state.dict.get(column.key)
    return SimpleNamespace(**before)


def _status_moved(nomination: Nomination, named: dict[str, list[Any]]) -> None:
    """A nomination that moved frees or holds initiatives (their authors' other nominations
    are judged again), and one that left a concluded status is no longer frozen."""
    moved = inspect(nomination).attrs.status.load_history()
    if not moved.deleted:
        return
    named.setdefault("holder_nomination_ids", []).append(nomination.id)
    if moved.deleted[0] in CONCLUDED and nomination.status not in CONCLUDED:
        named.setdefault("nomination_ids", []).append(nomination.id)


@event.listens_for(Session, "after_flush")
def _forget_checks_fed_by_flushed_rows(session: Session, _context) -> None:
    named: dict[str, list[Any]] = {}
    changed = [o for o in session.dirty if type(o) in _WATCHED and session.is_modified(o)]
    rows = [
        *((o, type(o)) for o in session.new if type(o) in _WATCHED),
        *((o, type(o)) for o in changed),
        *((_before(o), type(o)) for o in changed),
        *((o, type(o)) for o in session.deleted if type(o) in _WATCHED),
    ]
    for row, model in rows:
        for keyword, values in _WATCHED[model](row).items():
            named.setdefault(keyword, []).extend(values)
    for nomination in session.dirty:
        if isinstance(nomination, Nomination):
            _status_moved(nomination, named)
    statements = _statements(named)
    for statement in statements:
        session.execute(statement)
    if statements:
        _forget_held(session)


watch(
    AwardHistory,
    lambda row: {"nominee_keys": [row.nominee_key], "collective_ids": [row.collective_id]},
)
watch(AwardType, lambda row: {"award_type_codes": [row.code]})
watch(
    YearlyRating,
    lambda row: {"nominee_keys": [row.nominee_key], "collective_ids": [row.collective_id]},
)
watch(DisciplineRecord, lambda row: {"nominee_keys": [row.nominee_key]})
watch(InitiativeAuthor, lambda row: {"nominee_keys": [row.name_key]})
watch(
    Initiative,
    lambda row: {
        "nominee_keys": [a.name_key for a in getattr(row, "__dict__", {}).get("authors", ())]
    },
)
watch(InitiativeUse, lambda row: {"initiative_ids": [row.initiative_id]})
