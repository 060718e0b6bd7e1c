"""The award-type catalogue (danh mục danh hiệu, hình thức khen thưởng) as stored and edited."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.nominee_kinds import NomineeKind
from app.core.orm import PageResult, paginate
from app.core.principal import Principal
from app.core.text import nfc
from app.core.validation_messages import vietnamese_message
from app.models import AwardType
from app.schemas import common
from app.schemas.award_types import AwardTypeUpdate
from app.services import audit, permissions
from app.services.award_types.catalogue import AWARD_TYPES, DOCUMENT_TYPES
from app.services.award_types.criteria import RULES

AUDITED = (
    "name", "active", "accepts_households", "council_vote", "required_documents", "criteria",
    "legal_basis",
)  # fmt: skip


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


AWARD_TYPE_SORTING = sorting(AwardType, "position", ["position", "code", "name", "level"])


async def list_award_types(
    session: AsyncSession,
    *,
    level: str | None,
    recipient: str | None,
    active: bool | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The catalogue in its shipped order, optionally filtered."""
    stmt = select(AwardType)
    if level:
        stmt = stmt.where(AwardType.level == level)
    if recipient == NomineeKind.HOUSEHOLD:
        stmt = stmt.where(AwardType.accepts_households.is_(True))
    elif recipient:
        stmt = stmt.where(AwardType.recipient.in_((recipient, "both")))
    if active is not None:
        stmt = stmt.where(AwardType.active == active)
    return await paginate(session, AWARD_TYPE_SORTING.apply(stmt, listing), limit, offset)


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


Count = Annotated[StrictInt, Field(ge=1, le=20)]
Offset = Annotated[StrictInt, Field(ge=0, le=50)]
Rating = common.Rating
Codes = Annotated[list[Annotated[StrictStr, Field(max_length=100)]], Field(max_length=20)]


class _Criterion(BaseModel):
    """Keys every criterion may carry; each rule adds its own parameters, all bounded."""

    model_config = ConfigDict(extra="forbid")

    rule: StrictStr
    check: Annotated[StrictStr, Field(min_length=1, max_length=100)] | None = None
    applies_to: Literal["individual", "collective", "household", "both"] | None = None
    note: Annotated[StrictStr, Field(max_length=2000)] | None = None
    # Căn cứ pháp lý (văn bản, điều, khoản) and the date it takes effect (YYYY-MM-DD).
    legal_basis: Annotated[StrictStr, Field(max_length=500)] | None = None
    effective_from: Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None


class _PublicDisclosure(_Criterion):
    working_days: Annotated[StrictInt, Field(ge=1, le=60)] = 10


class _UnitCouncilVote(_Criterion):
    unit_council_threshold_percent: Annotated[StrictInt, Field(ge=1, le=100)] = 80
    base: Literal["all_members"] = "all_members"


class _Manual(_Criterion):
    message: Annotated[StrictStr, Field(max_length=2000)] | None = None


class _Consecutive(_Criterion):
    award_type_code: Annotated[StrictStr, Field(max_length=100)] | None = None
    award_type_codes: Codes | None = None
    ratings: Annotated[list[Rating], Field(max_length=4)] | None = None
    requires_rating: Annotated[list[Rating], Field(max_length=4)] | None = None
    years: Count = 1
    ending_offset: Offset = 1
    interval: Count = 1


class _PriorAward(_Criterion):
    award_type_code: Annotated[StrictStr, Field(max_length=100)] | None = None
    award_type_codes: Codes | None = None
    latest_year_offset: Offset = 1
    earliest_year_offset: Offset | None = None


class _AwardCount(_PriorAward):
    count: Count = 1
    requires_rating: Annotated[list[Rating], Field(max_length=4)] | None = None


class _Initiative(_Criterion):
    min_scope: Literal["grassroots", "provincial", "national"] = "grassroots"
    count: Count = 1
    within_years: Annotated[StrictInt, Field(ge=1, le=50)] | None = None


class _Combined(_Criterion):
    options: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=20)]


