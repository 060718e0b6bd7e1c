"""Grassroots titles decided inside units (Lao động tiên tiến, Chiến sĩ thi đua cơ sở, Tập thể
lao động tiên tiến, Giấy khen), entered by the unit itself as award history for its own people
and collectives, with the decision number and date; Sở Nội vụ confirms them against the
decision. They count for the criteria as soon as they are entered (as ratings do); `confirmed`
says whether Sở Nội vụ has checked them.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import Conflict, Forbidden, Unprocessable
from app.core.orm import check_version, flush_or_conflict, get_or_404
from app.core.principal import NOI_VU, UNIT, Principal
from app.core.text import nfc, search_text
from app.models import AwardHistory, AwardType
from app.schemas.award_history import UnitTitleCreate
from app.services import audit, permissions
from app.services.award_history.records import new_row
from app.services.dossiers.rules import nominee_key
from app.services.nominees.collectives import COLLECTIVE, Register
from app.services.nominees.records import _check_unit, _unit_of

# Giấy khen của Thủ trưởng cơ quan, đơn vị is a hình thức khen thưởng, not in the catalogue of
# danh hiệu; it is entered under this code.
GIAY_KHEN = "giay_khen"
FIELDS = ("nominee_kind", "nominee_name", "unit_id", "collective_id", "award_type_code", "year",
          "decision_year", "decision_no", "decided_on", "source")  # fmt: skip


async def _recipient(session: AsyncSession, code: str) -> str:
    """The recipient of a grassroots title (`both` for Giấy khen); 422 `not_a_grassroots_title`
    for any other award type."""
    if code == GIAY_KHEN:
        return "both"
    row = await session.scalar(select(AwardType).where(AwardType.code == code))
    if row is None or row.level != "grassroots":
        raise Unprocessable(
            f"“{code}” không phải danh hiệu, hình thức khen thưởng cấp cơ sở. Đơn vị chỉ nhập Lao "
            "động tiên tiến, Chiến sĩ thi đua cơ sở, Tập thể lao động tiên tiến hoặc Giấy khen "
            f"({GIAY_KHEN}); khen thưởng cấp tỉnh trở lên vào lịch sử từ quyết định.",
            code="not_a_grassroots_title",
        )
    return row.recipient


async def record_title(
    session: AsyncSession, actor: Principal, body: UnitTitleCreate
) -> AwardHistory:
    """A grassroots title of one person or collective of the caller's unit (Sở Nội vụ: any
    unit, confirmed at once). The same title of the same nominee and year: 409
    `duplicate_award`."""
    permissions.require(actor, "award_history.record")
    await _check_unit(session, body.unit_id)
    unit_id = _unit_of(actor, body.unit_id)
    recipient = await _recipient(session, body.award_type_code)
    _check_recipient(recipient, body.nominee_kind)
    name = nfc(body.nominee_name)[:300]
    collective_id = None
    if body.nominee_kind == COLLECTIVE:
        register = await Register.load(session, [(unit_id, name)])
        collective_id = (await register.resolve(unit_id, name)).id
    row = new_row(
        nominee_kind=body.nominee_kind, nominee_name=name, unit_id=unit_id,
        award_type_code=body.award_type_code, year=body.year,
        decision_no=nfc(body.decision_no)[:100], decided_on=body.decided_on, source="unit",
        collective_id=collective_id,
    )  # fmt: skip
    await _refuse_duplicate(session, row)
    row.created_by_id = actor.user_id
    if actor.role == NOI_VU:
        row.confirmed_at, row.confirmed_by_id = utcnow(), actor.user_id
    session.add(row)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "award_history.recorded", "award_history", row.id,
        after=audit.snapshot(row, FIELDS),
    )  # fmt: skip
    return row


def _check_recipient(recipient: str, kind: str) -> None:
    if recipient not in ("both", kind):
        raise Unprocessable(
            "Danh hiệu này chỉ xét tặng cho "
            f"{'cá nhân' if recipient == 'individual' else 'tập thể'}.",
            code="recipient_mismatch",
        )


async def _refuse_duplicate(session: AsyncSession, row: AwardHistory) -> None:
    """409 `duplicate_award` when the nominee already holds this title for that year (another
    row than `row`)."""
    same = select(AwardHistory.id).where(
        AwardHistory.award_type_code == row.award_type_code,
        AwardHistory.year == row.year,
        AwardHistory.nominee_kind == row.nominee_kind,
    )
    if row.id is not None:
        same = same.where(AwardHistory.id != row.id)
    if row.collective_id is not None:
        same = same.where(AwardHistory.collective_id == row.collective_id)
    else:
        same = same.where(
            AwardHistory.nominee_key == row.nominee_key,
            AwardHistory.unit_id.is_(None)
            if row.unit_id is None
            else AwardHistory.unit_id == row.unit_id,
        )
    if await session.scalar(same.limit(1)) is not None:
        raise Conflict(
            f"{row.nominee_name} đã có danh hiệu này cho năm {row.year} trong lịch sử khen thưởng.",
            code="duplicate_award",
        )


async def _own_entry(
    session: AsyncSession, actor: Principal, history_id: int, expected: int | None
) -> AwardHistory:
    """A unit's own entry it may still change: entered by a unit (not from a decision or an
    import: 409 `award_history_locked`), of the caller's unit (403 `not_own_unit`), and for a
    unit not yet confirmed by Sở Nội vụ (409 `award_history_locked`)."""
    row = await get_or_404(session, AwardHistory, history_id, "bản ghi khen thưởng")
    if actor.role == UNIT and row.unit_id != actor.unit_id:
        raise Forbidden("Đơn vị chỉ sửa, xoá danh hiệu do đơn vị mình nhập.", code="not_own_unit")
    if row.source != "unit":
        raise Conflict(
            "Bản ghi này lấy từ quyết định khen thưởng hoặc dữ liệu Sở Nội vụ nhập khẩu, không "
            "phải danh hiệu đơn vị tự nhập: không sửa, xoá ở đây; đề nghị Sở Nội vụ đối chiếu.",
            code="award_history_locked",
        )
    if actor.role == UNIT and row.confirmed_at is not None:
        raise Conflict(
            "Sở Nội vụ đã xác nhận danh hiệu này theo quyết định; đơn vị không sửa, xoá được. "
            "Đề nghị Sở Nội vụ sửa nếu quyết định có sai sót.",
            code="award_history_locked",
        )
    check_version(row, expected)
    return row


async def update_title(
    session: AsyncSession,
    actor: Principal,
    history_id: int,
    changes: dict[str, Any],
    expected: int | None,
) -> AwardHistory:
    """Correct a unit's own grassroots title (name, title, year, decision) while Sở Nội vụ has
    not confirmed it; Sở Nội vụ corrects any unit's entry. Audited; the checks it fed are judged
    again."""
    permissions.require(actor, "award_history.update")
    row = await _own_entry(session, actor, history_id, expected)
    before = audit.snapshot(row, FIELDS)
    if changes.get("award_type_code") is not None:
        _check_recipient(await _recipient(session, changes["award_type_code"]), row.nominee_kind)
        row.award_type_code = changes["award_type_code"]
    if changes.get("nominee_name") is not None:
        row.nominee_name = nfc(changes["nominee_name"])[:300]
        if row.collective_id is not None:
            register = await Register.load(session, [(row.unit_id, row.nominee_name)])
            row.collective_id = (await register.resolve(row.unit_id, row.nominee_name)).id
        row.nominee_key = nominee_key(row.nominee_name)
        row.search_text = search_text(row.nominee_name)
    if changes.get("year") is not None:
        row.year = changes["year"]
    if changes.get("decision_no") is not None:
        row.decision_no = nfc(changes["decision_no"])[:100]
    if changes.get("decided_on") is not None:
        row.decided_on = changes["decided_on"]
        row.decision_year = row.decided_on.year
    await _refuse_duplicate(session, row)
    await flush_or_conflict(session)
    after = audit.snapshot(row, FIELDS)
    if after != before:
        await audit.record(
            session, actor, "award_history.updated", "award_history", row.id,
            before=before, after=after,
        )  # fmt: skip
    return row


async def delete_title(
    session: AsyncSession, actor: Principal, history_id: int, expected: int | None
) -> None:
    """Delete a unit's own grassroots title entered in error (same rules as a correction)."""
    permissions.require(actor, "award_history.delete")
    row = await _own_entry(session, actor, history_id, expected)
    before = audit.snapshot(row, FIELDS)
    await session.delete(row)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "award_history.deleted", "award_history", history_id, before=before
    )


async def confirm_title(session: AsyncSession, actor: Principal, history_id: int) -> AwardHistory:
    """Sở Nội vụ confirms a unit's entry against its decision (idempotent)."""
    permissions.require(actor, "award_history.confirm")
    row = await get_or_404(session, AwardHistory, history_id, "bản ghi khen thưởng")
    if row.confirmed_at is None:
        row.confirmed_at, row.confirmed_by_id = utcnow(), actor.user_id
        await flush_or_conflict(session)
        await audit.record(
            session, actor, "award_history.confirmed", "award_history", row.id,
            before={"confirmed": False}, after={"confirmed": True},
        )  # fmt: skip
    return row
