"""Role × endpoint matrices generated from the permissions table.

A feature's test module declares rows of `Endpoint(method, path, action, body)`; the roles
allowed come from `app.services.permissions.ACTIONS`, never restated here. `refusal_cases`
gives each role the action does not admit, which must get 403 (the role gate answers before
any object is looked up, so the path's ids need not exist); `assert_admitted` tries each role
it admits, which must get past the gate: with ids that do not exist, a 404, 409, 422 or 200,
never 401 or 403. Each row is first checked to name the action its route is bound to.
"""

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import compile_path

from app.api.deps import ActionGate
from app.core.principal import ALL_ROLES
from app.services import permissions
from tests.factories import auth, make_user


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    action: str
    json: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def allowed(self) -> frozenset[str]:
        return permissions.action(self.action).roles

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def refusal_cases(endpoints: list[Endpoint]) -> list[tuple[Endpoint, str]]:
    """(endpoint, role) pairs that must be refused, for pytest.mark.parametrize."""
    return [(e, role) for e in endpoints for role in ALL_ROLES if role not in e.allowed]


def bound_action(app: FastAPI, method: str, path: str) -> str | None:
    """The action of the route that answers `method path`, matched as the router would."""
    path = path.split("?", 1)[0]
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or method not in route.methods:
            continue
        if compile_path(context.path)[0].match(path):
            gates = [d.call for d in route.dependant.dependencies if isinstance(d.call, ActionGate)]
            return gates[0].action.name if gates else None
    return None


async def _call(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    endpoint: Endpoint,
    role: str,
) -> httpx.Response:
    assert bound_action(app, endpoint.method, endpoint.path) == endpoint.action, endpoint
    user = await make_user(session, role)
    await session.commit()
    headers = {**auth(app, user), "If-Match": '"1"', **endpoint.headers}
    return await client.request(
        endpoint.method, endpoint.path, headers=headers, json=endpoint.json, **endpoint.kwargs
    )


async def assert_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    endpoint: Endpoint,
    role: str,
) -> None:
    response = await _call(app, client, session, endpoint, role)
    assert response.status_code == 403, (
        f"{endpoint} as {role}: {response.status_code} {response.text}"
    )
    assert response.headers["content-type"].startswith("application/problem+json")


async def assert_admitted(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    endpoint: Endpoint,
) -> None:
    """Every role the action admits, one after the other (one database for them all)."""
    for role in sorted(endpoint.allowed):
        response = await _call(app, client, session, endpoint, role)
        assert response.status_code not in (401, 403), (
            f"{endpoint} as {role}: {response.status_code} {response.text}"
        )


async def assert_needs_token(client: httpx.AsyncClient, endpoint: Endpoint) -> None:
    response = await client.request(endpoint.method, endpoint.path, json=endpoint.json)
    assert response.status_code == 401, f"{endpoint} without a token: {response.status_code}"
    assert response.headers.get("www-authenticate") == "Bearer"


def permission_walk(endpoints: list[Endpoint]) -> tuple[Any, Any, Any]:
    """The three tests of a feature's matrix, for its module to name: every role the action
    does not admit is refused (403), every role it admits gets past the gate, and no token is
    a 401. `test_a, test_b, test_c = permission_walk(ENDPOINTS)`."""

    @pytest.mark.parametrize(("endpoint", "role"), refusal_cases(endpoints), ids=str)
    async def test_role_is_refused(app, client, session, endpoint, role):
        await assert_refused(app, client, session, endpoint, role)

    @pytest.mark.parametrize("endpoint", endpoints, ids=str)
    async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
        await assert_admitted(app, client, session, endpoint)

    @pytest.mark.parametrize("endpoint", endpoints, ids=str)
    async def test_no_token_is_401(client, endpoint):
        await assert_needs_token(client, endpoint)

    return test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401
