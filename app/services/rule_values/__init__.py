"""Số liệu của quy định: one table of values that hold from a date, each with its legal basis
— the legal clocks (working days), the council's quorums and vote thresholds (percent), the
mức lương cơ sở (đồng) and the prize multiples (lần). The value of a key on a day is the row
of that key with the latest `effective_from` not after that day. Sở Nội vụ adds a value from a
new decision (POST) and confirms or corrects one (PATCH, If-Match); both are audited. The keys
and the shipped values are in `defaults`."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound
from app.core.listing import NO_LISTING, Listing, RowSorting
from app.core.orm import PageResult, flush_or_conflict
from app.core.principal import Principal
from app.core.text import nfc
from app.core.working_days import today_in_vietnam
from app.models import RuleValue
from app.schemas.common import RowWith
from app.schemas.rule_values import RuleValueCreate, RuleValueRead, RuleValueUpdate
from app.services import audit, permissions
from app.services.rule_values.defaults import (
    BASE_SALARY,
    DEFAULTS,
    KINDS,
    UNDATED_BEFORE,
    Default,
    check_value,
    prize_key,
    spec_of_key,
    threshold_key,
)

__all__ = [
    "BASE_SALARY", "KINDS", "InForce", "RuleBook", "Rules", "all_values", "get_rules",
    "in_force", "load", "prize_amount", "prize_key", "threshold_key",
]  # fmt: skip


def _row(default: Default) -> RuleValue:
    return RuleValue(
        key=default.key, effective_from=default.effective_from, value=default.value,
        unit=default.unit, name=default.name, legal_basis=default.legal_basis,
        verified=default.verified, version=1,
    )  # fmt: skip


async def all_values(session: AsyncSession, prefix: str | None = None) -> list[RuleValue]:
    """Every value, stored or shipped (a stored one replaces the shipped one of its key and
    date), by key then date; one query."""
    stmt = select(RuleValue)
    if prefix:
        stmt = stmt.where(RuleValue.key.startswith(prefix, autoescape=True))
    stored = {(r.key, r.effective_from): r for r in await session.scalars(stmt)}
    for default in DEFAULTS:
        if not prefix or default.key.startswith(prefix):
            stored.setdefault((default.key, default.effective_from), _row(default))
    return [stored[k] for k in sorted(stored)]


@dataclass(frozen=True)
class InForce:
    value: float
    effective_from: date
    verified: bool
    legal_basis: str


def in_force(values: list[RuleValue], key: str, day: date) -> InForce | None:
    """The value of `key` on `day` among `values`, or None when none has started by then."""
    started = [v for v in values if v.key == key and v.effective_from <= day]
    if not started:
        return None
    latest = max(started, key=lambda v: v.effective_from)
    return InForce(latest.value, latest.effective_from, latest.verified, latest.legal_basis)


@dataclass(frozen=True)
class Rules:
    return_working_days: int
    supplement_working_days: int
    appraisal_working_days: int
    quorum_percent: float
    award_quorum_percent: float
    cluster_quorum_percent: float
    cluster_vote_threshold_percent: float


@dataclass(frozen=True)
class RuleBook:
    """The values read once for a request, asked for any key on any day."""

    values: list[RuleValue]

    def at(self, key: str, day: date) -> InForce | None:
        """The value of `key` on `day`. A clock, quorum or threshold holds from its first
        value backwards too (they were shipped undated); money has no value before its first
        date."""
        found = in_force(self.values, key, day)
        if found is None and key in UNDATED_BEFORE:
            first = [v for v in self.values if v.key == key]
            if first:
                found = in_force(first, key, min(v.effective_from for v in first))
        return found

    def threshold(self, award_type_code: str, day: date) -> InForce | None:
        """The council's vote threshold for an award type on a meeting's day, with its basis."""
        return self.at(threshold_key(award_type_code), day)

    def rules(self, day: date | None = None) -> Rules:
        """The clocks and quorums in force on `day` (today in Việt Nam unless said)."""
        day = day or today_in_vietnam()

        def value(key: str) -> float:
            found = self.at(key, day)
            assert found is not None, key  # every fixed key ships a value
            return found.value

        return Rules(
            return_working_days=int(value("return_working_days")),
            supplement_working_days=int(value("supplement_working_days")),
            appraisal_working_days=int(value("appraisal_working_days")),
            quorum_percent=float(value("quorum_percent")),
            award_quorum_percent=float(value("award_quorum_percent")),
            cluster_quorum_percent=float(value("cluster_quorum_percent")),
            cluster_vote_threshold_percent=float(value("cluster_vote_threshold_percent")),
        )


async def load(session: AsyncSession) -> RuleBook:
    """Every value, in one query."""
    return RuleBook(await all_values(session))


async def get_rules(session: AsyncSession, day: date | None = None) -> Rules:
    """The clocks and quorums in force on `day` (today unless said), in one query."""
    return (await load(session)).rules(day)


def prize_amount(multiple: float, base_salary: float) -> int:
    """Tiền thưởng in whole đồng: the multiple times the base salary, rounded half up."""
    amount = Decimal(str(multiple)) * Decimal(str(base_salary))
    return int(amount.quantize(Decimal(1), ROUND_HALF_UP))


# ---- the list --------------------------------------------------------------------------------

# A shipped value never stored has no `updated_at`: no `updated_since` brings it back.
RULE_VALUE_SORTING = RowSorting(
    {
        name: attrgetter(name)
        for name in ("id", "key", "effective_from", "name", "unit", "updated_at")
    },
    default="key",
    updated_at=attrgetter("updated_at"),
    tie_breaker=attrgetter("key", "effective_from"),
)


def _dated(values: list[RuleValue], today: date) -> list[RowWith]:
    """Each row with the day the next value of its key starts and whether it holds today."""
    out = []
    for i, row in enumerate(values):  # by key then date
        after = values[i + 1] if i + 1 < len(values) else None
        until = after.effective_from if after is not None and after.key == row.key else None
        holds = row.effective_from <= today and (until is None or today < until)
        address = f"{row.key}/{row.effective_from.isoformat()}"
        out.append(RowWith(row, id=address, effective_until=until, in_force=holds))
    return out


async def list_rule_values(
    session: AsyncSession,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
    *,
    prefix: str | None = None,
    in_force_only: bool | None = None,
) -> PageResult:
    """Every dated value of every key (stored or shipped), by key then date unless `sort`
    says; `in_force_only` keeps (or, false, drops) the value of each key that holds today."""
    rows = _dated(await all_values(session, prefix), today_in_vietnam())
    if in_force_only is not None:
        rows = [r for r in rows if r.in_force is in_force_only]
    ordered = RULE_VALUE_SORTING.apply(rows, listing)
    return PageResult(ordered[offset : offset + limit], len(ordered), limit, offset)


async def read_one(session: AsyncSession, row: RuleValue) -> RuleValueRead:
    """One value as the list shows it, with its key's other dates around it."""
    values = await all_values(session, row.key)
    values = [v for v in values if v.key == row.key]
    dated = {(r.key, r.effective_from): r for r in _dated(values, today_in_vietnam())}
    return RuleValueRead.model_validate(dated[(row.key, row.effective_from)])


