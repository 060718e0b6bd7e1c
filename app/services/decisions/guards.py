"""What every decision on a nomination checks first: the nomination, its dossier and award
type, and that no complaint about it is still open."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.principal import Principal
from app.core.statuses import ComplaintStatus
from app.models import AwardType, Complaint, Dossier, Nomination
from app.services.dossiers import queries

Loaded = tuple[Nomination, Dossier, AwardType]


async def load_many(session: AsyncSession, ids: Iterable[int]) -> dict[int, Loaded]:
    """Nomination id → (nomination, dossier, award type), in one query."""
    rows = await session.execute(
        select(Nomination, Dossier, AwardType)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .join(AwardType, AwardType.code == Nomination.award_type_code)
        .where(Nomination.id.in_(set(ids)))
        .order_by(Nomination.id)
    )
    return {n.id: (n, d, t) for n, d, t in rows}


async def load_one(session: AsyncSession, actor: Principal, nomination_id: int) -> Loaded:
    """One nomination the caller may see (404 otherwise), with its dossier and award type."""
    await queries.get_nomination(session, actor, nomination_id)
    return (await load_many(session, [nomination_id]))[nomination_id]


async def refuse_open_complaints(session: AsyncSession, nominations: list[Nomination]) -> None:
    """409 `open_complaint` while a complaint about any of them is unresolved (NĐ 152, Điều 4)."""
    ids = [n.id for n in nominations]
    blocked = sorted(
        set(
            await session.scalars(
                select(Complaint.nomination_id).where(
                    Complaint.nomination_id.in_(ids), Complaint.status == ComplaintStatus.OPEN
                )
            )
        )
    )
    if blocked:
        names = ", ".join(n.nominee_name for n in nominations if n.id in blocked)
        raise Conflict(
            f"Có đơn thư chưa giải quyết về đề nghị của: {names}. Giải quyết đơn thư trước khi "
            "quyết định.",
            code="open_complaint",
            nomination_ids=blocked,
        )
