"""Scoped reads of dossiers, nominations and their history: hidden rows are never counted."""

from collections import namedtuple
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Row,
    Select,
    Text,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.core.errors import Conflict, NotFound
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, json_rows, like_folded_words, paginate
from app.core.principal import Principal
from app.core.statuses import DossierStatus
from app.models import Attachment, AuditEntry, Dossier, DossierTotal, Nomination
from app.schemas.dossiers import DossierFilter, DossierSummary, NominationSummary
from app.services import permissions, policies
from app.services.dossiers import rules


def with_children(stmt: Select) -> Select:
    """The nominations joined to their dossiers, and the attachments in a second statement,
    whatever the number of dossiers (results need `.unique()`)."""
    return stmt.options(joinedload(Dossier.nominations), selectinload(Dossier.attachments))


async def get_dossier(
    session: AsyncSession, principal: Principal, dossier_id: int, *, children: bool = True
) -> Dossier:
    """A dossier the caller may see (with its children by default), or 404."""
    stmt = policies.dossier_scope(select(Dossier).where(Dossier.id == dossier_id), principal)
    dossier = (await session.scalars(with_children(stmt) if children else stmt)).unique().first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ có mã số {dossier_id}.")
    return dossier


# A dossier as `GET /dossiers/{id}` answers it, read as plain columns (no ORM entity), in one
# statement: the dossier joined with its nominations (`n_`-prefixed, one row each, or one row of
# NULLs without any), and its papers as one JSON array (`papers`, in no order) on the first row
# only, so that a dossier of many nominations does not aggregate them once per row. Built once;
# a caller whose scope adds nothing (Sở Nội vụ, readers) runs it as it is.
_dossiers = Dossier.__table__
_nominations = Nomination.__table__
_attachments = Attachment.__table__
NOMINATION_READ_COLUMNS = (
    "id", "dossier_id", "nominee_kind", "nominee_name", "nominee_unit_id", "nominee_address",
    "collective_id", "position", "birth_year", "award_type_code", "achievement_summary",
    "prior_awards", "status", "criteria_checks", "checks_stamp", "check_reviews",
    "appraisal_conclusion", "appraisal_note", "appraised_at", "appraised_by_name", "version",
)  # fmt: skip
# Its leading columns, the dossier's own, by name: a row reads them, then the nominations'
# `NOMINATION_READ_COLUMNS`, then `papers`.
DOSSIER_READ_COLUMNS = tuple(
    c.name for c in _dossiers.c if c.name not in ("search_text", "created_by_id")
)
ATTACHMENT_READ_COLUMNS = (
    "id", "dossier_id", "nomination_id", "filename", "content_type", "size", "sha256",
    "document_type", "created_at",
)  # fmt: skip


_PAPERS_OF_DOSSIER = (
    select(json_rows(*(_attachments.c[name] for name in ATTACHMENT_READ_COLUMNS)))
    .where(_attachments.c.dossier_id == _dossiers.c.id)
    .correlate(_dossiers)
    .scalar_subquery()
)
_other_nominations = _nominations.alias("other_nominations")
_FIRST_ROW = or_(
    _nominations.c.id.is_(None),
    _nominations.c.id
    == select(func.min(_other_nominations.c.id))
    .where(_other_nominations.c.dossier_id == bindparam("dossier_id"))
    .scalar_subquery(),
)
_DOSSIER_READ = (
    select(
        *(_dossiers.c[name] for name in DOSSIER_READ_COLUMNS),
        *(_nominations.c[name].label(f"n_{name}") for name in NOMINATION_READ_COLUMNS),
        type_coerce(case((_FIRST_ROW, _PAPERS_OF_DOSSIER)), JSON).label("papers"),
    )
    .select_from(_dossiers.outerjoin(_nominations, _nominations.c.dossier_id == _dossiers.c.id))
    .where(_dossiers.c.id == bindparam("dossier_id"))
    .order_by(_nominations.c.id)
)


