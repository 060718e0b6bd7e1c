"""Dated rule values: values that change on a date and may carry money — the mức lương cơ sở
(`base_salary`, in đồng) and the multiples of it paid with each award
(`prize_multiple.<award type>.<individual|collective>`, tiền thưởng). The value in force on a
day is the one of its key with the latest `effective_from` not after that day.

The defaults below are used when Sở Nội vụ has stored no value for that key and date. The
multiples were not found in any stored text of Nghị định 152/2025/NĐ-CP (searched again in
2026-12: public pages, documentation and code). What was found is Điều 54 of the decree it
replaced, Nghị định 98/2023/NĐ-CP (in force from 2024-01-01), quoted by a commune's page
(phuongduc.thuathienhue.gov.vn, "Mức tiền thưởng danh hiệu thi đua từ ngày 01/01/2024"):
Chiến sĩ thi đua cấp tỉnh 03 lần, Tập thể lao động xuất sắc 1,5 lần, cờ thi đua của tỉnh 08
lần the mức lương cơ sở — the shipped values agree. The Bằng khen multiples (1 for a person, 2
for a collective) are those of Nghị định 91/2017/NĐ-CP; the matching article of 98/2023 was not
found. All stay `verified = false` until Sở Nội vụ confirms or corrects them against 152/2025
(any value it sets is verified). A paper that uses an unverified value says so.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.core.orm import flush_or_conflict
from app.core.principal import Principal
from app.core.text import nfc
from app.models import DatedRuleValue
from app.schemas.rule_values import DatedRuleValueCreate, DatedRuleValueUpdate
from app.services import audit, permissions
from app.services.award_types.catalogue import AWARD_TYPES

BASE_SALARY = "base_salary"
PRIZE = "prize_multiple"
KINDS = {kind.value: kind.label for kind in NomineeKind}
BOUNDS = {"dong": (1, 1_000_000_000), "multiple": (0, 100)}
UNVERIFIED_BASIS = (
    "Chưa đối chiếu với Nghị định 152/2025/NĐ-CP (điều quy định mức tiền thưởng); giá trị khởi "
    "tạo theo mức của Nghị định 91/2017/NĐ-CP, Điều 70, 71. Sở Nội vụ xác nhận hoặc sửa."
)
# No stored text gives a household's multiple (neither 152/2025 nor an earlier decree was found
# on it): the person's is the starting value, said so, until Sở Nội vụ sets it.
HOUSEHOLD_BASIS = (
    "Chưa tìm thấy văn bản quy định mức tiền thưởng cho hộ gia đình (Nghị định 152/2025/NĐ-CP "
    "chưa đối chiếu được); giá trị khởi tạo bằng mức của cá nhân. Sở Nội vụ xác nhận hoặc sửa."
)
TITLE_BASIS = (
    "Chưa đối chiếu với Nghị định 152/2025/NĐ-CP (điều quy định mức tiền thưởng); giá trị khởi "
    "tạo bằng mức của Nghị định 98/2023/NĐ-CP, Điều 54 (danh hiệu thi đua, từ 01/01/2024). Sở "
    "Nội vụ xác nhận hoặc sửa."
)


@dataclass(frozen=True)
class Default:
    key: str
    effective_from: date
    value: float
    unit: str
    name: str
    legal_basis: str
    verified: bool


def prize_key(award_type_code: str, nominee_kind: str) -> str:
    return f"{PRIZE}.{award_type_code}.{nominee_kind}"


_NAMES = {spec.code: spec.name for spec in AWARD_TYPES}
_MULTIPLES = (  # (award type, nominee kind, multiple of the base salary, where it comes from)
    ("chien_si_thi_dua_cap_tinh", "individual", 3.0, TITLE_BASIS),
    ("co_thi_dua_ubnd_tinh", "collective", 8.0, TITLE_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "individual", 1.0, UNVERIFIED_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "collective", 2.0, UNVERIFIED_BASIS),
    ("tap_the_lao_dong_xuat_sac", "collective", 1.5, TITLE_BASIS),
    ("bang_khen_chu_tich_ubnd_tinh", "household", 1.0, HOUSEHOLD_BASIS),
)
DEFAULTS: tuple[Default, ...] = (
    Default(
        BASE_SALARY, date(2024, 7, 1), 2_340_000, "dong", "Mức lương cơ sở (đồng/tháng)",
        "Nghị định 73/2024/NĐ-CP, Điều 3 (từ ngày 01 tháng 7 năm 2024)", True,
    ),
    *(
        Default(
            prize_key(code, kind), date(2024, 1, 1), multiple, "multiple",
            f"Tiền thưởng {_NAMES[code]} ({KINDS[kind]}), lần mức lương cơ sở",
            basis, False,
        )
        for code, kind, multiple, basis in _MULTIPLES
    ),
)  # fmt: skip


def _spec_of_key(key: str) -> tuple[str, str]:
    """(unit, name) of a key tdkt reads; any other key is a 422 `unknown_rule_value`."""
    if key == BASE_SALARY:
        return "dong", "Mức lương cơ sở (đồng/tháng)"
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == PRIZE and parts[1] in _NAMES and parts[2] in KINDS:
        return (
            "multiple",
            f"Tiền thưởng {_NAMES[parts[1]]} ({KINDS[parts[2]]}), lần mức lương cơ sở",
        )
    raise Unprocessable(
        f"Không có số liệu “{key}”. Dùng `{BASE_SALARY}` hoặc "
        f"`{PRIZE}.<mã danh hiệu>.<individual|collective>`.",
        code="unknown_rule_value",
    )


def _row(default: Default) -> DatedRuleValue:
    return DatedRuleValue(
        key=default.key, effective_from=default.effective_from, value=default.value,
        unit=default.unit, name=default.name, legal_basis=default.legal_basis,
        verified=default.verified, version=1,
    )  # fmt: skip


async def all_values(session: AsyncSession, prefix: str | None = None) -> list[DatedRuleValue]:
    """Every dated value, stored or default (a stored one replaces the default of its key and
    date), by key then date."""
    stmt = select(DatedRuleValue)
    if prefix:
        stmt = stmt.where(DatedRuleValue.key.startswith(prefix, autoescape=True))
    stored = {(r.key, r.effective_from): r for r in await session.scalars(stmt)}
    for default in DEFAULTS:
        if (not prefix or default.key.startswith(prefix)) and (
            default.key,
            default.effective_from,
        ) not in stored:
            stored[(default.key, default.effective_from)] = _row(default)
    return [stored[k] for k in sorted(stored)]


@dataclass(frozen=True)
class InForce:
    value: float
    effective_from: date
    verified: bool
    legal_basis: str


def in_force(values: list[DatedRuleValue], key: str, day: date) -> InForce | None:
    """The value of `key` on `day` among `values`, or None when none has started by then."""
    started = [v for v in values if v.key == key and v.effective_from <= day]
    if not started:
        return None
    latest = max(started, key=lambda v: v.effective_from)
    return InForce(latest.value, latest.effective_from, latest.verified, latest.legal_basis)


def prize_amount(multiple: float, base_salary: float) -> int:
    """Tiền thưởng in whole đồng: the multiple times the base salary, rounded half up."""
    amount = Decimal(str(multiple)) * Decimal(str(base_salary))
    return int(amount.quantize(Decimal(1), ROUND_HALF_UP))


def _check(unit: str, value: float) -> None:
    low, high = BOUNDS[unit]
    if unit == "dong" and not float(value).is_integer():
        raise Unprocessable("Số tiền tính bằng số nguyên đồng.", code="rule_value_not_integer")
    if not low <= value <= high:
        label = "đồng" if unit == "dong" else "lần"
        raise Unprocessable(
            f"Giá trị phải trong khoảng {low:,}–{high:,} {label}.".replace(",", "."),
            code="rule_value_out_of_range",
            minimum=low,
            maximum=high,
        )


def _audited(row: DatedRuleValue) -> dict:
    return {
        "key": row.key, "effective_from": row.effective_from.isoformat(), "value": row.value,
        "unit": row.unit, "legal_basis": row.legal_basis, "verified": row.verified,
    }  # fmt: skip


async def create(
    session: AsyncSession, actor: Principal, body: DatedRuleValueCreate
) -> DatedRuleValue:
    """Sở Nội vụ sets a value from a date (a new base salary, a new multiple): verified, since
    the officer states its legal basis. The same key and date again is a 409."""
    permissions.require(actor, "dated_rule_value.create")
    unit, name = _spec_of_key(body.key)
    _check(unit, body.value)
    existing = [v for v in await all_values(session, body.key) if v.key == body.key]
    if any(v.effective_from == body.effective_from for v in existing):
        raise Conflict(
            f"“{body.key}” đã có giá trị từ ngày {body.effective_from:%d/%m/%Y}; hãy sửa giá trị "
            "đó (PATCH) thay vì tạo mới.",
            code="duplicate_rule_value",
        )
    row = DatedRuleValue(
        key=body.key, effective_from=body.effective_from, value=float(body.value), unit=unit,
        name=name, legal_basis=nfc(body.legal_basis), verified=True,
    )  # fmt: skip
    session.add(row)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "dated_rule_value.created", "dated_rule_value", row.id,
        after=_audited(row),
    )  # fmt: skip
    return row


async def update(
    session: AsyncSession,
    actor: Principal,
    key: str,
    effective_from: date,
    body: DatedRuleValueUpdate,
    expected: int | None,
) -> DatedRuleValue:
    """Sở Nội vụ confirms or corrects a value (a shipped default is stored first); what it
    sets is verified."""
    permissions.require(actor, "dated_rule_value.update")
    unit, _ = _spec_of_key(key)
    stmt = select(DatedRuleValue).where(
        DatedRuleValue.key == key, DatedRuleValue.effective_from == effective_from
    )
    row = await session.scalar(stmt.with_for_update())
    if row is None:
        default = next(
            (d for d in DEFAULTS if (d.key, d.effective_from) == (key, effective_from)), None
        )
        if default is None:
            raise NotFound(f"“{key}” không có giá trị từ ngày {effective_from:%d/%m/%Y}.")
        row = _row(default)
        session.add(row)
        await flush_or_conflict(session)

    def apply() -> None:
        if body.value is not None:
            _check(unit, body.value)
            row.value = float(body.value)
        if body.legal_basis is not None:
            row.legal_basis = nfc(body.legal_basis)
        row.verified = True

    await audit.audited_update(
        session, actor, row, apply, expected,
        action="dated_rule_value.updated", entity="dated_rule_value", audited=_audited,
    )  # fmt: skip
    return row
