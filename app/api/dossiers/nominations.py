"""Nominations (đề nghị) inside a dossier, and Sở Nội vụ's appraisal of each."""

from fastapi import Response, status

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, IfMatch, SessionDep
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, set_etag
from app.api.routing import feature_router
from app.schemas.common import Id
from app.schemas.dossiers import AppraisalBody, NominationCreate, NominationRead, NominationUpdate
from app.services.dossiers import actions, nominations, reads

router = feature_router(tags=["dossiers"])


@router.post(
    "/dossiers/{dossier_id}/nominations",
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
    action="nomination.appraise",
    body=AppraisalBody,
    body_required=True,
    doc="""Kết luận thẩm định: eligible or ineligible with a note, while the dossier is under
    appraisal; the criteria checks are shown beside it.""",
    response_model=NominationRead,
    responses={**NOT_FOUND, **CONFLICT, **VERSIONED},
)
