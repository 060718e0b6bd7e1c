"""Log in, refresh, log out, who am I; service tokens for scripts."""

from typing import Annotated

from fastapi import Form, Request, Response, status

from app.api import idempotency
from app.api.client_address import client_address
from app.api.deps import Allowed, Listed, PageDep, Public, SessionDep
from app.api.fields import Fields
from app.api.responses import NO_SECURITY, NOT_FOUND, THROTTLED, envelope
from app.api.routing import feature_router
from app.schemas.auth import (
    GrantOption,
    Me,
    RefreshRequest,
    ServiceTokenCreate,
    ServiceTokenCreated,
    ServiceTokenRead,
    SwitchRequest,
    TokenResponse,
)
from app.schemas.common import Id, ListEnvelope
from app.services import accounts
from app.services import auth as auth_service
from app.services.accounts import SERVICE_TOKEN_SORTING

router = feature_router()


@router.post(
    "/auth/token",
    summary="Sign in with a username and password",
    response_model=TokenResponse,
    tags=["auth"],
    dependencies=[Public("auth.login")],
    openapi_extra=NO_SECURITY,
    responses=THROTTLED,
)
async def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    grant: Annotated[
        Id | None,
        Form(
            description="The role grant to act under (see `GET /auth/me`); absent: the "
            "account's own role."
        ),
    ] = None,
) -> TokenResponse:
    """OAuth2 password flow. Repeated failures for one username, or from one client address,
    are refused with 429. An account holding several roles picks one with `grant`
    (422 `unknown_grant` when the account does not hold it)."""
    pair = await auth_service.login(
        session, request.app.state.tokens, request.app.state.settings, username, password,
        address=client_address(request), grant_id=grant,
    )  # fmt: skip
    return TokenResponse(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post(
    "/auth/refresh",
    summary="Exchange a refresh token for a new token pair",
    response_model=TokenResponse,
    tags=["auth"],
    dependencies=[Public("auth.refresh")],
    openapi_extra=NO_SECURITY,
)
async def refresh_token(request: Request, session: SessionDep, body: RefreshRequest):
    """A new token pair; the refresh token sent is spent and will not work again."""
    pair = await auth_service.refresh(session, request.app.state.tokens, body.refresh_token)
    return TokenResponse(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post(
    "/auth/logout",
    summary="Sign out everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["auth"],
)
async def logout(session: SessionDep, principal: Allowed("auth.logout")) -> Response:
    """Every token of the caller stops working at once."""
    await auth_service.logout(session, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/auth/me", summary="Read the signed-in account", response_model=Me, tags=["auth"])
async def read_me(session: SessionDep, principal: Allowed("auth.me")) -> Me:
    """Who the token acts as (`role` and its scope, `grant_id`), and every role the account
    may act under (`grants`, vai trò)."""
    options = await auth_service.role_options(session, principal)
    return Me(
        id=principal.user_id,
        username=principal.username,
        full_name=principal.full_name,
        role=principal.role,
        unit_id=principal.unit_id,
        cluster_id=principal.cluster_id,
        council_member_id=principal.council_member_id,
        grant_id=principal.grant_id,
        grants=[GrantOption.model_validate(o) for o in options],
    )


@router.post(
    "/auth/switch",
    summary="Act under another of one's roles",
    response_model=TokenResponse,
    tags=["auth"],
)
async def switch_role(
    request: Request, session: SessionDep, principal: Allowed("auth.switch"), body: SwitchRequest
) -> TokenResponse:
    """A new token pair for the same account acting under another of its roles (`grant_id`
    from `GET /auth/me`; null: the account's own role). 422 `unknown_grant` for a grant the
    account does not hold or that was revoked."""
    pair = await auth_service.switch(session, request.app.state.tokens, principal, body.grant_id)
    return TokenResponse(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post(
    "/service-tokens",
    summary="Create a read-only token for a reporting script",
    response_model=ServiceTokenCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["auth"],
)
async def create_service_token(
    request: Request,
    session: SessionDep,
    principal: Allowed("service_token.create"),
    body: ServiceTokenCreate,
):
    """A read-only token for a reporting script; the token is shown in this answer only. A
    retry with the same Idempotency-Key replays this answer with `token: null`: the secret is
    never kept, so revoke that token and create another if it was lost."""
    row, token = await accounts.create_service_token(
        session, principal, request.app.state.tokens, body.name, body.expires_on
    )
    read = ServiceTokenRead.model_validate(row).model_dump()
    idempotency.replay_instead(request, ServiceTokenCreated(**read, token=None))
    return ServiceTokenCreated(**read, token=token)


@router.get(
    "/service-tokens",
    summary="List the service tokens",
    response_model=ListEnvelope[ServiceTokenRead],
    tags=["auth"],
)
async def list_service_tokens(
    session: SessionDep,
    principal: Allowed("service_token.list"),
    page: PageDep,
    listing: Listed(SERVICE_TOKEN_SORTING),
    fields: Fields(ServiceTokenRead),
):
    """The reporting scripts' read-only tokens (token dịch vụ); the token strings themselves are
    never shown again."""
    result = await accounts.list_service_tokens(session, page.limit, page.offset, listing=listing)
    return fields.apply(envelope(result))


@router.delete(
    "/service-tokens/{token_id}",
    summary="Revoke a service token",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
    tags=["auth"],
)
async def revoke_service_token(
    session: SessionDep, principal: Allowed("service_token.revoke"), token_id: Id
) -> Response:
    """The service token (token dịch vụ) stops working at once."""
    await accounts.revoke_service_token(session, principal, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
