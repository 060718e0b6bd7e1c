"""Facts about nominees that the criteria read: yearly ratings (xếp loại), discipline and
investigations (kỷ luật, điều tra, thanh tra), initiatives and research (sáng kiến, đề tài).

A unit enters them for its own people and collectives; Sở Nội vụ enters them for any unit,
sees all of them and confirms ratings. Council members and readers see ratings and
initiatives; discipline records only the unit and Sở Nội vụ.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from app.core.clock import utcnow
from app.core.errors import Conflict, Forbidden, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import (
    PageResult,
    check_version,
    flush_or_conflict,
    get_or_404,
    like_folded,
    paginate,
)
from app.core.principal import COUNCIL_MEMBER, NOI_VU, READER, UNIT, Principal
from app.core.text import fold, nfc, search_text
from app.models import (
    DisciplineRecord,
    Initiative,
    InitiativeAuthor,
    InitiativeUse,
    Nomination,
    Unit,
    YearlyRating,
)
from app.services import audit, permissions
from app.services.nominees.collectives import COLLECTIVE, Register
from app.services.nominees.facts import HOLDING

RATING_FIELDS = ("id", "nominee_kind", "nominee_name", "unit_id", "collective_id", "year",
                 "rating", "decision_no", "source", "confirmed_at")  # fmt: skip
DISCIPLINE_FIELDS = ("id", "nominee_name", "unit_id", "kind", "form", "decision_no",
                     "started_on", "ended_on", "note")  # fmt: skip
INITIATIVE_FIELDS = ("id", "kind", "title", "unit_id", "scope", "year", "recognised_by",
                     "decision_no", "decided_on")  # fmt: skip


def person_key(name: str) -> str:
    """The folded name a person is matched by (as in the award history and nominations)."""
    return fold(name)[:300]


def scope(stmt: Select, model: Any, principal: Principal, readers: frozenset[str]) -> Select:
    """A unit sees its own unit's rows; the roles in `readers` see all; any other none."""
    if principal.role == UNIT:
        return stmt.where(model.unit_id == principal.unit_id)
    if principal.role in readers:
        return stmt
    return stmt.where(false())


FACT_READERS = frozenset({NOI_VU, COUNCIL_MEMBER, READER})
DISCIPLINE_READERS = frozenset({NOI_VU})


def _unit_of(actor: Principal, unit_id: int | None) -> int | None:
    """A unit enters facts for its own people only; Sở Nội vụ for any unit."""
    if actor.role == UNIT:
        if unit_id not in (None, actor.unit_id):
            raise Forbidden(
                "Đơn vị chỉ nhập thông tin của cá nhân, tập thể thuộc đơn vị mình.",
                code="not_own_unit",
            )
        return actor.unit_id
    return unit_id


async def _check_unit(session: AsyncSession, unit_id: int | None) -> None:
    if unit_id is not None and await session.get(Unit, unit_id) is None:
        raise Unprocessable(f"Không có đơn vị mã số {unit_id}.", code="unknown_reference")


# ---- yearly ratings --------------------------------------------------------------------------


async def new_rating(
    session: AsyncSession,
    actor: Principal,
    data: dict[str, Any],
    *,
    source: str,
    register: Register | None = None,
    preview: bool = False,
    check_duplicate: bool = True,
) -> YearlyRating:
    """A rating row, its collective resolved (not registered in a `preview`); refused when the
    nominee already has one that year (409 `duplicate_rating`)."""
    unit_id = _unit_of(actor, data.get("unit_id"))
    name = nfc(data["nominee_name"])[:300]
    collective_id = None
    if data["nominee_kind"] == COLLECTIVE and not preview:
        register = register or await Register.load(session, [(unit_id, name)])
        collective_id = (await register.resolve(unit_id, name)).id
    row = YearlyRating(
        nominee_kind=data["nominee_kind"], nominee_name=name, nominee_key=person_key(name),
        unit_id=unit_id, collective_id=collective_id, year=data["year"], rating=data["rating"],
        decision_no=nfc(data.get("decision_no") or "")[:100] or None, source=source,
        search_text=search_text(name), created_by_id=actor.user_id,
    )  # fmt: skip
    if check_duplicate and await _rating_exists(session, row):
        raise Conflict(
            f"{name} đã có xếp loại năm {row.year}; sửa bản ghi đó thay vì nhập thêm.",
            code="duplicate_rating",
        )
    return row


