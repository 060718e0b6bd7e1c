"""Public disclosure (công khai): the lists of nominations Sở Nội vụ publishes for comment before
they are decided, their comment deadline (hạn nhận ý kiến) and where to send opinions, and the
opinions (ý kiến) received about them."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id, ListEnvelope
from app.schemas.disclosures import (
    DisclosureCreate,
    DisclosureFilter,
    DisclosureRead,
    DisclosureUpdate,
    NominationDisclosureCreate,
    OpinionCreate,
    OpinionRead,
    OpinionUpdate,
)
from app.services.disclosures import DISCLOSURE_SORTING, lists, opinions

router = feature_router(tags=["disclosures"])


@router.post(
    "/disclosures",
    summary="Record a published list of nominations",
    response_model=DisclosureRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **NOT_FOUND},
)
async def record_disclosure_list(
    session: SessionDep,
    principal: Allowed("disclosure.record_list"),
    body: DisclosureCreate,
    response: Response,
):
    """A list (danh sách công khai) Sở Nội vụ published once for several nominations — e.g. the
    Huân chương and titles of honour of a round — with the channel, the comment deadline
    (`ends_on`, hạn nhận ý kiến) and where to send opinions (`feedback_to`). While published
    and not past its deadline it is shown at `GET /public/disclosures`. 422
    `nominations_not_disclosable` for a draft or withdrawn nomination, `unknown_nomination` for
    an id that does not exist, `published_in_future` for a date still to come."""
    row = await lists.record(session, principal, body)
    response.headers["Location"] = f"/api/v1/disclosures/{row.id}"
    set_etag(response, row.version)
    return DisclosureRead.model_validate(row)


@router.get(
    "/disclosures",
    summary="List the published lists",
    response_model=ListEnvelope[DisclosureRead],
)
async def list_disclosure_lists(
    session: SessionDep,
    principal: Allowed("disclosure.list_lists"),
    fields: Fields(DisclosureRead),
    page: PageDep,
    listing: Listed(DISCLOSURE_SORTING),
    round_id: Id | None = None,
    nomination_id: Id | None = None,
    open_on: Annotated[
        date | None,
        Query(description="Chỉ các danh sách còn nhận ý kiến vào ngày này"),
    ] = None,
    ends_on_missing: Annotated[
        bool | None,
        Query(description="true: chỉ các danh sách chưa có hạn nhận ý kiến (không công khai)"),
    ] = None,
):
    """The published lists (danh sách công khai), newest first, filtered by `round_id`, by a
    nomination they carry, to those still receiving opinions on `open_on`, or to those without
    a comment deadline (`ends_on_missing=true`: lists recorded before it was asked for, flagged
    `ends_on_missing` and not shown publicly until `ends_on` is set with `PATCH`). Each item
    says whether its nomination still stands (`withdrawn`)."""
    filters = DisclosureFilter(
        round_id=round_id, nomination_id=nomination_id, open_on=open_on,
        ends_on_missing=ends_on_missing,
    )  # fmt: skip
    result = await lists.list_disclosures(
        session, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result, [DisclosureRead.model_validate(d) for d in result.items]))


@router.get(
    "/disclosures/{disclosure_id}",
    summary="Read a published list",
    response_model=DisclosureRead,
    responses=NOT_FOUND,
)
async def get_disclosure_list(
    session: SessionDep,
    principal: Allowed("disclosure.read"),
    disclosure_id: Id,
    response: Response,
):
    """One published list with its nominations, period and where opinions go."""
    row = await lists.get(session, disclosure_id)
    set_etag(response, row.version)
    return DisclosureRead.model_validate(row)


@router.patch(
    "/disclosures/{disclosure_id}",
    summary="Correct a published list or extend its comment period",
    response_model=DisclosureRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_disclosure_list(
    session: SessionDep,
    principal: Allowed("disclosure.update"),
    disclosure_id: Id,
    body: DisclosureUpdate,
    expected: IfMatch,
    response: Response,
):
    """Change the title, channel, address, comment deadline or where opinions go; only the
    fields sent change. Needs If-Match; audited. The nominations on a list and its day of
    publication stay as published: publish a new list instead."""
    row = await lists.update(session, principal, disclosure_id, body, expected)
    set_etag(response, row.version)
    return DisclosureRead.model_validate(row)


@router.post(
    "/disclosures/{disclosure_id}/opinions",
    summary="Record an opinion received about a published list",
    response_model=OpinionRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **NOT_FOUND},
)
async def record_disclosure_opinion(
    session: SessionDep,
    principal: Allowed("disclosure.record_opinion"),
    disclosure_id: Id,
    body: OpinionCreate,
    response: Response,
):
    """Ý kiến received (by post, e-mail, telephone, in person): when, from whom (empty:
    anonymous), about which nomination on the list if it names one (422
    `nomination_not_on_list` otherwise), what it says and, once known, how it was handled.
    An opinion that is a complaint against a nomination is also recorded as a complaint
    (`POST /nominations/{id}/complaints`), which blocks the decision until resolved."""
    row = await opinions.record(session, principal, disclosure_id, body)
    response.headers["Location"] = f"/api/v1/disclosures/{disclosure_id}/opinions/{row.id}"
    set_etag(response, row.version)
    return OpinionRead.model_validate(row)


@router.get(
    "/disclosures/{disclosure_id}/opinions",
    summary="List the opinions received about a published list",
    response_model=list[OpinionRead],
    responses=NOT_FOUND,
)
async def list_disclosure_opinions(
    session: SessionDep, principal: Allowed("disclosure.list_opinions"), disclosure_id: Id
):
    """The opinions received about the list, in the order they arrived."""
    rows = await opinions.list_for(session, principal, disclosure_id)
    return [OpinionRead.model_validate(r) for r in rows]


@router.get(
    "/disclosures/{disclosure_id}/opinions/{opinion_id}",
    summary="Read an opinion received about a published list",
    response_model=OpinionRead,
    responses=NOT_FOUND,
)
async def get_disclosure_opinion(
    session: SessionDep,
    principal: Allowed("disclosure.read_opinion"),
    disclosure_id: Id,
    opinion_id: Id,
    response: Response,
):
    """One opinion with how it was handled."""
    row = await opinions.get(session, principal, disclosure_id, opinion_id)
    set_etag(response, row.version)
    return OpinionRead.model_validate(row)


@router.patch(
    "/disclosures/{disclosure_id}/opinions/{opinion_id}",
    summary="Record how an opinion was handled",
    response_model=OpinionRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_disclosure_opinion(
    session: SessionDep,
    principal: Allowed("disclosure.update_opinion"),
    disclosure_id: Id,
    opinion_id: Id,
    body: OpinionUpdate,
    expected: IfMatch,
    response: Response,
):
    """Record how the opinion was handled (`handling`, `handled_on`) or correct it; only the
    fields sent change. Needs If-Match; audited."""
    row = await opinions.update(session, principal, disclosure_id, opinion_id, body, expected)
    set_etag(response, row.version)
    return OpinionRead.model_validate(row)


@router.post(
    "/nominations/{nomination_id}/disclosure",
    summary="Record the public disclosure of one nomination",
    response_model=DisclosureRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **NOT_FOUND},
)
async def record_disclosure(
    session: SessionDep,
    principal: Allowed("disclosure.record"),
    nomination_id: Id,
    body: NominationDisclosureCreate,
    response: Response,
):
    """Công khai of one nomination alone, recorded as a list of that one nomination (`POST
    /disclosures` records a list of several). Huân chương and titles of honour go on a
    meeting's agenda only when published at least the award type's `disclosure_working_days`
    working days before the meeting."""
    row = await lists.record_for_nomination(session, principal, nomination_id, body)
    response.headers["Location"] = f"/api/v1/disclosures/{row.id}"
    set_etag(response, row.version)
    return DisclosureRead.model_validate(row)


@router.get(
    "/nominations/{nomination_id}/disclosures",
    summary="List a nomination's disclosures",
    response_model=list[DisclosureRead],
    responses=NOT_FOUND,
)
async def list_disclosures(
    session: SessionDep, principal: Allowed("disclosure.list"), nomination_id: Id
):
    """The published lists (công khai) that carried the nomination, oldest first."""
    rows = await lists.for_nomination(session, principal, nomination_id)
    return [DisclosureRead.model_validate(r) for r in rows]