async def dossier_rows(
    session: AsyncSession, principal: Principal, dossier_id: int
) -> list[Row[Any]]:
    """A dossier the caller may see as rows of plain columns: the dossier with each of its
    nominations (one row per nomination, `n_` columns; one row of NULLs without any) and, on
    the first row, its papers as a JSON list (`papers`: their `ATTACHMENT_READ_COLUMNS`, in no
    order, their times as text; None or empty without any), in one statement; 404 outside the
    caller's scope."""
    stmt = policies.dossier_scope(_DOSSIER_READ, principal)
    rows = list(await session.execute(stmt, {"dossier_id": dossier_id}))
    if not rows:
        raise NotFound(f"Không tìm thấy hồ sơ có mã số {dossier_id}.")
    return rows


async def get_nomination(
    session: AsyncSession, principal: Principal, nomination_id: int, dossier_id: int | None = None
) -> Nomination:
    """A nomination whose dossier the caller may see (and, if given, inside `dossier_id`)."""
    stmt = policies.dossier_scope(
        select(Nomination)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(Nomination.id == nomination_id),
        principal,
    )
    if dossier_id is not None:
        stmt = stmt.where(Nomination.dossier_id == dossier_id)
    nomination = await session.scalar(stmt)
    if nomination is None:
        raise NotFound(f"Không tìm thấy đề nghị có mã số {nomination_id}.")
    return nomination


def _overdue(stmt: Select, which: str, as_of: date) -> Select:
    if which == "appraisal":
        return stmt.where(
            Dossier.status == DossierStatus.UNDER_APPRAISAL, Dossier.appraisal_due_on < as_of
        )
    return stmt.where(Dossier.status == DossierStatus.RETURNED, Dossier.supplement_due_on < as_of)