def rating_key(row: YearlyRating) -> tuple:
    """What makes two ratings the same: a collective's register row and year; a person's folded
    name, unit and year."""
    if row.collective_id is not None:
        return (row.nominee_kind, "collective", row.collective_id, row.year)
    return (row.nominee_kind, row.nominee_key, row.unit_id, row.year)


async def existing_rating_keys(session: AsyncSession, rows: list[YearlyRating]) -> set[tuple]:
    """The `rating_key`s of `rows` already recorded: one query per 1,000 nominees (far below
    PostgreSQL's bound on parameters), not one per row."""
    keys = sorted({r.nominee_key for r in rows if r.collective_id is None})
    teams = sorted({r.collective_id for r in rows if r.collective_id is not None})
    years = sorted({r.year for r in rows})
    found: set[tuple] = set()
    columns = (YearlyRating.nominee_kind, YearlyRating.nominee_key, YearlyRating.unit_id,
               YearlyRating.collective_id, YearlyRating.year)  # fmt: skip
    batches = [(YearlyRating.nominee_key, keys[i : i + 1000]) for i in range(0, len(keys), 1000)]
    batches += [
        (YearlyRating.collective_id, teams[i : i + 1000]) for i in range(0, len(teams), 1000)
    ]
    for column, chunk in batches:
        stmt = select(*columns).where(column.in_(chunk), YearlyRating.year.in_(years))
        for kind, key, unit_id, collective_id, year in await session.execute(stmt):
            found.add(
                (kind, "collective", collective_id, year)
                if collective_id is not None
                else (kind, key, unit_id, year)
            )
    return found


async def _rating_exists(session: AsyncSession, row: YearlyRating) -> bool:
    stmt = select(YearlyRating.id).where(
        YearlyRating.year == row.year, YearlyRating.nominee_kind == row.nominee_kind
    )
    if row.collective_id is not None:
        stmt = stmt.where(YearlyRating.collective_id == row.collective_id)
    else:
        stmt = stmt.where(
            YearlyRating.nominee_key == row.nominee_key,
            YearlyRating.unit_id.is_(None)
            if row.unit_id is None
            else YearlyRating.unit_id == row.unit_id,
        )
    return await session.scalar(stmt.limit(1)) is not None


async def record_rating(
    session: AsyncSession, actor: Principal, data: dict[str, Any]
) -> YearlyRating:
    """Xếp loại một năm of one person or collective of the caller's unit."""
    permissions.require(actor, "rating.record")
    await _check_unit(session, data.get("unit_id"))
    row = await new_rating(session, actor, data, source="entry")
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor, "rating.recorded", "yearly_rating", row.id,
        after=audit.snapshot(row, RATING_FIELDS[1:-1]),
    )  # fmt: skip
    return row


async def confirm_rating(session: AsyncSession, actor: Principal, rating_id: int) -> YearlyRating:
    """Sở Nội vụ confirms a rating against the unit's decision (idempotent)."""
    permissions.require(actor, "rating.confirm")
    row = await get_or_404(session, YearlyRating, rating_id, "xếp loại")
    if row.confirmed_at is None:
        row.confirmed_at, row.confirmed_by_id = utcnow(), actor.user_id
        await session.flush()
        await audit.record(
            session, actor, "rating.confirmed", "yearly_rating", row.id,
            before={"confirmed": False}, after={"confirmed": True},
        )  # fmt: skip
    return row


RATING_SORTING = sorting(
    YearlyRating,
    "-year,nominee_name",
    {
        "year": YearlyRating.year,
        "nominee_name": YearlyRating.nominee_key,
        "rating": YearlyRating.rating,
        "unit_id": YearlyRating.unit_id,
    },
)


async def list_ratings(
    session: AsyncSession,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """Filters: q (name, without diacritics), year, unit_id, collective_id, rating."""
    stmt = scope(select(YearlyRating), YearlyRating, principal, FACT_READERS)
    for name in ("year", "unit_id", "collective_id", "rating", "nominee_kind"):
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(YearlyRating, name) == filters[name])
    if filters.get("q"):
        stmt = stmt.where(like_folded(YearlyRating.search_text, filters["q"]))
    stmt = stmt.order_by(YearlyRating.year.desc(), YearlyRating.nominee_key, YearlyRating.id)
    return await paginate(session, RATING_SORTING.apply(stmt, listing), limit, offset)


# ---- discipline and investigations -----------------------------------------------------------