# ---- changes ---------------------------------------------------------------------------------


def _audited(row: RuleValue) -> dict:
    return {
        "key": row.key, "effective_from": row.effective_from.isoformat(), "value": row.value,
        "unit": row.unit, "legal_basis": row.legal_basis, "verified": row.verified,
    }  # fmt: skip


async def create(session: AsyncSession, actor: Principal, body: RuleValueCreate) -> RuleValue:
    """Sở Nội vụ sets a value from a date (a new clock, quorum or threshold from the council's
    rules, a new base salary or multiple), with the decision it comes from: verified, since the
    officer states its basis. The same key and date again is a 409."""
    permissions.require(actor, "rule_value.create")
    unit, name = spec_of_key(body.key)
    check_value(unit, body.value)
    existing = await all_values(session, body.key)
    if any(v.key == body.key and v.effective_from == body.effective_from for v in existing):
        raise Conflict(
            f"“{body.key}” đã có giá trị từ ngày {body.effective_from:%d/%m/%Y}; hãy sửa giá trị "
            "đó (PATCH) thay vì tạo mới.",
            code="duplicate_rule_value",
        )
    row = RuleValue(
        key=body.key, effective_from=body.effective_from, value=float(body.value), unit=unit,
        name=name, legal_basis=nfc(body.legal_basis), verified=True,
    )  # fmt: skip
    session.add(row)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "rule_value.created", "rule_value", row.id, after=_audited(row)
    )
    return row


async def update(
    session: AsyncSession,
    actor: Principal,
    key: str,
    effective_from: date,
    body: RuleValueUpdate,
    expected: int | None,
) -> RuleValue:
    """Sở Nội vụ confirms or corrects the value of a key from a date (a shipped value is
    stored first, at version 1); what it sets is verified."""
    permissions.require(actor, "rule_value.update")
    stmt = select(RuleValue).where(RuleValue.key == key, RuleValue.effective_from == effective_from)
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
            check_value(row.unit, body.value)
            row.value = float(body.value)
        if body.legal_basis is not None:
            row.legal_basis = nfc(body.legal_basis)
        row.verified = True

    await audit.audited_update(
        session, actor, row, apply, expected,
        action="rule_value.updated", entity="rule_value", audited=_audited,
    )  # fmt: skip
    return row
