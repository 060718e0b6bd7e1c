"""The award-type catalogue: danh hiệu thi đua and hình thức khen thưởng, editable by Sở Nội vụ."""

from typing import Annotated

from fastapi import Path, Response

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.award_types import AwardRecipientFilter, AwardTypeRead, AwardTypeUpdate, Level
from app.schemas.common import ListEnvelope
from app.services import award_types
from app.services.award_types import AWARD_TYPE_SORTING

# An award type's code in the path: the catalogue's codes are short snake_case words.
AwardCode = Annotated[str, Path(max_length=80)]

router = feature_router(tags=["award types"])


@router.get(
    "/award-types", summary="List the award types", response_model=ListEnvelope[AwardTypeRead]
)
async def list_award_types(
    session: SessionDep,
    principal: Allowed("award_type.list"),
    page: PageDep,
    listing: Listed(AWARD_TYPE_SORTING),
    fields: Fields(AwardTypeRead, key="code"),
    level: Level | None = None,
    recipient: AwardRecipientFilter | None = None,
    active: bool | None = None,
):
    """`recipient=individual` also lists the types given to both individuals and collectives;
    `recipient=household` the types given to households (hộ gia đình)."""
    result = await award_types.list_award_types(
        session, level=level, recipient=recipient, active=active,
        limit=page.limit, offset=page.offset, listing=listing,
    )  # fmt: skip
    return fields.apply(envelope(result))


@router.get(
    "/award-types/{code}",
    summary="Read an award type with its criteria",
    response_model=AwardTypeRead,
    responses=NOT_FOUND,
)
async def get_award_type(
    session: SessionDep, principal: Allowed("award_type.read"), code: AwardCode, response: Response
):
    """One award type (hình thức khen thưởng): its recipients, vote threshold, required papers and
    criteria."""
    row = await award_types.get_award_type(session, code)
    set_etag(response, row.version)
    return row


@router.patch(
    "/award-types/{code}",
    summary="Amend an award type",
    response_model=AwardTypeRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_award_type(
    session: SessionDep,
    principal: Allowed("award_type.update"),
    code: AwardCode,
    body: AwardTypeUpdate,
    expected: IfMatch,
    response: Response,
):
    """Amend the vote threshold, required papers (codes of the document list), criteria, name
    or whether the type is in use. Criteria name known rules only (422 otherwise)."""
    row = await award_types.update_award_type(session, principal, code, body, expected)
    set_etag(response, row.version)
    return row
