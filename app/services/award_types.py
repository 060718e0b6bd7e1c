"""The award-type catalogue (danh mục danh hiệu, hình thức khen thưởng) as stored and edited."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound, Unprocessable
from app.models import AwardType
from app.services import audit
from app.services.award_catalogue import AWARD_TYPES, DOCUMENT_TYPES
from app.services.common import PageResult, check_version, paginate
from app.services.criteria import RULES
from app.services.principal import Principal
from app.services.text import nfc

AUDITED = ("name", "active", "council_vote", "required_documents", "criteria", "legal_basis")


async def load_award_types(session: AsyncSession) -> list[str]:
    """Seed the shipped catalogue; rows already stored (perhaps edited) are left alone."""
    existing = set(await session.scalars(select(AwardType.code)))
    added = []
    for position, spec in enumerate(AWARD_TYPES, start=1):
        if spec.code in existing:
            continue
        data = spec.to_dict()
        session.add(AwardType(**data, position=position, active=True))
        added.append(spec.code)
    await session.flush()
    return [f"{len(added)} loại khen thưởng mới, {len(existing)} đã có"]


def award_type_view(row: AwardType) -> dict[str, Any]:
    """The contract's shape of one catalogue row."""
    vote = row.council_vote or {}
    return {
        "code": row.code,
        "name": row.name,
        "level": row.level,
        "recipient": row.recipient,
        "decided_by": row.decided_by,
        "council_vote": {
            "required": bool(vote.get("required")),
            "threshold_percent": vote.get("threshold_percent"),
            "base": vote.get("base", "all_members"),
        },
        "required_documents": list(row.required_documents or []),
        "criteria": list(row.criteria or []),
        "legal_basis": row.legal_basis,
        "needs_public_disclosure": row.needs_public_disclosure,
        "disclosure_working_days": row.disclosure_working_days,
        "active": row.active,
        "version": row.version,
    }


async def list_award_types(
    session: AsyncSession,
    *,
    level: str | None,
    recipient: str | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> PageResult:
    """The catalogue in its shipped order, optionally filtered."""
    stmt = select(AwardType).order_by(AwardType.position, AwardType.id)
    if level:
        stmt = stmt.where(AwardType.level == level)
    if recipient:
        stmt = stmt.where(AwardType.recipient.in_((recipient, "both")))
    if active is not None:
        stmt = stmt.where(AwardType.active == active)
    return await paginate(session, stmt, limit, offset)


async def get_award_type(session: AsyncSession, code: str) -> AwardType:
    """One award type by its code, or 404."""
    row = await session.scalar(select(AwardType).where(AwardType.code == code))
    if row is None:
        raise NotFound(f"Không có loại khen thưởng mã '{code}'.")
    return row


async def award_types_by_code(session: AsyncSession, codes: set[str]) -> dict[str, AwardType]:
    """The rows for `codes`, in one query."""
    if not codes:
        return {}
    rows = await session.scalars(select(AwardType).where(AwardType.code.in_(codes)))
    return {row.code: row for row in rows}


def _check_documents(codes: list[str]) -> list[str]:
    unknown = [c for c in codes if c not in DOCUMENT_TYPES]
    if unknown:
        raise Unprocessable(
            f"Loại giấy tờ không có trong danh mục: {', '.join(unknown)}. "
            f"Dùng một trong: {', '.join(DOCUMENT_TYPES)}.",
            code="unknown_document_type",
        )
    return list(dict.fromkeys(codes))


def _unknown_rules(criteria: list[dict[str, Any]]) -> list[str]:
    unknown: list[str] = []
    for criterion in criteria:
        rule = criterion.get("rule")
        if not isinstance(rule, str) or rule not in RULES:
            unknown.append(str(rule))
        options = criterion.get("options")
        if isinstance(options, list):
            unknown += _unknown_rules([o for o in options if isinstance(o, dict)])
    return unknown


def _check_criteria(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # An unknown rule would silently show as "unknown" on every nomination: refuse it here.
    if unknown := _unknown_rules(criteria):
        raise Unprocessable(
            f"Tiêu chí dùng quy tắc chưa được hỗ trợ: {', '.join(unknown)}. "
            f"Các quy tắc có thể dùng: {', '.join(sorted(RULES))}.",
            code="unknown_criterion_rule",
        )
    return criteria


def _apply(row: AwardType, changes: dict[str, Any]) -> None:
    if "council_vote" in changes and changes["council_vote"] is not None:
        vote = dict(row.council_vote or {})
        vote.update({k: v for k, v in changes.pop("council_vote").items() if v is not None})
        row.council_vote = vote
    if changes.get("required_documents") is not None:
        row.required_documents = _check_documents(changes.pop("required_documents"))
    if changes.get("criteria") is not None:
        row.criteria = _check_criteria(changes.pop("criteria"))
    for field, value in changes.items():
        if value is not None:
            setattr(row, field, nfc(value) if isinstance(value, str) else value)


async def update_award_type(
    session: AsyncSession, actor: Principal, code: str, changes: dict, expected: int | None
) -> AwardType:
    """Sở Nội vụ amends thresholds, papers and criteria when a decree changes them."""
    row = await get_award_type(session, code)
    check_version(row, expected)
    before = audit.snapshot(row, AUDITED)
    _apply(row, changes)
    await session.flush()
    await audit.record(
        session, actor, "award_type.updated", "award_type", row.id,
        before=before, after=audit.snapshot(row, AUDITED),
    )  # fmt: skip
    return row
