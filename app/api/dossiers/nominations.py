"""Nominations (đề nghị) inside a dossier, and Sở Nội vụ's appraisal of each."""

from typing import Annotated

from fastapi import Path, Response, status

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, IfMatch, SessionDep
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id
from app.schemas.dossiers import (
    AppraisalBody,
    CheckReviewBody,
    NominationCreate,
    NominationRead,
    NominationUpdate,
)
from app.services.dossiers import actions, nominations, reads, reviews

router = feature_router(tags=["dossiers"])


@router.post(
    "/dossiers/{dossier_id}/nominations",
    summary="Add a nomination to a dossier",
    response_model=NominationRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT, **CREATED},
)
async def add_nomination(
    session: SessionDep,
    principal: Allowed("nomination.add"),
    dossier_id: Id,
    body: NominationCreate,
    response: Response,
):
    """Add a nominee × award type while the dossier is a draft or returned."""
    nomination, dossier = await nominations.add_nomination(session, principal, dossier_id, body)
    response.headers["Location"] = f"/api/v1/dossiers/{dossier_id}/nominations/{nomination.id}"
    set_etag(response, nomination.version)
    return await reads.nomination_read(session, principal, nomination, dossier.year)


@router.patch(
    "/dossiers/{dossier_id}/nominations/{nomination_id}",
    summary="Change a nomination",
    response_model=NominationRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
)
async def update_nomination(
    session: SessionDep,
    principal: Allowed("nomination.update"),
    dossier_id: Id,
    nomination_id: Id,
    body: NominationUpdate,
    expected: IfMatch,
    response: Response,
):
    """If-Match carries the nomination's `version`."""
    nomination, dossier = await nominations.update_nomination(
        session, principal, dossier_id, nomination_id, body, expected
    )
    set_etag(response, nomination.version)
    return await reads.nomination_read(session, principal, nomination, dossier.year)


@router.delete(
    "/dossiers/{dossier_id}/nominations/{nomination_id}",
    summary="Remove a nomination from a dossier",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, **CONFLICT},
)
async def delete_nomination(
    session: SessionDep, principal: Allowed("nomination.delete"), dossier_id: Id, nomination_id: Id
) -> Response:
    """The nominee's papers stay with the dossier."""
    await nominations.delete_nomination(session, principal, dossier_id, nomination_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _appraised(call: ActionCall) -> NominationRead:
    nomination, dossier = await actions.appraise_nomination(
        call.session, call.principal, call.id, call.body, call.expected
    )
    set_etag(call.response, nomination.version)
    return await reads.nomination_read(call.session, call.principal, nomination, dossier.year)


add_action_route(
    router,
    "/nominations/{nomination_id}/appraisal",
    _appraised,
    name="appraise_nomination",
    summary="Record the appraisal of a nomination",
    action="nomination.appraise",
    body=AppraisalBody,
    body_required=True,
    doc="""Kết luận thẩm định: eligible or ineligible with a note, while the dossier is under
    appraisal; the criteria checks are shown beside it.""",
    response_model=NominationRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
)


@router.put(
    "/nominations/{nomination_id}/checks/{rule}/review",
    summary="Verify or override a criteria check",
    response_model=NominationRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
)
async def review_check(
    session: SessionDep,
    principal: Allowed("nomination.review_check"),
    nomination_id: Id,
    rule: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,80}$", description="The check's `rule`")],
    body: CheckReviewBody,
    expected: IfMatch,
    response: Response,
):
    """Sở Nội vụ, while the dossier is under appraisal, marks one check `verified` (đã đối
    chiếu với quyết định gốc) or `overridden` to pass/fail with a `reason` (422
    `override_reason_required` without one). The review replaces an earlier one of the check,
    is audited on the dossier and shown on the check; it counts while the check stays as it was
    reviewed, and is shown `stale` (no longer counting) once the facts the check used change.
    A current override drives the nomination's `eligibility`. If-Match: the nomination's
    `version`."""
    nomination, dossier = await reviews.review_check(
        session, principal, nomination_id, rule, body, expected
    )
    set_etag(response, nomination.version)
    return await reads.nomination_read(session, principal, nomination, dossier.year)


@router.delete(
    "/nominations/{nomination_id}/checks/{rule}/review",
    summary="Withdraw a check's review",
    response_model=NominationRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
)
async def withdraw_check_review(
    session: SessionDep,
    principal: Allowed("nomination.withdraw_check_review"),
    nomination_id: Id,
    rule: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,80}$", description="The check's `rule`")],
    expected: IfMatch,
    response: Response,
):
    """Take back a check's review (audited); the computed result counts again."""
    nomination, dossier = await reviews.withdraw_review(
        session, principal, nomination_id, rule, expected
    )
    set_etag(response, nomination.version)
    return await reads.nomination_read(session, principal, nomination, dossier.year)