PARAMETERS: dict[str, type[_Criterion]] = {
    "no_discipline": _Criterion,
    "no_open_complaint": _Criterion,
    "cluster_leader": _Criterion,
    "public_disclosure": _PublicDisclosure,
    "unit_council_vote": _UnitCouncilVote,
    "manual": _Manual,
    "prior_consecutive": _Consecutive,
    "consecutive_rating": _Consecutive,
    "prior_award": _PriorAward,
    "award_count": _AwardCount,
    "initiative": _Initiative,
    "any_of": _Combined,
    "all_of": _Combined,
}


def _unknown_rules(criteria: list[Any]) -> list[str]:
    unknown: list[str] = []
    for criterion in criteria:
        rule = criterion.get("rule") if isinstance(criterion, dict) else None
        if not isinstance(rule, str) or rule not in RULES:
            unknown.append(str(rule))
            continue
        options = criterion.get("options")
        if isinstance(options, list):
            unknown += _unknown_rules(options)
    return unknown


def _parameter_errors(
    criteria: list[dict[str, Any]], where: tuple[str | int, ...] = ("body", "criteria")
) -> list[dict[str, Any]]:
    """Each criterion's parameters against its rule's model (e.g. `interval` ≥ 1, `years` ≤ 20),
    so a stored criterion can never make an evaluation fail or run without end. The errors are
    shaped like a 422's `errors`: `{loc, msg, type}`."""
    errors: list[dict[str, Any]] = []
    for i, criterion in enumerate(criteria):
        try:
            PARAMETERS.get(criterion["rule"], _Criterion).model_validate(criterion)
        except ValidationError as exc:
            errors += [
                {"loc": [*where, i, *e["loc"]], "msg": vietnamese_message(e), "type": e["type"]}
                for e in exc.errors(include_url=False)
            ]
        if isinstance(criterion.get("options"), list):
            errors += _parameter_errors(criterion["options"], (*where, i, "options"))
    return errors


def _text(error: dict[str, Any]) -> str:
    return f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"


def _check_criteria(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # An unknown rule would silently show as "unknown" on every nomination: refuse it here.
    if unknown := _unknown_rules(criteria):
        raise Unprocessable(
            f"Tiêu chí dùng quy tắc chưa được hỗ trợ: {', '.join(unknown)}. "
            f"Các quy tắc có thể dùng: {', '.join(sorted(RULES))}.",
            code="unknown_criterion_rule",
        )
    if errors := _parameter_errors(criteria):
        raise Unprocessable(
            "Tham số của tiêu chí không hợp lệ (số năm 1–20, khoảng cách năm 1–20, độ lệch năm "
            f"0–50, số lượng 1–20, chỉ số nguyên): {'; '.join(_text(e) for e in errors[:10])}.",
            code="invalid_criterion_parameters",
            errors=errors[:50],
        )
    return criteria


def _apply(row: AwardType, changes: AwardTypeUpdate) -> None:
    if changes.council_vote is not None:
        vote = dict(row.council_vote or {})
        for key in changes.council_vote.model_fields_set:
            if (value := getattr(changes.council_vote, key)) is not None:
                vote[key] = value
        row.council_vote = vote
    if changes.required_documents is not None:
        row.required_documents = _check_documents(changes.required_documents)
    if changes.criteria is not None:
        row.criteria = _check_criteria(changes.criteria)
    if changes.name is not None:
        row.name = nfc(changes.name)
    if changes.legal_basis is not None:
        row.legal_basis = nfc(changes.legal_basis)
    if changes.active is not None:
        row.active = changes.active
    if changes.accepts_households is not None:
        row.accepts_households = changes.accepts_households


async def update_award_type(
    session: AsyncSession,
    actor: Principal,
    code: str,
    changes: AwardTypeUpdate,
    expected: int | None,
) -> AwardType:
    """Sở Nội vụ amends thresholds, papers and criteria when a decree changes them."""
    permissions.require(actor, "award_type.update")
    row = await get_award_type(session, code)
    return await audit.audited_update(
        session, actor, row, lambda: _apply(row, changes), expected,
        action="award_type.updated", entity="award_type", audited=AUDITED,
    )  # fmt: skip
