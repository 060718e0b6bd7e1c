"""Số liệu của quy định: the legal clocks (thời hạn, in working days) and the quorum shares of
council meetings. They are data with a legal basis that Sở Nội vụ may amend; the defaults below
are the one place the values in force are written down, used when a row is missing."""

from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, RowSorting
from app.core.orm import PageResult
from app.core.principal import Principal
from app.core.text import nfc
from app.core.working_days import today_in_vietnam
from app.models import RuleValue
from app.schemas.common import RowWith
from app.schemas.rule_values import RuleValueRead
from app.services import audit, permissions

LEGAL_BASIS = "Nghị định 152/2025/NĐ-CP; Luật Thi đua, khen thưởng 2022"
# No legal text fixes the council's quorums: they are the province's council rules, to be set
# from the Quy chế hoạt động của Hội đồng when it is issued (plan task I.7).
COUNCIL_RULES = (
    "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng tỉnh (Kế hoạch 2026, nhiệm vụ I.7): "
    "chưa ban hành; Sở Nội vụ cập nhật số liệu, căn cứ và ngày hiệu lực khi quy chế được ban hành"
)
BOUNDS = {"working_days": (1, 60), "percent": (50, 100)}


@dataclass(frozen=True)
class RuleDefault:
    value: float
    unit: str
    name: str
    legal_basis: str = LEGAL_BASIS


DEFAULTS: dict[str, RuleDefault] = {
    "return_working_days": RuleDefault(
        5, "working_days", "Hạn trả lại hồ sơ chưa hợp lệ (ngày làm việc)"
    ),
    "supplement_working_days": RuleDefault(5, "working_days", "Hạn bổ sung hồ sơ (ngày làm việc)"),
    "appraisal_working_days": RuleDefault(
        20, "working_days", "Thời hạn thẩm định hồ sơ (ngày làm việc)"
    ),
    "quorum_percent": RuleDefault(
        66.67, "percent", "Tỷ lệ thành viên Hội đồng dự họp tối thiểu (%)", COUNCIL_RULES
    ),
    "award_quorum_percent": RuleDefault(
        80,
        "percent",
        "Tỷ lệ thành viên Hội đồng dự phiên xét khen thưởng tối thiểu (%)",
        COUNCIL_RULES,
    ),
    "cluster_quorum_percent": RuleDefault(
        66.67, "percent", "Tỷ lệ đơn vị thành viên cụm, khối dự hội nghị bình xét tối thiểu (%)"
    ),
    "cluster_vote_threshold_percent": RuleDefault(
        50,
        "percent",
        "Tỷ lệ phiếu đồng ý trên tổng số đơn vị thành viên cụm, khối để được suy tôn (%)",
    ),
}


@dataclass(frozen=True)
class Rules:
    return_working_days: int
    supplement_working_days: int
    appraisal_working_days: int
    quorum_percent: float
    award_quorum_percent: float
    cluster_quorum_percent: float = 66.67
    cluster_vote_threshold_percent: float = 50


def _default_row(key: str) -> RuleValue:
    spec = DEFAULTS[key]
    return RuleValue(
        key=key, value=spec.value, unit=spec.unit, name=spec.name, legal_basis=spec.legal_basis
    )


async def _rows(session: AsyncSession) -> dict[str, RuleValue]:
    rows = await session.scalars(select(RuleValue).where(RuleValue.key.in_(DEFAULTS)))
    return {row.key: row for row in rows}


async def get_rules(session: AsyncSession) -> Rules:
    """The values in force (one query); a missing row means its default."""
    values = {key: spec.value for key, spec in DEFAULTS.items()}
    today = today_in_vietnam()
    values.update({key: row.in_force(today) for key, row in (await _rows(session)).items()})
    return Rules(
        return_working_days=int(values["return_working_days"]),
        supplement_working_days=int(values["supplement_working_days"]),
        appraisal_working_days=int(values["appraisal_working_days"]),
        quorum_percent=float(values["quorum_percent"]),
        award_quorum_percent=float(values["award_quorum_percent"]),
        cluster_quorum_percent=float(values["cluster_quorum_percent"]),
        cluster_vote_threshold_percent=float(values["cluster_vote_threshold_percent"]),
    )


# A value never amended has no row: it is its default, with no `updated_at`.
RULE_VALUE_SORTING = RowSorting(
    {name: attrgetter(name) for name in ("key", "name", "unit", "effective_from", "updated_at")},
    default="key",
    updated_at=attrgetter("updated_at"),
    tie_breaker=attrgetter("key"),
)


async def list_rule_values(
    session: AsyncSession, limit: int, offset: int, listing: Listing = NO_LISTING
) -> PageResult:
    """Every rule value by key (or the caller's `sort`), the stored row or else its default;
    with `updated_since`, only the values amended since."""
    rows = await _rows(session)
    values = [rows.get(key) or _default_row(key) for key in DEFAULTS]
    ordered = RULE_VALUE_SORTING.apply(values, listing)
    return PageResult(ordered[offset : offset + limit], len(ordered), limit, offset)


def _check_bounds(unit: str, value: float) -> None:
    low, high = BOUNDS[unit]
    if unit == "working_days" and not float(value).is_integer():
        raise Unprocessable(
            "Thời hạn tính bằng số nguyên ngày làm việc.", code="rule_value_not_integer"
        )
    if not low <= value <= high:
        kind = "ngày làm việc" if unit == "working_days" else "%"
        raise Unprocessable(
            f"Giá trị phải trong khoảng {low}–{high} {kind}.",
            code="rule_value_out_of_range",
            minimum=low,
            maximum=high,
        )


async def update(
    session: AsyncSession,
    actor: Principal,
    key: str,
    value: float,
    legal_basis: str | None,
    expected_version: int | None,
    effective_from: date | None = None,
) -> RuleValue:
    """Sở Nội vụ amends one value with its legal basis and the day it takes effect (default:
    at once); every clock or quorum from that day uses it, the value before it until then."""
    permissions.require(actor, "rule_value.update")
    if key not in DEFAULTS:
        raise NotFound(f"Không có số liệu quy định “{key}”.")
    row = await session.get(RuleValue, key, with_for_update=True)
    if row is None:
        row = _default_row(key)
        session.add(row)
        await session.flush()

    def apply() -> None:
        _check_bounds(row.unit, value)
        today = today_in_vietnam()
        pending = effective_from is not None and effective_from > today
        row.previous_value = row.in_force(today) if pending else None
        row.value = float(value)
        row.effective_from = effective_from
        if legal_basis is not None:
            row.legal_basis = nfc(legal_basis)

    await audit.audited_update(
        session, actor, row, apply, expected_version,
        action="rule_value.updated", entity="rule_value", entity_id=None,
        audited=lambda r: {
            "key": key, "value": r.value, "legal_basis": r.legal_basis,
            "effective_from": r.effective_from.isoformat() if r.effective_from else None,
        },
    )  # fmt: skip
    return row


def read(row: RuleValue) -> RuleValueRead:
    """A rule value with the value that holds today beside it."""
    return RuleValueRead.model_validate(
        RowWith(row, value_in_force=_whole(row, row.in_force(today_in_vietnam())))
    )


def _whole(row: RuleValue, value: float) -> float:
    return int(value) if row.unit == "working_days" else float(value)
