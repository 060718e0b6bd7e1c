"""Who may call the account and directory endpoints: every other role is refused."""

import pytest

from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

ENDPOINTS = [
    Endpoint("GET", "/api/v1/users", "user.list"),
    Endpoint("POST", "/api/v1/users", "user.create", {"username": "x"}),
    Endpoint("GET", "/api/v1/users/1", "user.read"),
    Endpoint("PATCH", "/api/v1/users/1", "user.update", {"active": False}),
    Endpoint("POST", "/api/v1/users/1/grants", "user.grant_role", {"role": "reader"}),
    Endpoint("GET", "/api/v1/users/1/grants", "user.list_grants"),
    Endpoint("POST", "/api/v1/role-grants/1/revoke", "user.revoke_grant"),
    Endpoint("POST", "/api/v1/auth/switch", "auth.switch", {"grant_id": 999}),
    Endpoint("GET", "/api/v1/service-tokens", "service_token.list"),
    Endpoint("POST", "/api/v1/service-tokens", "service_token.create", {"name": "x"}),
    Endpoint("DELETE", "/api/v1/service-tokens/1", "service_token.revoke"),
    Endpoint("POST", "/api/v1/units", "unit.create", {"code": "x", "name": "x"}),
    Endpoint("PATCH", "/api/v1/units/1", "unit.update", {"name": "x"}),
    Endpoint("POST", "/api/v1/clusters", "cluster.create", {"year": 2026}),
    Endpoint("PATCH", "/api/v1/clusters/1", "cluster.update", {"name": "x"}),
    Endpoint("GET", "/api/v1/councils", "council.list"),
    Endpoint("GET", "/api/v1/councils/1", "council.read"),
    Endpoint("POST", "/api/v1/councils", "council.create", {"name": "x"}),
    Endpoint("PATCH", "/api/v1/councils/1", "council.update", {"name": "x"}),
    Endpoint("POST", "/api/v1/councils/1/members", "council.add_member", {"full_name": "x"}),
    Endpoint("PATCH", "/api/v1/councils/1/members/1", "council.update_member", {"full_name": "x"}),
    Endpoint("DELETE", "/api/v1/councils/1/members/1", "council.remove_member"),
    Endpoint("GET", "/api/v1/audit", "audit.list"),
    Endpoint("GET", "/api/v1/units", "unit.list"),
    Endpoint("GET", "/api/v1/clusters", "cluster.list"),
    Endpoint("GET", "/api/v1/auth/me", "auth.me"),
    Endpoint("GET", "/api/v1/units/1", "unit.read"),
    Endpoint("GET", "/api/v1/clusters/1", "cluster.read"),
    Endpoint("POST", "/api/v1/auth/logout", "auth.logout"),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_no_token_is_401(client, endpoint):
    await assert_needs_token(client, endpoint)
