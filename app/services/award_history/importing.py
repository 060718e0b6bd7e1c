"""Nhập lịch sử khen thưởng of past years from a CSV or XLSX table.

Headers may be Vietnamese or English (`Họ và tên` / `nominee_name`, `Loại` (cá nhân, tập thể
or hộ gia đình) / `nominee_kind`, `Đơn vị` / `unit` (for a household, the xã), optional
`Địa chỉ` / `nominee_address` (a household's thôn/bản, xã), `Danh hiệu` / `award_type_code`,
`Năm` or `Năm thành tích` / `year` (the year of the achievement, which the criteria read),
`Số quyết định` / `decision_no`, `Ngày quyết định` / `decided_on`, optional `Hình thức` /
`kind`: thường xuyên, chuyên đề, đột xuất). Units are matched by code, name or alias without
regard to diacritics, award types by code or Vietnamese name. Everything is one transaction: a
row in error refuses the whole file (422) unless the caller asks to skip invalid rows. A
household row without its address or its xã is imported (its decision is the record) with a
row warning, so the official completes it.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import nominee_kinds
from app.core.errors import Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.core.principal import Principal
from app.core.text import fold, nfc
from app.core.working_days import today_in_vietnam
from app.models import AwardHistory, AwardType, Unit
from app.services import audit, permissions
from app.services.award_history.records import new_row
from app.services.award_history.tables import match_columns, parse_rows, read_rows
from app.services.nominees.collectives import COLLECTIVE, Register
from app.services.plans.units import UnitIndex

COLUMNS: dict[str, tuple[str, ...]] = {
    "nominee_name": ("ho va ten", "ho ten", "ten", "ten doi tuong", "nominee_name", "name"),
    "nominee_kind": ("loai", "loai doi tuong", "doi tuong", "nominee_kind"),
    "unit": ("don vi", "co quan, don vi", "ma don vi", "unit", "unit_code", "unit_name"),
    "nominee_address": ("dia chi", "noi o", "thon, ban, xa", "nominee_address", "address"),
    "award_type": (
        "danh hieu",
        "hinh thuc khen thuong",
        "danh hieu, hinh thuc khen thuong",
        "award_type_code",
        "award_type",
    ),
    "year": ("nam thanh tich", "nam", "year"),
    "decision_no": ("so quyet dinh", "so qd", "decision_no"),
    "decided_on": ("ngay quyet dinh", "ngay qd", "decided_on"),
    "kind": ("hinh thuc", "loai khen thuong", "kind"),
}
REQUIRED = ("nominee_name", "award_type", "year")
NOMINEE_KINDS = {
    "ca nhan": "individual",
    "individual": "individual",
    "tap the": "collective",
    "collective": "collective",
    "ho gia dinh": "household",
    "ho": "household",
    "gia dinh": "household",
    "household": "household",
}
AWARD_KINDS = {
    "": "regular",
    "thuong xuyen": "regular",
    "regular": "regular",
    "chuyen de": "thematic",
    "thematic": "thematic",
    "dot xuat": "unscheduled",
    "unscheduled": "unscheduled",
}


@dataclass
class ImportOutcome:
    imported: int = 0
    skipped_duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _columns(header: list[str]) -> dict[str, int]:
    return match_columns(header, COLUMNS, REQUIRED, "ví dụ “Họ và tên”, “Danh hiệu”, “Năm”")


# ---- one row ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookups:
    units: UnitIndex
    unit_codes: dict[str, int]
    types: dict[str, AwardType]


async def _lookups(session: AsyncSession) -> _Lookups:
    types: dict[str, AwardType] = {}
    for row in await session.scalars(select(AwardType)):
        types[row.code] = row
        types.setdefault(fold(row.name), row)
    codes = {c: i for c, i in await session.execute(select(Unit.code, Unit.id))}
    return _Lookups(await UnitIndex.load(session), {fold(c): i for c, i in codes.items()}, types)


def _date(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"ngày quyết định “{text}” không đúng dạng dd/mm/yyyy")


def _year(text: str, decided_on: date | None) -> int:
    if not text and decided_on is not None:
        return decided_on.year
    if not text.isdigit() or not 1945 <= int(text) <= today_in_vietnam().year + 1:
        raise ValueError(f"năm “{text}” không hợp lệ")
    return int(text)


def _unit(text: str, lookups: _Lookups) -> int | None:
    if not text:
        return None
    unit_id = lookups.unit_codes.get(fold(text)) or lookups.units.match(text)
    if unit_id is None:
        raise ValueError(f"không tìm thấy đơn vị “{text}” trong danh bạ (mã, tên hoặc tên khác)")
    return unit_id


def _award(text: str, lookups: _Lookups) -> AwardType:
    award = lookups.types.get(text.strip()) or lookups.types.get(fold(text))
    if award is None:
        raise ValueError(f"không có danh hiệu, hình thức khen thưởng “{text}”")
    return award


def _kind(text: str, award: AwardType) -> str:
    if text:
        if fold(text) not in NOMINEE_KINDS:
            raise ValueError(f"loại đối tượng “{text}” phải là cá nhân, tập thể hoặc hộ gia đình")
        kind = NOMINEE_KINDS[fold(text)]
    elif award.recipient != "both":
        kind = award.recipient
    else:
        raise ValueError("thiếu loại đối tượng (cá nhân, tập thể hoặc hộ gia đình)")
    if not nominee_kinds.accepts(award.recipient, award.accepts_households, kind):
        raise ValueError(f"{award.name} không xét tặng cho {NomineeKind(kind).label}")
    return kind


def household_warning(row: AwardHistory) -> str | None:
    """What a household's row lacks (its address, its xã), said for the official to complete."""
    if row.nominee_kind != NomineeKind.HOUSEHOLD:
        return None
    missing = [what for what, value in (("địa chỉ (thôn/bản, xã)", row.nominee_address),
                                        ("đơn vị (xã)", row.unit_id)) if not value]  # fmt: skip
    if not missing:
        return None
    return (
        f"hộ gia đình “{row.nominee_name}” thiếu {' và '.join(missing)}; đã nhập theo quyết định, "
        "cần bổ sung để tìm đúng hộ (hồ sơ đối tượng, đề nghị sau)"
    )


