"""User accounts (noi_vu)."""

from typing import Annotated

from fastapi import Query, Response, status

from app.api.action_routes import ActionCall, add_action_route
from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.accounts import (
    Role,
    RoleGrantCreate,
    RoleGrantRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from app.schemas.common import Id, ListEnvelope
from app.services import accounts
from app.services.accounts import USER_SORTING, grants

router = feature_router(tags=["users"])


@router.get("/users", summary="List user accounts", response_model=ListEnvelope[UserRead])
async def list_users(
    session: SessionDep,
    principal: Allowed("user.list"),
    fields: Fields(UserRead),
    page: PageDep,
    listing: Listed(USER_SORTING),
    role: Role | None = None,
    unit_id: Annotated[Id | None, Query(description="Tài khoản của một đơn vị")] = None,
    active: Annotated[
        bool | None, Query(description="true: đang hoạt động; false: đã khóa")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="Một phần tên đăng nhập")] = None,
):
    """Accounts (tài khoản người dùng), filtered by `unit_id`, `role` and `active`."""
    filters = accounts.UserFilters(role=role, unit_id=unit_id, active=active, q=q)
    return fields.apply(
        envelope(
            await accounts.list_users(session, filters, page.limit, page.offset, listing=listing)
        )
    )


@router.post(
    "/users",
    summary="Create a user account",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **CREATED},
)
async def create_user(
    session: SessionDep, principal: Allowed("user.create"), body: UserCreate, response: Response
):
    """Create an account of any role; unit, cluster_head and council_member need their link."""
    user = await accounts.create_user(session, principal, body)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    set_etag(response, user.version)
    return user


@router.get(
    "/users/{user_id}", summary="Read a user account", response_model=UserRead, responses=NOT_FOUND
)
async def get_user(
    session: SessionDep, principal: Allowed("user.read"), user_id: Id, response: Response
):
    """One account (tài khoản) with its role and link."""
    user = await accounts.get_user(session, user_id)
    set_etag(response, user.version)
    return user


@router.patch(
    "/users/{user_id}",
    summary="Change or deactivate a user account",
    response_model=UserRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_user(
    session: SessionDep,
    principal: Allowed("user.update"),
    user_id: Id,
    body: UserUpdate,
    expected: IfMatch,
    response: Response,
):
    """`{"active": false}` deactivates the account; its tokens stop working at once."""
    user = await accounts.update_user(session, principal, user_id, body, expected)
    set_etag(response, user.version)
    return user


@router.post(
    "/users/{user_id}/grants",
    summary="Give an account one more role",
    response_model=RoleGrantRead,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT, **CREATED},
)
async def grant_role(
    session: SessionDep,
    principal: Allowed("user.grant_role"),
    user_id: Id,
    body: RoleGrantCreate,
    response: Response,
):
    """Give the account one more role with its scope (vai trò được giao), e.g. the unit
    officer of a khối's head unit as its Trưởng khối. Every token of the account stops
    working; it signs in again and picks the role with `grant` (or `POST /auth/switch`).
    409 `grant_already_held` when it holds that role and scope already."""
    grant = await grants.grant_role(session, principal, user_id, body)
    response.headers["Location"] = f"/api/v1/users/{user_id}/grants"
    set_etag(response, grant.version)
    return grant


@router.get(
    "/users/{user_id}/grants",
    summary="List an account's role grants",
    response_model=ListEnvelope[RoleGrantRead],
    responses=NOT_FOUND,
)
async def list_role_grants(
    session: SessionDep,
    principal: Allowed("user.list_grants"),
    user_id: Id,
    page: PageDep,
    listing: Listed(grants.GRANT_SORTING),
    fields: Fields(RoleGrantRead),
):
    """The account's role grants (vai trò được giao), revoked ones included (`active: false`)."""
    return fields.apply(
        envelope(await grants.list_grants(session, user_id, page.limit, page.offset, listing))
    )


async def _revoke(call: ActionCall) -> RoleGrantRead:
    grant = await grants.revoke_grant(call.session, call.principal, call.id, call.expected)
    set_etag(call.response, grant.version)
    return grant


add_action_route(
    router, "/role-grants/{grant_id}/revoke", _revoke, name="revoke_role_grant",
    summary="Take a role grant back", action="user.revoke_grant", response_model=RoleGrantRead,
    responses={**NOT_FOUND, **CONFLICT, 412: VERSIONED[412]},
    doc="Take a role grant back: every token of the account stops working at once, those "
    "acting under its other roles too (they sign in again). 409 `grant_already_revoked`.",
)  # fmt: skip
