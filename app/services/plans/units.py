"""Names of units in a plan, matched to the directory (danh bạ đơn vị) by name and alias."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.core.text import fold, nfc, search_text
from app.models import Unit
from app.services import audit
from app.services.tasks.rules import free_code


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str | None
    kind: str
    aliases: tuple[str, ...] = ()


# The units the 2026 plan names, with the other ways officials write their names.
REFERENCE_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("SNV", "Sở Nội vụ", None, "department", ("Sở Nội vụ tỉnh Sơn La",)),
    UnitSpec(
        "VPUBND",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "VP UBND tỉnh",
        "agency",
        ("Văn phòng UBND tỉnh", "VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Sơn La"),
    ),
    UnitSpec("STP", "Sở Tư pháp", None, "department", ("Sở Tư pháp tỉnh Sơn La",)),
)


def name_key(name: str) -> str:
    """The form two names are compared in: NFC, then without diacritics, case or extra spaces."""
    return fold(nfc(name)).strip(" .;,")


class UnitIndex:
    """Folded names, short names and aliases → unit id; an active unit wins over an inactive
    one, then the older one."""

    def __init__(self, units: Iterable[tuple[int, str, str | None, list[str] | None]]) -> None:
        self._ids: dict[str, int] = {}
        for unit_id, name, short_name, aliases in units:
            for label in (name, short_name, *(aliases or [])):
                if label and (key := name_key(label)):
                    self._ids.setdefault(key, unit_id)

    @classmethod
    async def load(cls, session: AsyncSession) -> "UnitIndex":
        rows = await session.execute(
            select(Unit.id, Unit.name, Unit.short_name, Unit.aliases).order_by(
                Unit.active.desc(), Unit.id
            )
        )
        return cls(rows.all())

    def match(self, label: str | None) -> int | None:
        return self._ids.get(name_key(label)) if label else None


async def ensure_reference_units(session: AsyncSession, actor: Principal) -> list[str]:
    """Make every name of `REFERENCE_UNITS` resolve: a unit the directory knows under one of
    its names gets the missing ones as aliases; a unit it does not know at all is created."""
    index = await UnitIndex.load(session)
    taken = set(await session.scalars(select(Unit.code)))
    done: list[str] = []
    for spec in REFERENCE_UNITS:
        names = (spec.name, spec.short_name, *spec.aliases)
        known = next((unit_id for name in names if (unit_id := index.match(name))), None)
        if known is None:
            unit = await _create(session, actor, spec, free_code(spec.code, taken))
            taken.add(unit.code)
            done.append(f"đã thêm đơn vị '{unit.name}'")
        elif missing := [n for n in names if n and index.match(n) is None]:
            unit = await _add_aliases(session, actor, known, missing)
            done.append(f"đã thêm tên gọi khác {missing} cho đơn vị '{unit.name}'")
    return done


async def _create(session: AsyncSession, actor: Principal, spec: UnitSpec, code: str) -> Unit:
    unit = Unit(
        code=code,
        name=spec.name,
        short_name=spec.short_name,
        kind=spec.kind,
        aliases=list(spec.aliases),
        active=True,
    )
    _refresh_search(unit)
    session.add(unit)
    await session.flush()
    await audit.record(
        session, actor, "unit.created", "unit", unit.id,
        after={"code": code, "name": unit.name, "aliases": unit.aliases},
    )  # fmt: skip
    return unit


async def _add_aliases(
    session: AsyncSession, actor: Principal, unit_id: int, names: list[str]
) -> Unit:
    unit = await session.get(Unit, unit_id)
    before = {"aliases": list(unit.aliases)}
    unit.aliases = [*unit.aliases, *names]
    _refresh_search(unit)
    await session.flush()
    await audit.record(
        session, actor, "unit.updated", "unit", unit.id, before=before,
        after={"aliases": unit.aliases}, comment="Tên gọi trong kế hoạch công tác năm 2026",
    )  # fmt: skip
    return unit


def _refresh_search(unit: Unit) -> None:
    unit.search_text = search_text(unit.code, unit.name, unit.short_name, *unit.aliases)