def _parse_row(cells: dict[str, str], lookups: _Lookups) -> AwardHistory:
    name = nfc(cells.get("nominee_name", ""))
    if not name:
        raise ValueError("thiếu họ và tên / tên tập thể")
    award = _award(cells.get("award_type", ""), lookups)
    decided_on = _date(cells["decided_on"]) if cells.get("decided_on") else None
    award_kind = AWARD_KINDS.get(fold(cells.get("kind", "")))
    if award_kind is None:
        raise ValueError(
            f"hình thức “{cells['kind']}” phải là thường xuyên, chuyên đề hoặc đột xuất"
        )
    kind = _kind(cells.get("nominee_kind", ""), award)
    address = nfc(cells.get("nominee_address", ""))[:300] or None
    if address and kind != NomineeKind.HOUSEHOLD:
        raise ValueError(
            f"{NomineeKind(kind).label}: bỏ trống cột Địa chỉ (chỉ dành cho hộ gia đình)"
        )
    return new_row(
        nominee_kind=kind,
        nominee_name=name[:300],
        unit_id=_unit(cells.get("unit", ""), lookups),
        nominee_address=address,
        award_type_code=award.code,
        year=_year(cells.get("year", ""), decided_on),
        decision_no=nfc(cells.get("decision_no", ""))[:100] or None,
        decided_on=decided_on,
        source="import",
        kind=award_kind,
    )


# ---- the whole file --------------------------------------------------------------------------


def _key(row: AwardHistory) -> tuple:
    return (row.nominee_kind, row.nominee_key, row.unit_id, row.award_type_code, row.year)


async def _existing(session: AsyncSession, rows: list[AwardHistory]) -> set[tuple]:
    pairs = {(r.nominee_key, r.year) for r in rows}
    if not pairs:
        return set()
    stmt = select(
        AwardHistory.nominee_kind,
        AwardHistory.nominee_key,
        AwardHistory.unit_id,
        AwardHistory.award_type_code,
        AwardHistory.year,
    ).where(
        AwardHistory.nominee_key.in_({k for k, _ in pairs}),
        AwardHistory.year.in_({y for _, y in pairs}),
    )
    return {tuple(r) for r in await session.execute(stmt)}


async def _register_collectives(session: AsyncSession, rows: list[AwardHistory]) -> None:
    """Each collective's awards go to its own row of the register, not to its whole unit."""
    collective = [r for r in rows if r.nominee_kind == COLLECTIVE]
    if not collective:
        return
    register = await Register.load(session, [(r.unit_id, r.nominee_name) for r in collective])
    for row in collective:
        row.collective_id = (await register.resolve(row.unit_id, row.nominee_name)).id


async def import_history(
    session: AsyncSession,
    actor: Principal,
    data: bytes,
    filename: str | None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportOutcome:
    """Parse and store past awards; rows already in the history are skipped, not doubled."""
    permissions.require(actor, "award_history.import")
    lookups = await _lookups(session)
    # Parsing is CPU work on an untrusted file: off the event loop, so other requests go on.
    numbered, errors = await asyncio.to_thread(
        lambda: parse_rows(read_rows(data), _columns, lambda cells: _parse_row(cells, lookups))
    )
    parsed = [row for _, row in numbered]
    warnings = [
        {"row": number, "code": "household_incomplete", "message": f"Dòng {number}: {message}."}
        for number, row in numbered
        if (message := household_warning(row))
    ]
    if errors and not skip_invalid:
        raise Unprocessable(
            f"{len(errors)} dòng có lỗi; không dòng nào được nhập. Sửa các dòng được nêu, hoặc "
            "gửi lại với skip_invalid=true để bỏ qua chúng.",
            code="import_rows_invalid",
            errors=errors,
        )
    seen = await _existing(session, parsed)
    fresh: list[AwardHistory] = []
    for row in parsed:
        if _key(row) not in seen:
            seen.add(_key(row))
            fresh.append(row)
    outcome = ImportOutcome(len(fresh), len(parsed) - len(fresh), errors, dry_run, warnings)
    if dry_run:
        return outcome
    await _register_collectives(session, fresh)
    session.add_all(fresh)
    await session.flush()
    await audit.record(
        session, actor, "award_history.imported", "award_history", None,
        after={"imported": outcome.imported, "skipped_duplicates": outcome.skipped_duplicates,
               "invalid_rows": len(errors), "warnings": len(warnings), "filename": filename},
    )  # fmt: skip
    return outcome
