"""Units: cơ quan, đơn vị, địa phương."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import (
    PageResult,
    get_or_404,
    like_folded,
    paginate,
)
from app.core.principal import Principal
from app.core.text import nfc, search_text
from app.models import (
    Unit,
)
from app.schemas.directory import UnitCreate, UnitUpdate
from app.services import audit, permissions

UNIT_FIELDS = ("code", "name", "short_name", "kind", "aliases", "active")


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for alias in aliases:
        if alias and nfc(alias):
            seen.setdefault(nfc(alias), None)
    return list(seen)


def _refresh_unit_search(unit: Unit) -> None:
    unit.search_text = search_text(unit.code, unit.name, unit.short_name, *unit.aliases)


UNIT_SORTING = sorting(Unit, "name", ["code", "name", "kind", "active"])


async def list_units(
    session: AsyncSession,
    *,
    q: str | None,
    kind: str | None,
    active: bool | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = select(Unit)
    if q:
        stmt = stmt.where(like_folded(Unit.search_text, q))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if active is not None:
        stmt = stmt.where(Unit.active == active)
    return await paginate(
        session, UNIT_SORTING.apply(stmt, listing), limit, offset, searched=bool(q)
    )


async def get_unit(session: AsyncSession, unit_id: int) -> Unit:
    return await get_or_404(session, Unit, unit_id, "đơn vị")


async def create_unit(session: AsyncSession, actor: Principal, data: UnitCreate) -> Unit:
    permissions.require(actor, "unit.create")
    if await session.scalar(select(Unit.id).where(Unit.code == data.code)):
        raise Conflict(f"Mã đơn vị '{data.code}' đã tồn tại.", code="unit_code_taken")
    unit = Unit(
        code=data.code,
        name=nfc(data.name),
        short_name=nfc(data.short_name) if data.short_name else None,
        kind=data.kind,
        aliases=_clean_aliases(data.aliases),
        active=True,
    )
    _refresh_unit_search(unit)
    session.add(unit)
    await session.flush()
    await audit.record(
        session, actor, "unit.created", "unit", unit.id, after=audit.snapshot(unit, UNIT_FIELDS)
    )
    return unit


async def update_unit(
    session: AsyncSession, actor: Principal, unit_id: int, changes: UnitUpdate, expected: int | None
) -> Unit:
    permissions.require(actor, "unit.update")
    unit = await get_unit(session, unit_id)

    def apply() -> None:
        for field in changes.model_fields_set:
            value = getattr(changes, field)
            if field == "aliases":
                value = _clean_aliases(value)
            elif field in ("name", "short_name") and value:
                value = nfc(value)
            setattr(unit, field, value)
        _refresh_unit_search(unit)

    return await audit.audited_update(
        session, actor, unit, apply, expected,
        action="unit.updated", entity="unit", audited=UNIT_FIELDS,
    )  # fmt: skip
