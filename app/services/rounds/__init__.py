"""Rounds (đợt xét khen thưởng): windows in which units submit dossiers, with extensions."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, check_version, flush_or_conflict, paginate, touch
from app.core.principal import Principal
from app.core.statuses import RoundStatus
from app.core.text import nfc
from app.models import Dossier, Round, RoundExtension, RoundTask, Task, Unit
from app.schemas.common import sent_fields
from app.schemas.rounds import ExtensionCreate, ExtensionRead, RoundCreate, RoundUpdate
from app.services import audit, permissions, policies, workflow
from app.services.dossiers import rules

ROUND_FIELDS = (
    "year",
    "number",
    "name",
    "submission_opens_on",
    "submission_closes_on",
    "appraisal_due_on",
    "council_meeting_on",
    "state_submission_due_on",
)

_REQUIRED = frozenset(ROUND_FIELDS[:5])


def _audited(row: Round) -> dict[str, Any]:
    return {**audit.snapshot(row, (*ROUND_FIELDS, "status")), "task_ids": row.task_ids}


ROUND_SORTING = sorting(Round, "year,number", ["year", "number", "status", "submission_closes_on"])


async def list_rounds(
    session: AsyncSession,
    *,
    year: int | None,
    status: str | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """Rounds by year and number, optionally of one year or status."""
    stmt = select(Round).options(selectinload(Round.task_links))
    if year:
        stmt = stmt.where(Round.year == year)
    if status:
        stmt = stmt.where(Round.status == status)
    return await paginate(session, ROUND_SORTING.apply(stmt, listing), limit, offset)


async def get_round(session: AsyncSession, round_id: int) -> Round:
    """One round with its task links, or 404."""
    row = await session.scalar(
        select(Round).options(selectinload(Round.task_links)).where(Round.id == round_id)
    )
    if row is None:
        raise NotFound(f"Không tìm thấy đợt xét khen thưởng có mã số {round_id}.")
    return row


def _check_window(opens_on: date, closes_on: date) -> None:
    if opens_on > closes_on:
        raise Unprocessable(
            "Ngày bắt đầu nhận hồ sơ phải trước hoặc trùng ngày hết hạn nộp.",
            code="invalid_window",
        )


async def _set_tasks(session: AsyncSession, row: Round, task_ids: list[int]) -> None:
    wanted = list(dict.fromkeys(task_ids))
    known = set(await session.scalars(select(Task.id).where(Task.id.in_(wanted))))
    if unknown := [t for t in wanted if t not in known]:
        raise Unprocessable(
            f"Không có nhiệm vụ mã số {unknown} trong kế hoạch.", code="unknown_reference"
        )
    row.task_links = [RoundTask(task_id=t) for t in wanted]


async def _flush_unique(session: AsyncSession, year: int, number: int) -> None:
    await flush_or_conflict(
        session,
        f"Năm {year} đã có đợt {number}; mỗi năm chỉ có một đợt 1 và một đợt 2.",
        code="duplicate_round",
    )


async def create_round(session: AsyncSession, actor: Principal, body: RoundCreate) -> Round:
    """A new round in `draft`; one đợt 1 and one đợt 2 a year."""
    permissions.require(actor, "round.create")
    _check_window(body.submission_opens_on, body.submission_closes_on)
    name = body.name or f"Đợt {body.number} năm {body.year}"
    row = Round(
        **{field: getattr(body, field) for field in ROUND_FIELDS if field != "name"},
        name=nfc(name),
        status=RoundStatus.DRAFT,
    )
    row.task_links = []
    await _set_tasks(session, row, body.task_ids)
    session.add(row)
    await _flush_unique(session, row.year, row.number)
    await audit.record(session, actor, "round.created", "round", row.id, after=_audited(row))
    await audit.emit(
        session, "round.created", "round", row.id,
        {"year": row.year, "number": row.number, "status": row.status},
    )  # fmt: skip
    return row


async def _check_renumbering(session: AsyncSession, row: Round, changes: RoundUpdate) -> None:
    """Year and number are fixed once dossiers belong to the round: each dossier took its year
    (and its code) from the round."""
    moved = [
        name
        for name in ("year", "number")
        if getattr(changes, name) is not None and getattr(changes, name) != getattr(row, name)
    ]
    if not moved:
        return
    has_dossiers = await session.scalar(
        select(Dossier.id).where(Dossier.round_id == row.id).limit(1)
    )
    if has_dossiers is not None:
        raise Conflict(
            f"{row.name} đã có hồ sơ đề nghị nên không đổi được năm hoặc số đợt; "
            "chỉ sửa được tên, thời hạn và nhiệm vụ liên quan.",
            code="round_has_dossiers",
        )


async def update_round(
    session: AsyncSession,
    actor: Principal,
    round_id: int,
    changes: RoundUpdate,
    expected: int | None,
) -> Round:
    """Amend dates, name or tasks of a round that is not completed (If-Match); a `null` sent
    for a required date, the year or the number changes nothing."""
    permissions.require(actor, "round.update")
    row = await get_round(session, round_id)

    async def apply() -> None:
        if row.status == RoundStatus.COMPLETED:
            raise Conflict("Đợt đã kết thúc, không sửa được nữa.", code="round_completed")
        await _check_renumbering(session, row, changes)
        sent = sent_fields(changes)
        task_ids = sent.pop("task_ids", None)
        for name, value in sent.items():
            if value is not None or name not in _REQUIRED:
                setattr(row, name, nfc(value) if isinstance(value, str) else value)
        _check_window(row.submission_opens_on, row.submission_closes_on)
        if task_ids is not None:
            await _set_tasks(session, row, task_ids)
            touch(row)

    return await audit.audited_update(
        session, actor, row, apply, expected, action="round.updated", entity="round",
        audited=_audited, flush=lambda s: _flush_unique(s, row.year, row.number),
    )  # fmt: skip


async def move_round(
    session: AsyncSession, actor: Principal, round_id: int, action: str, expected: int | None
) -> Round:
    """open | close | complete, through the one transition table."""
    permissions.require(actor, f"round.{action}")
    row = await get_round(session, round_id)
    check_version(row, expected)
    subject = workflow.Subject(
        "round", row, "round", row.id, data={"year": row.year, "number": row.number}
    )
    await workflow.transition(session, actor, subject, action)
    return row


async def grant_extension(
    session: AsyncSession, actor: Principal, round_id: int, body: ExtensionCreate
) -> RoundExtension:
    """Gia hạn: one unit may submit to this round until `until`, even after it closed."""
    permissions.require(actor, "round.grant_extension")
    row = await get_round(session, round_id)
    if row.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        raise Conflict(
            "Chỉ gia hạn được cho đợt đang nhận hồ sơ hoặc đã hết hạn nộp (chưa kết thúc).",
            code="round_not_open",
        )
    if await session.get(Unit, body.unit_id) is None:
        raise Unprocessable(f"Không có đơn vị mã số {body.unit_id}.", code="unknown_reference")
    if body.until < rules.today():
        raise Unprocessable("Hạn gia hạn đã qua; chọn một ngày từ hôm nay.", code="until_in_past")
    extension = RoundExtension(
        round_id=row.id,
        unit_id=body.unit_id,
        until=body.until,
        reason=nfc(body.reason),
        approved_by_id=actor.user_id,
        approved_by_name=actor.full_name or actor.username,
    )
    session.add(extension)
    await session.flush()
    granted = ExtensionRead.model_validate(extension).model_dump(mode="json")
    await audit.record(
        session, actor, "round.extension_granted", "round", row.id,
        after={**granted, "created_at": None},
    )  # fmt: skip
    await audit.emit(
        session, "round.extension_granted", "round", row.id,
        {"unit_id": extension.unit_id, "until": extension.until.isoformat()},
        unit_id=extension.unit_id,
    )  # fmt: skip
    return extension


EXTENSION_SORTING = sorting(RoundExtension, "id", ["unit_id", "until"])


async def list_extensions(
    session: AsyncSession,
    principal: Principal,
    round_id: int,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The extensions of a round, as far as the caller may see them."""
    await get_round(session, round_id)
    stmt = select(RoundExtension).where(RoundExtension.round_id == round_id)
    return await paginate(
        session,
        EXTENSION_SORTING.apply(policies.extension_scope(stmt, principal), listing),
        limit,
        offset,
    )
