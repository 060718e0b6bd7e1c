"""The public surface: read without signing in, rate-limited per client address, cacheable.
The lists under public disclosure (công khai) with their comment deadline and where to send
opinions, and a lookup of the awards already decided (tra cứu khen thưởng)."""

from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from app.api.client_address import client_address
from app.api.deps import PageDep, Public, SessionDep
from app.api.responses import NO_SECURITY, PUBLIC_THROTTLED, envelope, set_etag
from app.api.routing import feature_router
from app.core.working_days import today_in_vietnam
from app.schemas.common import ListEnvelope
from app.schemas.public import PublicAward, PublicDisclosure
from app.services.public import awards, disclosures

router = feature_router(tags=["public"])

CACHED: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "ETag": {"$ref": "#/components/headers/ETag"},
            "Cache-Control": {
                "description": "`public, max-age=…`: trình duyệt và bộ đệm dùng chung được giữ "
                "câu trả lời trong số giây này, rồi hỏi lại với `If-None-Match`.",
                "schema": {"type": "string"},
            },
        }
    },
    **PUBLIC_THROTTLED,
}


async def throttled(request: Request) -> None:
    """Count the request against its client address (429 past the limit)."""
    request.app.state.public_throttle.admit(client_address(request))


def _cached(request: Request, response: Response) -> None:
    """Shared caches may keep the answer; its ETag (a digest of the body) answers
    `If-None-Match` with 304."""
    max_age = request.app.state.settings.public_max_age_seconds
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    set_etag(response, 0)


@router.get(
    "/public/disclosures",
    summary="List the nominations under public disclosure",
    response_model=ListEnvelope[PublicDisclosure],
    responses=CACHED,
    dependencies=[Public("public.disclosures"), Depends(throttled)],
    openapi_extra=NO_SECURITY,
)
async def list_public_disclosures(
    request: Request, session: SessionDep, page: PageDep, response: Response
):
    """The lists Sở Nội vụ published for comment (công khai) whose comment deadline
    (`ends_on`, hạn nhận ý kiến) has not passed, with where to send opinions (`feedback_to`)
    and the nominations on each: name, unit and the award proposed — nothing more."""
    result = await disclosures.current(session, today_in_vietnam(), page.limit, page.offset)
    _cached(request, response)
    return envelope(result)


@router.get(
    "/public/awards",
    summary="Look up awards already decided",
    response_model=ListEnvelope[PublicAward],
    responses=CACHED,
    dependencies=[Public("public.awards"), Depends(throttled)],
    openapi_extra=NO_SECURITY,
)
async def lookup_public_awards(
    request: Request,
    session: SessionDep,
    page: PageDep,
    response: Response,
    q: Annotated[
        str | None,
        Query(min_length=2, max_length=100, description="Tên, có hoặc không dấu"),
    ] = None,
    year: Annotated[int | None, Query(ge=1945, le=2100, description="Năm thành tích")] = None,
    award_type_code: Annotated[str | None, Query(max_length=80)] = None,
):
    """Tra cứu khen thưởng: the awards decided (from the decisions recorded here and the
    history imported from earlier years), searched by name without diacritics (`q=nguyen van
    a` finds "Nguyễn Văn A"), newest year first. Each gives the name, unit, award, year and
    decision number — no birth year, no position."""
    filters = awards.AwardLookup(q=q, year=year, award_type_code=award_type_code)
    result = await awards.lookup(session, filters, page.limit, page.offset)
    _cached(request, response)
    return envelope(result)
