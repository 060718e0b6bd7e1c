"""Ý kiến: the opinions received about a published list, entered by Sở Nội vụ as they arrive
(by post, e-mail, telephone, in person), and how each was handled."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, Unprocessable
from app.core.principal import Principal
from app.core.text import nfc
from app.models import Disclosure, DisclosureOpinion
from app.schemas.disclosures import OpinionCreate, OpinionUpdate
from app.services import audit, permissions
from app.services.disclosures import lists

AUDITED = ("disclosure_id", "nomination_id", "received_on", "sender", "content", "handling",
           "handled_on")  # fmt: skip


def _on_list(disclosure: Disclosure, nomination_id: int | None) -> None:
    if nomination_id is not None and nomination_id not in disclosure.nomination_ids:
        raise Unprocessable(
            f"Đề nghị mã số {nomination_id} không có trong danh sách công khai này.",
            code="nomination_not_on_list",
            nomination_id=nomination_id,
        )


def _clean(value: Any) -> Any:
    return nfc(value) if isinstance(value, str) else value


async def record(
    session: AsyncSession, actor: Principal, disclosure_id: int, body: OpinionCreate
) -> DisclosureOpinion:
    """One opinion received about the list; `sender` empty for an anonymous one."""
    permissions.require(actor, "disclosure.record_opinion")
    disclosure = await lists.get(session, disclosure_id)
    _on_list(disclosure, body.nomination_id)
    row = DisclosureOpinion(
        disclosure_id=disclosure.id,
        created_by_id=actor.user_id,
        **{name: _clean(getattr(body, name)) for name in OpinionCreate.model_fields},
    )
    if not row.sender:
        row.sender = None
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor, "disclosure.opinion_recorded", "disclosure_opinion", row.id,
        after=audit.snapshot(row, AUDITED),
    )  # fmt: skip
    sent = [name for name in OpinionCreate.model_fields if getattr(row, name) is not None]
    await _emit(session, "disclosure.opinion_recorded", row, sent)
    return row


async def _emit(
    session: AsyncSession, type_: str, row: DisclosureOpinion, changed: list[str]
) -> None:
    # Who wrote what, and about whom, is for Sở Nội vụ only (as for complaints): the event
    # says that an opinion came and when it was handled, never its sender or its content.
    data = {
        "disclosure_id": row.disclosure_id, "nomination_id": row.nomination_id,
        "received_on": row.received_on.isoformat(),
        "handled_on": row.handled_on.isoformat() if row.handled_on else None,
        "changed": sorted(changed),
    }  # fmt: skip
    await audit.emit(session, type_, "disclosure_opinion", row.id, data, restricted=True)


async def list_for(
    session: AsyncSession, actor: Principal, disclosure_id: int
) -> list[DisclosureOpinion]:
    """The opinions received about a list, in the order they arrived."""
    permissions.require(actor, "disclosure.list_opinions")
    await lists.get(session, disclosure_id)
    rows = await session.scalars(
        select(DisclosureOpinion)
        .where(DisclosureOpinion.disclosure_id == disclosure_id)
        .order_by(DisclosureOpinion.received_on, DisclosureOpinion.id)
    )
    return list(rows)


async def get(
    session: AsyncSession, actor: Principal, disclosure_id: int, opinion_id: int
) -> DisclosureOpinion:
    permissions.require(actor, "disclosure.read_opinion")
    row = await session.scalar(
        select(DisclosureOpinion).where(
            DisclosureOpinion.id == opinion_id, DisclosureOpinion.disclosure_id == disclosure_id
        )
    )
    if row is None:
        raise NotFound(f"Không tìm thấy ý kiến có mã số {opinion_id} trong danh sách này.")
    return row


async def update(
    session: AsyncSession,
    actor: Principal,
    disclosure_id: int,
    opinion_id: int,
    body: OpinionUpdate,
    expected: int | None,
) -> DisclosureOpinion:
    """Record how the opinion was handled, or correct it (If-Match); audited. A `null` sent
    for `received_on` or `content` changes nothing; for `sender`, makes it anonymous."""
    permissions.require(actor, "disclosure.update_opinion")
    row = await get(session, actor, disclosure_id, opinion_id)
    disclosure = await lists.get(session, disclosure_id)

    def apply() -> None:
        for name in body.model_fields_set:
            value = _clean(getattr(body, name))
            if value is None and name in ("received_on", "content"):
                continue
            setattr(row, name, value or None if name == "sender" else value)
        _on_list(disclosure, row.nomination_id)

    await audit.audited_update(
        session, actor, row, apply, expected, action="disclosure.opinion_updated",
        entity="disclosure_opinion", audited=AUDITED,
    )  # fmt: skip
    await _emit(session, "disclosure.opinion_updated", row, list(body.model_fields_set))
    return row
