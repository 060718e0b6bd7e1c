"""Nominations (đề nghị): one nominee × one award type inside a dossier, edited while the
dossier is a draft or returned for supplementation."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, Unprocessable
from app.core.orm import flush_or_conflict, touch
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import nfc
from app.models import AwardType, Dossier, Nomination, Unit
from app.services import audit
from app.services.award_types import award_types_by_code
from app.services.dossiers import queries, rules
from app.services.nominees import collectives

NOMINEE_FIELDS = (
    "nominee_kind",
    "nominee_name",
    "nominee_unit_id",
    "collective_id",
    "position",
    "birth_year",
    "award_type_code",
    "achievement_summary",
    "prior_awards",
)
NULLABLE = frozenset({"nominee_unit_id", "collective_id", "position", "birth_year"})
MAX_NOMINATIONS = 500


def _codes(items: Iterable[dict[str, Any]]) -> set[str]:
    codes: set[str] = set()
    for item in items:
        if item.get("award_type_code"):
            codes.add(item["award_type_code"])
        codes |= {p["award_type_code"] for p in item.get("prior_awards") or []}
    return codes


async def _check_units(session: AsyncSession, items: list[dict[str, Any]]) -> None:
    wanted = {i["nominee_unit_id"] for i in items if i.get("nominee_unit_id") is not None}
    known = set(await session.scalars(select(Unit.id).where(Unit.id.in_(wanted))))
    if unknown := sorted(wanted - known):
        raise Unprocessable(f"Không có đơn vị mã số {unknown}.", code="unknown_reference")


def _check_award(item: dict[str, Any], types: dict[str, AwardType]) -> None:
    row = types.get(item["award_type_code"])
    if row is None or not row.active:
        raise Unprocessable(
            f"Không có loại khen thưởng đang áp dụng mã '{item['award_type_code']}'.",
            code="unknown_award_type",
        )
    if row.recipient not in ("both", item["nominee_kind"]):
        whom = "cá nhân" if row.recipient == "individual" else "tập thể"
        raise Unprocessable(
            f"{row.name} chỉ xét tặng cho {whom}; kiểm tra lại loại đối tượng được đề nghị.",
            code="recipient_mismatch",
        )
    unknown = [p["award_type_code"] for p in item.get("prior_awards") or []]
    if unknown := [code for code in unknown if code not in types]:
        raise Unprocessable(
            f"Khen thưởng đã nhận có mã không có trong danh mục: {', '.join(unknown)}.",
            code="unknown_award_type",
        )


async def validate(session: AsyncSession, items: list[dict[str, Any]]) -> None:
    """Award types exist, are active and suit the nominee; units exist (two queries); each
    collective is resolved to its row in the register (`collective_id`)."""
    if len(items) > MAX_NOMINATIONS:
        raise Unprocessable(
            f"Một hồ sơ có tối đa {MAX_NOMINATIONS} đề nghị.", code="too_many_nominations"
        )
    types = await award_types_by_code(session, _codes(items))
    for item in items:
        _check_award(item, types)
    await _check_units(session, items)
    await collectives.assign(session, items)


def apply(nomination: Nomination, data: dict[str, Any]) -> None:
    """Copy nominee fields onto `nomination`, normalised, and refresh its matching key."""
    for name in NOMINEE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "prior_awards":
            value = [
                {k: p.get(k) for k in ("award_type_code", "year", "decision_no")} for p in value
            ]
        elif isinstance(value, str):
            value = nfc(value)
        setattr(nomination, name, value)
    nomination.nominee_key = rules.nominee_key(nomination.nominee_name)


def build(items: list[dict[str, Any]]) -> list[Nomination]:
    """New draft nominations from validated request items."""
    nominations = []
    for item in items:
        nomination = Nomination(
            status=NominationStatus.DRAFT, prior_awards=[], achievement_summary=""
        )
        apply(nomination, item)
        nominations.append(nomination)
    return nominations


def refresh_search(dossier: Dossier) -> None:
    """Recompute the dossier's folded search text (code, title, nominee names)."""
    dossier.search_text = rules.dossier_search_text(
        dossier.code, dossier.title, (n.nominee_name for n in dossier.nominations)
    )


def _audited(n: Nomination) -> dict[str, Any]:
    return {
        "nomination_id": n.id,
        "nominee_kind": n.nominee_kind,
        "nominee_name": n.nominee_name,
        "award_type_code": n.award_type_code,
    }


async def add_nomination(
    session: AsyncSession, actor: Principal, dossier_id: int, data: dict[str, Any]
) -> tuple[Nomination, Dossier]:
    """Add a nomination to the caller's draft or returned dossier."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "nomination.add")
    if len(dossier.nominations) >= MAX_NOMINATIONS:
        raise Unprocessable(
            f"Một hồ sơ có tối đa {MAX_NOMINATIONS} đề nghị.", code="too_many_nominations"
        )
    await validate(session, [data])
    (nomination,) = build([data])
    dossier.nominations.append(nomination)
    refresh_search(dossier)
    touch(dossier)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "nomination.added", "dossier", dossier.id, after=_audited(nomination)
    )
    return nomination, dossier


async def update_nomination(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    nomination_id: int,
    changes: dict[str, Any],
    expected: int | None,
) -> tuple[Nomination, Dossier]:
    """Amend a nomination (If-Match on its version) while the dossier is editable."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "nomination.update")
    nomination = _find(dossier, nomination_id)

    async def amend() -> None:
        merged = {name: getattr(nomination, name) for name in NOMINEE_FIELDS}
        merged.update({k: v for k, v in changes.items() if v is not None or k in NULLABLE})
        await validate(session, [merged])
        apply(nomination, merged)
        refresh_search(dossier)
        touch(dossier)

    await audit.audited_update(
        session, actor, nomination, amend, expected, action="nomination.updated",
        entity="dossier", entity_id=dossier.id, audited=_audited, flush=flush_or_conflict,
    )  # fmt: skip
    return nomination, dossier


async def delete_nomination(
    session: AsyncSession, actor: Principal, dossier_id: int, nomination_id: int
) -> None:
    """Remove a nomination while the dossier is editable."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "nomination.delete")
    nomination = _find(dossier, nomination_id)
    before = _audited(nomination)
    # Papers of this nominee stay with the dossier (nomination_id is set to NULL).
    for attachment in dossier.attachments:
        if attachment.nomination_id == nomination.id:
            attachment.nomination_id = None
    dossier.nominations.remove(nomination)
    refresh_search(dossier)
    touch(dossier)
    await flush_or_conflict(session)
    await audit.record(session, actor, "nomination.removed", "dossier", dossier.id, before=before)


def _find(dossier: Dossier, nomination_id: int) -> Nomination:
    for nomination in dossier.nominations:
        if nomination.id == nomination_id:
            return nomination
    raise NotFound(f"Hồ sơ {dossier.code} không có đề nghị mã số {nomination_id}.")