def filtered_dossiers(principal: Principal, filters: DossierFilter) -> Select:
    """The scoped, filtered `select(Dossier)` behind `GET /dossiers` and its export."""
    stmt = policies.dossier_scope(select(Dossier), principal)
    for column, value in (
        (Dossier.round_id, filters.round_id),
        (Dossier.status, filters.status),
        (Dossier.submitting_unit_id, filters.submitting_unit_id),
        (Dossier.cluster_id, filters.cluster_id),
        (Dossier.kind, filters.kind),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.award_type_code:
        having = select(Nomination.dossier_id).where(
            Nomination.award_type_code == filters.award_type_code
        )
        stmt = stmt.where(Dossier.id.in_(having))
    if filters.q:
        stmt = stmt.where(like_folded_words(Dossier.search_text, filters.q))
    if filters.overdue:
        stmt = _overdue(stmt, filters.overdue, filters.as_of or rules.today())
    return stmt


# What a list shows of a dossier and of its nominations (`DossierSummary`), read as plain
# columns named after the schema's fields: a page of 50 dossiers with their nominations builds
# no ORM entity. The nominations' checks are read as their tally and reviews (reads.py): their
# shown columns come first, in the schema's order, then `dossier_id`, `checks_tally` and
# `check_reviews`.
SUMMARY_COLUMNS = tuple(
    getattr(Dossier, name)
    for name in DossierSummary.model_fields
    if name not in ("nominations", "attachment_count")
)
NOMINATION_SUMMARY_SHOWN = tuple(
    name for name in NominationSummary.model_fields if name not in ("checks", "eligibility")
)
# A nomination without reviews by hand stores `{}`: a list only needs to know whether there
# are any, so it reads the column's text and never parses it.
NO_REVIEWS = frozenset(("{}", "null"))
DOSSIER_SORTING = sorting(
    Dossier,
    "id",
    [
        "code",
        "year",
        "status",
        "round_id",
        "submitting_unit_id",
        "submitted_at",
        "return_due_on",
        "appraisal_due_on",
    ],
)


# The number of a dossier's papers, beside its summary columns (a list shows the number only).
ATTACHMENT_COUNT = (
    select(func.count())
    .where(_attachments.c.dossier_id == _dossiers.c.id)
    .correlate(_dossiers)
    .scalar_subquery()
    .label("attachment_count")
)


# The whole list in its default order, built once for the callers whose scope adds nothing
# and who ask for no filter: their page needs no statement built per request, and its rows
# carry the total (read once, not per row), so that a page is one statement; only a page
# past the end counts on its own. Its exact total from the per-year counts the database keeps
# with every dossier (`DossierTotal`), not a count of every dossier.
_COUNT_OF_ALL = select(func.coalesce(func.sum(DossierTotal.n), 0))
_PAGE_OF_ALL = (
    DOSSIER_SORTING.apply(
        select(*SUMMARY_COLUMNS, ATTACHMENT_COUNT, _COUNT_OF_ALL.scalar_subquery().label("total"))
    )
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_NO_FILTER = DossierFilter()
# A row of that page without its `total`, by the same names.
_SummaryRow = namedtuple("SummaryRow", [c.key for c in _PAGE_OF_ALL.selected_columns][:-1])


async def list_dossiers(
    session: AsyncSession,
    principal: Principal,
    filters: DossierFilter,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """A page of `filtered_dossiers` as rows of `SUMMARY_COLUMNS` and `attachment_count` (their
    nominations: see `nomination_summaries`)."""
    if (
        filters == _NO_FILTER
        and listing == NO_LISTING
        and policies.dossier_scope(_PAGE_OF_ALL, principal) is _PAGE_OF_ALL
    ):
        found = list(await session.execute(_PAGE_OF_ALL, {"limit": limit, "offset": offset}))
        total = found[0][-1] if found else await session.scalar(_COUNT_OF_ALL)
        items = [_SummaryRow._make(row[:-1]) for row in found]
        return PageResult(items, int(total or 0), limit, offset)
    stmt = filtered_dossiers(principal, filters).with_only_columns(
        *SUMMARY_COLUMNS, ATTACHMENT_COUNT
    )
    return await paginate(
        session,
        DOSSIER_SORTING.apply(stmt, listing),
        limit,
        offset,
        scalars=False,
        searched=bool(filters.q),
    )


# Built once, with the page's dossiers as one expanding parameter.
_NOMINATION_SUMMARIES = (
    select(
        *(_nominations.c[name] for name in NOMINATION_SUMMARY_SHOWN),
        _nominations.c.dossier_id,
        _nominations.c.checks_tally,
        cast(_nominations.c.check_reviews, Text).label("check_reviews"),
    )
    .where(_nominations.c.dossier_id.in_(bindparam("dossier_ids", expanding=True)))
    .order_by(_nominations.c.id)
)


async def nomination_summaries(session: AsyncSession, dossier_ids: list[int]) -> list[Any]:
    """The nominations of these dossiers, in order, as rows of their `NOMINATION_SUMMARY_SHOWN`
    columns, then `dossier_id`, `checks_tally` and `check_reviews` (as its JSON text: compare
    with `NO_REVIEWS`)."""
    if not dossier_ids:
        return []
    return list(await session.execute(_NOMINATION_SUMMARIES, {"dossier_ids": dossier_ids}))


HISTORY_SORTING = sorting(
    AuditEntry, "id", ["occurred_at", "action"], updated_at=AuditEntry.occurred_at
)


async def history(
    session: AsyncSession,
    principal: Principal,
    dossier_id: int,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The dossier's audit entries, oldest first, for whoever may see the dossier."""
    await get_dossier(session, principal, dossier_id, children=False)
    stmt = select(AuditEntry).where(
        AuditEntry.entity_type == "dossier", AuditEntry.entity_id == dossier_id
    )
    return await paginate(session, HISTORY_SORTING.apply(stmt, listing), limit, offset)


async def get_editable_dossier(
    session: AsyncSession, principal: Principal, dossier_id: int, action: str
) -> Dossier:
    """The caller's own dossier, still a draft or returned for supplementation, for `action`
    (a row of the permissions table whose object rule is the dossier's owner)."""
    permissions.require(principal, action)
    dossier = await get_dossier(session, principal, dossier_id)
    permissions.require(principal, action, dossier)
    if dossier.status not in rules.EDITABLE_STATUSES:
        raise Conflict(
            f"Hồ sơ {dossier.code} đã nộp hoặc đã kết thúc; chỉ sửa được hồ sơ dự thảo hoặc "
            "hồ sơ bị trả lại để bổ sung.",
            code="dossier_not_editable",
            current_status=dossier.status,
        )
    return dossier