async def record_discipline(
    session: AsyncSession, actor: Principal, data: dict[str, Any]
) -> DisciplineRecord:
    """Kỷ luật / đang xem xét kỷ luật / điều tra / thanh tra of a person of the caller's unit."""
    permissions.require(actor, "discipline.record")
    await _check_unit(session, data.get("unit_id"))
    if data.get("ended_on") and data["ended_on"] < data["started_on"]:
        raise Unprocessable("Ngày kết thúc không được trước ngày bắt đầu.", code="invalid_period")
    name = nfc(data["nominee_name"])[:300]
    row = DisciplineRecord(
        nominee_name=name, nominee_key=person_key(name),
        unit_id=_unit_of(actor, data.get("unit_id")), kind=data["kind"],
        form=nfc(data.get("form") or "") or None,
        decision_no=nfc(data.get("decision_no") or "") or None,
        started_on=data["started_on"], ended_on=data.get("ended_on"),
        note=data.get("note"), search_text=search_text(name), created_by_id=actor.user_id,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor, "discipline.recorded", "discipline_record", row.id,
        after=audit.snapshot(row, DISCIPLINE_FIELDS[1:]),
    )  # fmt: skip
    return row


DISCIPLINE_SORTING = sorting(
    DisciplineRecord,
    "-started_on",
    {
        "started_on": DisciplineRecord.started_on,
        "ended_on": DisciplineRecord.ended_on,
        "kind": DisciplineRecord.kind,
        "nominee_name": DisciplineRecord.nominee_key,
    },
)


async def list_discipline(
    session: AsyncSession,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = scope(select(DisciplineRecord), DisciplineRecord, principal, DISCIPLINE_READERS)
    if filters.get("unit_id") is not None:
        stmt = stmt.where(DisciplineRecord.unit_id == filters["unit_id"])
    if filters.get("q"):
        stmt = stmt.where(like_folded(DisciplineRecord.search_text, filters["q"]))
    stmt = stmt.order_by(DisciplineRecord.started_on.desc(), DisciplineRecord.id)
    return await paginate(session, DISCIPLINE_SORTING.apply(stmt, listing), limit, offset)


# ---- initiatives and research ----------------------------------------------------------------


async def record_initiative(
    session: AsyncSession, actor: Principal, data: dict[str, Any]
) -> Initiative:
    """Sáng kiến / đề tài with its authors, recognising body, decision, scope and year."""
    permissions.require(actor, "initiative.record")
    await _check_unit(session, data.get("unit_id"))
    authors = [nfc(a)[:300] for a in data["authors"]]
    title = nfc(data["title"])[:500]
    row = Initiative(
        kind=data["kind"], title=title, unit_id=_unit_of(actor, data.get("unit_id")),
        scope=data["scope"], year=data["year"],
        recognised_by=nfc(data.get("recognised_by") or "") or None,
        decision_no=nfc(data.get("decision_no") or "") or None,
        decided_on=data.get("decided_on"), search_text=search_text(title, *authors),
        created_by_id=actor.user_id,
    )  # fmt: skip
    row.authors = [
        InitiativeAuthor(position=i, name=a, name_key=person_key(a)) for i, a in enumerate(authors)
    ]
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor, "initiative.recorded", "initiative", row.id,
        after={**audit.snapshot(row, INITIATIVE_FIELDS[1:]), "authors": authors},
    )  # fmt: skip
    return row


INITIATIVE_SORTING = sorting(Initiative, "-year", ["year", "title", "kind", "scope", "decided_on"])


async def list_initiatives(
    session: AsyncSession,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """Filters: q (title or author, without diacritics), year, unit_id, scope."""
    stmt = scope(select(Initiative), Initiative, principal, FACT_READERS)
    for name in ("year", "unit_id", "scope"):
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(Initiative, name) == filters[name])
    if filters.get("q"):
        stmt = stmt.where(like_folded(Initiative.search_text, filters["q"]))
    stmt = stmt.options(selectinload(Initiative.authors))
    stmt = stmt.order_by(Initiative.year.desc(), Initiative.id)
    return await paginate(session, INITIATIVE_SORTING.apply(stmt, listing), limit, offset)


# ---- edits and deletions ---------------------------------------------------------------------
# A fact is edited or deleted with If-Match by the unit it belongs to, or by Sở Nội vụ; each
# change is audited, and the criteria checks it fed are forgotten (criteria_inputs.py watches
# these rows), so the nominations are judged on the corrected facts.


