"""The published lists (danh sách công khai): several nominations put before the public once,
from the day they were published until the comment deadline (hạn nhận ý kiến).

Huân chương and titles of honour go on a meeting's agenda only when published at least their
award type's `disclosure_working_days` working days before it (`meetings.agenda`)."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, paginate
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import nfc
from app.core.working_days import today_in_vietnam
from app.models import Disclosure, DisclosureItem, Dossier, Nomination, Round
from app.models.disclosures import NOT_STANDING
from app.schemas.disclosures import (
    DisclosureCreate,
    DisclosureFilter,
    DisclosureUpdate,
    NominationDisclosureCreate,
)
from app.services import audit, permissions
from app.services.decisions import guards

ONE_NOMINATION_TITLE = "Danh sách công khai đề nghị khen thưởng"
NOT_DISCLOSABLE = (NominationStatus.DRAFT, NominationStatus.WITHDRAWN)
AUDITED = ("title", "round_id", "published_on", "ends_on", "channel", "url", "feedback_to")

DISCLOSURE_SORTING = sorting(Disclosure, "-published_on,-id", ["published_on", "ends_on"])


def _audited(row: Disclosure) -> dict[str, Any]:
    return {**audit.snapshot(row, AUDITED), "nomination_ids": row.nomination_ids}


def with_items(stmt: Select) -> Select:
    return stmt.options(selectinload(Disclosure.items).selectinload(DisclosureItem.nomination))


def standing(nomination: type[Nomination] = Nomination) -> Any:
    """The SQL condition of a nomination still proposed: only those are shown publicly and
    printed on the danh sách công khai (`DisclosureItem.withdrawn` marks the others)."""
    return nomination.status.not_in(NOT_STANDING)


async def get(session: AsyncSession, disclosure_id: int) -> Disclosure:
    row = await session.scalar(with_items(select(Disclosure).where(Disclosure.id == disclosure_id)))
    if row is None:
        raise NotFound(f"Không tìm thấy danh sách công khai có mã số {disclosure_id}.")
    return row


def _refuse_future(published_on: date) -> None:
    if published_on > today_in_vietnam():
        raise Unprocessable(
            f"Ngày công khai {published_on:%d/%m/%Y} chưa tới; chỉ ghi nhận việc công khai đã "
            "diễn ra.",
            code="published_in_future",
        )


def _refuse_undisclosable(nominations: Iterable[Nomination]) -> None:
    refused = [
        {"nomination_id": n.id, "nominee_name": n.nominee_name, "status": n.status}
        for n in nominations
        if n.status in NOT_DISCLOSABLE
    ]
    if refused:
        names = ", ".join(r["nominee_name"] for r in refused)
        raise Unprocessable(
            f"Đề nghị chưa nộp hoặc đã rút, không công khai được: {names}.",
            code="nominations_not_disclosable",
            refused=refused,
        )


def _units(dossiers: Iterable[Dossier]) -> set[int]:
    """The units that follow the list's events: those whose own dossiers carry its nominations
    (a cluster's dossier is its cluster's, as for the dossier's own events)."""
    return {
        d.submitting_unit_id for d in dossiers if d.owner_kind == "unit" and d.submitting_unit_id
    }


async def units_of(session: AsyncSession, disclosure_id: int) -> set[int]:
    """`_units` of a list already recorded."""
    dossiers = await session.scalars(
        select(Dossier)
        .join(Nomination, Nomination.dossier_id == Dossier.id)
        .join(DisclosureItem, DisclosureItem.nomination_id == Nomination.id)
        .where(DisclosureItem.disclosure_id == disclosure_id)
        .distinct()
    )
    return _units(dossiers)


async def _create(
    session: AsyncSession,
    actor: Principal,
    loaded: Iterable[tuple[Nomination, Dossier]],
    fields: dict[str, Any],
) -> Disclosure:
    by_id = {n.id: (n, d) for n, d in loaded}
    row = Disclosure(
        **fields,
        created_by_id=actor.user_id,
        items=[DisclosureItem(nomination_id=i, nomination=by_id[i][0]) for i in sorted(by_id)],
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor, "disclosure.recorded", "disclosure", row.id, after=_audited(row)
    )
    data = {
        "round_id": row.round_id, "published_on": row.published_on.isoformat(),
        "ends_on": _iso(row.ends_on),
        "nomination_ids": row.nomination_ids,
    }  # fmt: skip
    await audit.emit(
        session, "disclosure.published", "disclosure", row.id, data,
        unit_ids=_units(d for _, d in by_id.values()),
    )  # fmt: skip
    return row


def _text(value: str | None) -> str | None:
    return nfc(value) if value else None


async def record(session: AsyncSession, actor: Principal, body: DisclosureCreate) -> Disclosure:
    """A list published once for several nominations (Sở Nội vụ, after publishing it): 422
    `nominations_not_disclosable` for a draft or withdrawn one, `unknown_nomination` for an id
    that does not exist, `published_in_future` for a date still to come."""
    permissions.require(actor, "disclosure.record_list")
    _refuse_future(body.published_on)
    loaded = await guards.load_many(session, body.nomination_ids)
    missing = sorted(set(body.nomination_ids) - set(loaded))
    if missing:
        raise Unprocessable(
            f"Không có đề nghị mang mã số {', '.join(map(str, missing))}.",
            code="unknown_nomination",
            nomination_ids=missing,
        )
    _refuse_undisclosable(n for n, _, _ in loaded.values())
    if body.round_id is not None and await session.get(Round, body.round_id) is None:
        raise Unprocessable(
            f"Không có đợt xét khen thưởng mã số {body.round_id}.", code="unknown_reference"
        )
    fields = {
        "title": nfc(body.title),
        "round_id": body.round_id,
        "published_on": body.published_on,
        "ends_on": body.ends_on,
        "channel": nfc(body.channel),
        "url": str(body.url) if body.url else None,
        "feedback_to": nfc(body.feedback_to),
    }
    return await _create(session, actor, ((n, d) for n, d, _ in loaded.values()), fields)


async def record_for_nomination(
    session: AsyncSession, actor: Principal, nomination_id: int, body: NominationDisclosureCreate
) -> Disclosure:
    """The disclosure of one nomination alone: a list of that one nomination."""
    permissions.require(actor, "disclosure.record")
    nomination, dossier, _ = await guards.load_one(session, actor, nomination_id)
    _refuse_undisclosable([nomination])
    _refuse_future(body.published_on)
    fields = {
        "title": nfc(body.title) if body.title else ONE_NOMINATION_TITLE,
        "round_id": dossier.round_id,
        "published_on": body.published_on,
        "ends_on": body.ends_on,
        "channel": nfc(body.channel),
        "url": str(body.url) if body.url else None,
        "feedback_to": _text(body.feedback_to),
    }
    return await _create(session, actor, [(nomination, dossier)], fields)


async def update(
    session: AsyncSession,
    actor: Principal,
    disclosure_id: int,
    body: DisclosureUpdate,
    expected: int | None,
) -> Disclosure:
    """Correct what was published or extend the comment period (If-Match); audited."""
    permissions.require(actor, "disclosure.update")
    row = await get(session, disclosure_id)
    previous_ends_on = row.ends_on

    def apply() -> None:
        for name in body.model_fields_set:
            value = getattr(body, name)
            if value is None and name in ("title", "channel"):
                continue
            if name == "url":
                value = str(value) if value else None
            setattr(row, name, nfc(value) if isinstance(value, str) else value)
        if row.ends_on is not None and row.ends_on < row.published_on:
            raise Unprocessable(
                f"Hạn nhận ý kiến {row.ends_on:%d/%m/%Y} trước ngày công khai "
                f"{row.published_on:%d/%m/%Y}.",
                code="validation_error",
            )

    await audit.audited_update(
        session, actor, row, apply, expected, action="disclosure.updated", entity="disclosure",
        audited=_audited,
    )  # fmt: skip
    data = {
        "round_id": row.round_id, "changed": sorted(body.model_fields_set),
        "ends_on": _iso(row.ends_on), "previous_ends_on": _iso(previous_ends_on),
    }  # fmt: skip
    await audit.emit(
        session, "disclosure.updated", "disclosure", row.id, data,
        unit_ids=await units_of(session, row.id),
    )  # fmt: skip
    return row


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


async def list_disclosures(
    session: AsyncSession,
    filters: DisclosureFilter,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The published lists, newest first."""
    stmt = with_items(select(Disclosure))
    if filters.round_id is not None:
        stmt = stmt.where(Disclosure.round_id == filters.round_id)
    if filters.nomination_id is not None:
        having = select(DisclosureItem.disclosure_id).where(
            DisclosureItem.nomination_id == filters.nomination_id
        )
        stmt = stmt.where(Disclosure.id.in_(having))
    if filters.ends_on_missing is not None:
        missing = Disclosure.ends_on.is_(None)
        stmt = stmt.where(missing if filters.ends_on_missing else ~missing)
    if filters.open_on is not None:
        stmt = stmt.where(
            Disclosure.published_on <= filters.open_on, Disclosure.ends_on >= filters.open_on
        )
    stmt = stmt.order_by(Disclosure.published_on.desc(), Disclosure.id.desc())
    return await paginate(session, DISCLOSURE_SORTING.apply(stmt, listing), limit, offset)


async def for_nomination(
    session: AsyncSession, actor: Principal, nomination_id: int
) -> list[Disclosure]:
    """The lists a nomination the caller may see was published on, oldest first."""
    await guards.load_one(session, actor, nomination_id)
    having = select(DisclosureItem.disclosure_id).where(
        DisclosureItem.nomination_id == nomination_id
    )
    rows = await session.scalars(
        with_items(select(Disclosure))
        .where(Disclosure.id.in_(having))
        .order_by(Disclosure.published_on, Disclosure.id)
    )
    return list(rows)


async def first_published(session: AsyncSession, nomination_ids: Iterable[int]) -> dict[int, date]:
    """Nomination id → the first day it was published on any list."""
    rows = await session.execute(
        select(DisclosureItem.nomination_id, func.min(Disclosure.published_on))
        .join(Disclosure, Disclosure.id == DisclosureItem.disclosure_id)
        .where(DisclosureItem.nomination_id.in_(set(nomination_ids)))
        .group_by(DisclosureItem.nomination_id)
    )
    return dict(rows.all())
