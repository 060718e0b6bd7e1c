"""Đơn thư khiếu nại, tố cáo about a nomination.

While a complaint is open no decision is taken on the nomination (409 `open_complaint`). When
it is resolved as upheld (có cơ sở), a nomination not yet decided — submitted, eligible,
approved, or submitted to the centre — becomes `rejected`, with the resolution as its note. An
award already conferred is not undone here: revoking one is a separate legal procedure, so the
resolution is recorded and the status kept.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import NotFound
from app.core.orm import check_version, flush_or_conflict, touch
from app.core.principal import Principal
from app.core.statuses import ComplaintStatus
from app.core.text import nfc
from app.models import Complaint, Dossier, Nomination
from app.schemas.decisions import ComplaintCreate, ComplaintResolve
from app.services import audit, permissions, workflow
from app.services.decisions import guards
from app.services.dossiers import moves as nomination_moves
from app.services.dossiers import queries


def _subject(row: Complaint, dossier: Dossier) -> workflow.Subject:
    # Who complained about whom is for Sở Nội vụ only.
    return workflow.Subject(
        "complaint", row, "complaint", row.id, restricted=True,
        data={"nomination_id": row.nomination_id, "dossier_id": dossier.id,
              "upheld": row.upheld},
    )  # fmt: skip


async def _emit(session: AsyncSession, type_: str, row: Complaint, dossier: Dossier) -> None:
    await audit.emit(
        session, type_, "complaint", row.id, {"status": row.status, **_subject(row, dossier).data},
        restricted=True,
    )  # fmt: skip


async def record(
    session: AsyncSession, actor: Principal, nomination_id: int, body: ComplaintCreate
) -> Complaint:
    permissions.require(actor, "complaint.record")
    nomination, dossier, _ = await guards.load_one(session, actor, nomination_id)
    row = Complaint(
        nomination_id=nomination.id,
        received_on=body.received_on,
        summary=nfc(body.summary),
        status=ComplaintStatus.OPEN,
        created_by_id=actor.user_id,
    )
    session.add(row)
    # Bumps the nomination's version: a decision recorded concurrently, which read it before
    # this complaint existed, then fails its versioned UPDATE instead of ignoring the complaint.
    touch(nomination)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "complaint.recorded", "complaint", row.id,
        after={"nomination_id": nomination.id, "dossier_id": dossier.id,
               "received_on": row.received_on.isoformat()},
    )  # fmt: skip
    await _emit(session, "complaint.recorded", row, dossier)
    return row


async def get(session: AsyncSession, actor: Principal, complaint_id: int) -> Complaint:
    row = await session.get(Complaint, complaint_id)
    if row is None:
        raise NotFound(f"Không tìm thấy đơn thư có mã số {complaint_id}.")
    # The complaint is visible to whoever may see its nomination.
    await queries.get_nomination(session, actor, row.nomination_id)
    return row


async def for_nomination(
    session: AsyncSession, actor: Principal, nomination_id: int
) -> list[Complaint]:
    await queries.get_nomination(session, actor, nomination_id)
    rows = await session.scalars(
        select(Complaint).where(Complaint.nomination_id == nomination_id).order_by(Complaint.id)
    )
    return list(rows)


async def resolve(
    session: AsyncSession,
    actor: Principal,
    complaint_id: int,
    body: ComplaintResolve,
    expected: int | None,
) -> Complaint:
    permissions.require(actor, "complaint.resolve")
    row = await get(session, actor, complaint_id)
    check_version(row, expected)
    workflow.check_move("complaint", "resolve", row.status, obj=row)
    nomination, dossier, _ = await guards.load_one(session, actor, row.nomination_id)
    resolution = nfc(body.resolution)
    await workflow.transition(
        session, actor, _subject(row, dossier), "resolve",
        changes={"resolution": resolution, "upheld": body.upheld, "resolved_at": utcnow()},
        after={"upheld": body.upheld, "nomination_id": nomination.id},
        event_data={"upheld": body.upheld}, comment=resolution,
    )  # fmt: skip
    if row.upheld:
        await _reject(session, actor, nomination, dossier, row)
    return row


async def _reject(
    session: AsyncSession,
    actor: Principal,
    nomination: Nomination,
    dossier: Dossier,
    row: Complaint,
) -> None:
    if nomination_moves.can_move("uphold-complaint", nomination.status):
        await nomination_moves.move(
            session, actor, nomination, dossier, "uphold-complaint",
            comment=f"Đơn thư có cơ sở: {row.resolution}", complaint_id=row.id,
        )  # fmt: skip
