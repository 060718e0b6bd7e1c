"""Công khai: the public disclosure of a nomination for Huân chương or a title of honour, which
must be published a number of working days before the council meets on it."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, Unprocessable
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import nfc
from app.core.working_days import today_in_vietnam
from app.models import Disclosure
from app.schemas.decisions import DisclosureCreate
from app.services import audit, permissions
from app.services.decisions import guards


async def record(
    session: AsyncSession, actor: Principal, nomination_id: int, body: DisclosureCreate
) -> Disclosure:
    permissions.require(actor, "disclosure.record")
    nomination, dossier, _ = await guards.load_one(session, actor, nomination_id)
    if nomination.status in (NominationStatus.DRAFT, NominationStatus.WITHDRAWN):
        raise Conflict(
            f"Đề nghị của {nomination.nominee_name} chưa nộp hoặc đã rút; không công khai.",
            code="invalid_transition",
            current_status=nomination.status,
        )
    if body.published_on > today_in_vietnam():
        raise Unprocessable(
            f"Ngày công khai {body.published_on:%d/%m/%Y} chưa tới; chỉ ghi nhận việc công "
            "khai đã diễn ra.",
            code="published_in_future",
        )
    row = Disclosure(
        nomination_id=nomination.id,
        published_on=body.published_on,
        channel=nfc(body.channel),
        url=str(body.url) if body.url else None,
        created_by_id=actor.user_id,
    )
    session.add(row)
    await session.flush()
    after = {
        "nomination_id": nomination.id,
        "published_on": row.published_on.isoformat(),
        "channel": row.channel,
        "url": row.url,
    }
    await audit.record(session, actor, "nomination.disclosed", "dossier", dossier.id, after=after)
    return row


async def for_nomination(
    session: AsyncSession, actor: Principal, nomination_id: int
) -> list[Disclosure]:
    await guards.load_one(session, actor, nomination_id)
    rows = await session.scalars(
        select(Disclosure)
        .where(Disclosure.nomination_id == nomination_id)
        .order_by(Disclosure.published_on, Disclosure.id)
    )
    return list(rows)
