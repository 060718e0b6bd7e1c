"""Role × endpoint refusals: every feature lists who may call what, and the rest are refused.

A feature's test module declares rows of `Endpoint(method, path, allowed_roles, body)` and
calls `assert_refused_for_other_roles`; a role that is not allowed must get 403 (the role gate
answers before any object is looked up, so the path's ids need not exist).
"""

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import ALL_ROLES
from tests.factories import auth, make_user


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    allowed: frozenset[str]
    json: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def refusal_cases(endpoints: list[Endpoint]) -> list[tuple[Endpoint, str]]:
    """(endpoint, role) pairs that must be refused, for pytest.mark.parametrize."""
    return [(e, role) for e in endpoints for role in ALL_ROLES if role not in e.allowed]


async def assert_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    endpoint: Endpoint,
    role: str,
) -> None:
    user = await make_user(session, role)
    await session.commit()
    headers = {**auth(app, user), "If-Match": '"1"'}
    response = await client.request(
        endpoint.method, endpoint.path, headers=headers, json=endpoint.json, **endpoint.kwargs
    )
    assert response.status_code == 403, (
        f"{endpoint} as {role}: {response.status_code} {response.text}"
    )
    assert response.headers["content-type"].startswith("application/problem+json")


async def assert_needs_token(client: httpx.AsyncClient, endpoint: Endpoint) -> None:
    response = await client.request(endpoint.method, endpoint.path, json=endpoint.json)
    assert response.status_code == 401, f"{endpoint} without a token: {response.status_code}"
    assert response.headers.get("www-authenticate") == "Bearer"
