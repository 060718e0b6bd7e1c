"""Sổ tập thể: one stable identity per collective, so awards follow the collective, not its unit.

A collective is named with the unit that proposes it. Its key is its folded name with that
unit's name taken off ("Phòng Nghiệp vụ Y, Sở Y tế" under Sở Y tế → "phong nghiep vu y"), and
empty when the name is the unit's own ("Sở Y tế", "Tập thể Sở Y tế tỉnh Sơn La"): so the
collective "Sở Y tế" and the hospital "Bệnh viện Đa khoa tỉnh Sơn La" of the same unit are two
collectives, and each spelling of one of them is the same one.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.orm import flush_or_conflict
from app.core.text import fold, nfc, search_text
from app.models import Collective, Unit

COLLECTIVE = "collective"


class Nominee(Protocol):
    """What the register needs of a proposed nominee (a nomination body, for one)."""

    nominee_kind: str
    nominee_unit_id: int | None
    nominee_name: str


_PREFIX = re.compile(r"^(tap the)\s+")
_SEPARATORS = " ,;.-–—()"
_PROVINCE = " tinh son la"


def _unit_names(unit: Unit | None) -> list[str]:
    """The unit's names, folded, longest first (so "sở y tế tỉnh sơn la" wins over "sở y tế")."""
    if unit is None:
        return []
    names = {fold(n) for n in (unit.name, unit.short_name, *(unit.aliases or [])) if n}
    names |= {n + _PROVINCE for n in names if not n.endswith(_PROVINCE)}
    return sorted((n for n in names if n), key=len, reverse=True)


def name_key(name: str, unit: Unit | None) -> str:
    """The folded name of the collective within its unit; "" for the unit itself."""
    key = _PREFIX.sub("", fold(name)).strip(_SEPARATORS)
    for unit_name in _unit_names(unit):
        if key == unit_name:
            return ""
        for joiner in (" thuoc ", " truc thuoc ", ""):
            suffix = joiner + unit_name
            rest = key[: -len(suffix)] if key.endswith(suffix) else None
            if rest and (joiner or rest[-1] in _SEPARATORS):
                return rest.strip(_SEPARATORS)
    return key


class Register:
    """Collectives resolved within one transaction: looked up in one query, created when new."""

    def __init__(self, session: AsyncSession, units: dict[int, Unit]) -> None:
        self._session = session
        self._units = units
        self._known: dict[tuple[int | None, str], Collective] = {}

    @classmethod
    async def load(
        cls, session: AsyncSession, wanted: Iterable[tuple[int | None, str]]
    ) -> "Register":
        """A register primed with the collectives of `wanted` (unit id, name) pairs."""
        wanted = list(wanted)
        unit_ids = {u for u, _ in wanted if u is not None}
        units = {u.id: u for u in await session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
        register = cls(session, units)
        keys = {(u, register.key(u, n)) for u, n in wanted}
        if keys:
            stmt = select(Collective).where(or_(*(_same(u, k) for u, k in keys)))
            for row in await session.scalars(stmt):
                register._known[(row.unit_id, row.name_key)] = row
        return register

    def key(self, unit_id: int | None, name: str) -> str:
        return name_key(name, self._units.get(unit_id) if unit_id is not None else None)

    async def resolve(self, unit_id: int | None, name: str) -> Collective:
        """The collective `name` of `unit_id`, created (and flushed) the first time it is met."""
        key = self.key(unit_id, name)
        found = self._known.get((unit_id, key))
        if found is None:
            found = await self._create(unit_id, name, key)
            self._known[(unit_id, key)] = found
        return found

    async def _create(self, unit_id: int | None, name: str, key: str) -> Collective:
        unit = self._units.get(unit_id) if unit_id is not None else None
        shown = unit.name if key == "" and unit is not None else nfc(name)[:300]
        row = Collective(unit_id=unit_id, name=shown, name_key=key[:300])
        row.search_text = search_text(shown, unit.name if unit else None)
        self._session.add(row)
        # Two requests registering the same new collective at once: the second gets a 409 and
        # its retry finds the row.
        await flush_or_conflict(
            self._session,
            f"Tập thể “{shown}” vừa được đăng ký cùng lúc; hãy gửi lại.",
            code="concurrent_update",
            savepoint=True,
        )
        return row


def _same(unit_id: int | None, key: str):
    unit = Collective.unit_id.is_(None) if unit_id is None else Collective.unit_id == unit_id
    return and_(unit, Collective.name_key == key[:300])


async def assign(session: AsyncSession, nominees: Sequence[Nominee]) -> list[int | None]:
    """The register id of each nominee that is a collective (created when new), None for an
    individual: in the order of `nominees`.

    Called before the nominations are built, so that registering a new collective flushes
    nothing but the register row."""
    ids: list[int | None] = [None] * len(nominees)
    collective = [(i, n) for i, n in enumerate(nominees) if n.nominee_kind == COLLECTIVE]
    if not collective:
        return ids
    pairs = [(n.nominee_unit_id, n.nominee_name) for _, n in collective]
    register = await Register.load(session, pairs)
    for (index, _), (unit_id, name) in zip(collective, pairs, strict=True):
        ids[index] = (await register.resolve(unit_id, name)).id
    return ids