async def _own_row(
    session: AsyncSession, actor: Principal, model: Any, row_id: int, what: str, **kw: Any
) -> Any:
    row = await get_or_404(session, model, row_id, what, **kw)
    if actor.role == UNIT and row.unit_id != actor.unit_id:
        raise Forbidden(
            "Đơn vị chỉ sửa, xoá thông tin của cá nhân, tập thể thuộc đơn vị mình.",
            code="not_own_unit",
        )
    return row


@dataclass(frozen=True)
class _Fact:
    """A kind of fact row as its edits name it: model, words, permission prefix, audit entity
    and audited fields."""

    model: Any
    what: str
    action: str
    entity: str
    fields: tuple[str, ...]


_RATING = _Fact(YearlyRating, "xếp loại", "rating", "yearly_rating", RATING_FIELDS[1:])
_DISCIPLINE = _Fact(
    DisciplineRecord, "bản ghi kỷ luật", "discipline", "discipline_record", DISCIPLINE_FIELDS[1:]
)


async def _delete_fact(
    session: AsyncSession, actor: Principal, fact: _Fact, row_id: int, expected: int | None
) -> None:
    permissions.require(actor, f"{fact.action}.delete")
    row = await _own_row(session, actor, fact.model, row_id, fact.what)
    check_version(row, expected)
    await _audited_delete(session, actor, f"{fact.action}.deleted", fact.entity, row,
                          audit.snapshot(row, fact.fields))  # fmt: skip


async def update_rating(
    session: AsyncSession,
    actor: Principal,
    rating_id: int,
    changes: dict[str, Any],
    expected: int | None,
) -> YearlyRating:
    """Correct a rating's year, rating or decision; a unit's correction of a confirmed rating
    needs Sở Nội vụ's confirmation again. Another rating of the new year: 409
    `duplicate_rating`."""
    permissions.require(actor, "rating.update")
    row = await _own_row(session, actor, YearlyRating, rating_id, "xếp loại")
    check_version(row, expected)
    before = audit.snapshot(row, RATING_FIELDS[1:])
    if "year" in changes and changes["year"] is not None and changes["year"] != row.year:
        probe = YearlyRating(nominee_kind=row.nominee_kind, nominee_key=row.nominee_key,
                             unit_id=row.unit_id, collective_id=row.collective_id,
                             year=changes["year"])  # fmt: skip
        if await _rating_exists(session, probe):
            raise Conflict(
                f"{row.nominee_name} đã có xếp loại năm {probe.year}; sửa bản ghi đó.",
                code="duplicate_rating",
            )
        row.year = changes["year"]
    if changes.get("rating") is not None:
        row.rating = changes["rating"]
    if "decision_no" in changes:
        row.decision_no = nfc(changes["decision_no"] or "")[:100] or None
    if actor.role == UNIT and session.is_modified(row):
        row.confirmed_at = row.confirmed_by_id = None
    await _audited_update(session, actor, "rating.updated", "yearly_rating", row, before,
                          RATING_FIELDS[1:])  # fmt: skip
    return row


async def delete_rating(
    session: AsyncSession, actor: Principal, rating_id: int, expected: int | None
) -> None:
    """Delete a rating entered in error (the unit's own, or any for Sở Nội vụ); audited."""
    await _delete_fact(session, actor, _RATING, rating_id, expected)


async def update_discipline(
    session: AsyncSession,
    actor: Principal,
    record_id: int,
    changes: dict[str, Any],
    expected: int | None,
) -> DisciplineRecord:
    """Correct a discipline record, e.g. set the day it ended (422 `invalid_period` when it
    would end before it started)."""
    permissions.require(actor, "discipline.update")
    row = await _own_row(session, actor, DisciplineRecord, record_id, "bản ghi kỷ luật")
    check_version(row, expected)
    before = audit.snapshot(row, DISCIPLINE_FIELDS[1:])
    for name in ("kind", "started_on"):
        if changes.get(name) is not None:
            setattr(row, name, changes[name])
    for name in ("form", "decision_no"):
        if name in changes:
            setattr(row, name, nfc(changes[name] or "") or None)
    for name in ("ended_on", "note"):
        if name in changes:
            setattr(row, name, changes[name])
    if row.ended_on is not None and row.ended_on < row.started_on:
        raise Unprocessable("Ngày kết thúc không được trước ngày bắt đầu.", code="invalid_period")
    await _audited_update(session, actor, "discipline.updated", "discipline_record", row, before,
                          DISCIPLINE_FIELDS[1:])  # fmt: skip
    return row


async def delete_discipline(
    session: AsyncSession, actor: Principal, record_id: int, expected: int | None
) -> None:
    """Delete a discipline record entered in error; audited."""
    await _delete_fact(session, actor, _DISCIPLINE, record_id, expected)


async def _initiative(session: AsyncSession, actor: Principal, initiative_id: int) -> Initiative:
    return await _own_row(
        session, actor, Initiative, initiative_id, "sáng kiến, đề tài",
        options=[selectinload(Initiative.authors)],
    )  # fmt: skip


def _initiative_audit(row: Initiative) -> dict[str, Any]:
    return {**audit.snapshot(row, INITIATIVE_FIELDS[1:]), "authors": [a.name for a in row.authors]}


async def update_initiative(
    session: AsyncSession,
    actor: Principal,
    initiative_id: int,
    changes: dict[str, Any],
    expected: int | None,
) -> Initiative:
    """Correct an initiative: title, authors, scope, year, recognising body or decision."""
    permissions.require(actor, "initiative.update")
    row = await _initiative(session, actor, initiative_id)
    check_version(row, expected)
    before = _initiative_audit(row)
    for name in ("kind", "scope", "year"):
        if changes.get(name) is not None:
            setattr(row, name, changes[name])
    if changes.get("title") is not None:
        row.title = nfc(changes["title"])[:500]
    for name in ("recognised_by", "decision_no"):
        if name in changes:
            setattr(row, name, nfc(changes[name] or "") or None)
    if "decided_on" in changes:
        row.decided_on = changes["decided_on"]
    authors_changed = False
    if changes.get("authors") is not None:
        authors = [nfc(a)[:300] for a in changes["authors"]]
        if authors != [a.name for a in row.authors]:
            authors_changed = True
            row.authors.clear()
            await session.flush()
            row.authors.extend(
                InitiativeAuthor(position=i, name=a, name_key=person_key(a))
                for i, a in enumerate(authors)
            )
    row.search_text = search_text(row.title, *(a.name for a in row.authors))
    if authors_changed:  # the version (ETag) moves with the authors too
        flag_modified(row, "search_text")
    await flush_or_conflict(session)
    after = _initiative_audit(row)
    if after != before:
        await audit.record(session, actor, "initiative.updated", "initiative", row.id,
                           before=before, after=after)  # fmt: skip
    return row


async def delete_initiative(
    session: AsyncSession, actor: Principal, initiative_id: int, expected: int | None
) -> None:
    """Delete an initiative; one that justified a nomination still on its way to an award (or
    awarded) is refused (409 `initiative_in_use`)."""
    permissions.require(actor, "initiative.delete")
    row = await _initiative(session, actor, initiative_id)
    check_version(row, expected)
    held = await session.scalar(
        select(InitiativeUse.nomination_id)
        .join(Nomination, Nomination.id == InitiativeUse.nomination_id)
        .where(InitiativeUse.initiative_id == row.id, Nomination.status.in_(HOLDING))
        .limit(1)
    )
    if held is not None:
        raise Conflict(
            f"Sáng kiến, đề tài “{row.title}” đã làm căn cứ cho đề nghị số {held}; không xoá "
            "được khi đề nghị đó còn hiệu lực.",
            code="initiative_in_use",
            nomination_id=held,
        )
    await session.execute(delete(InitiativeUse).where(InitiativeUse.initiative_id == row.id))
    await _audited_delete(session, actor, "initiative.deleted", "initiative", row,
                          _initiative_audit(row))  # fmt: skip


async def _audited_update(
    session: AsyncSession,
    actor: Principal,
    action: str,
    entity: str,
    row: Any,
    before: dict[str, Any],
    fields: tuple[str, ...],
) -> None:
    await flush_or_conflict(session)
    after = audit.snapshot(row, fields)
    if after != before:
        await audit.record(session, actor, action, entity, row.id, before=before, after=after)


async def _audited_delete(
    session: AsyncSession,
    actor: Principal,
    action: str,
    entity: str,
    row: Any,
    before: dict[str, Any],
) -> None:
    await session.delete(row)
    await flush_or_conflict(session)
    await audit.record(session, actor, action, entity, row.id, before=before)
