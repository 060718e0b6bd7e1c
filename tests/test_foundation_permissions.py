"""Who may call the account and directory endpoints: every other role is refused."""

import pytest

from tests.permissions import Endpoint, assert_needs_token, assert_refused, refusal_cases

NOI_VU = frozenset({"noi_vu"})
COUNCIL_READERS = frozenset({"noi_vu", "council_member", "reader"})
EVERYONE = frozenset({"noi_vu", "cluster_head", "council_member", "unit", "reader"})

ENDPOINTS = [
    Endpoint("GET", "/api/v1/users", NOI_VU),
    Endpoint("POST", "/api/v1/users", NOI_VU, {"username": "x"}),
    Endpoint("GET", "/api/v1/users/1", NOI_VU),
    Endpoint("PATCH", "/api/v1/users/1", NOI_VU, {"active": False}),
    Endpoint("GET", "/api/v1/service-tokens", NOI_VU),
    Endpoint("POST", "/api/v1/service-tokens", NOI_VU, {"name": "x"}),
    Endpoint("DELETE", "/api/v1/service-tokens/1", NOI_VU),
    Endpoint("POST", "/api/v1/units", NOI_VU, {"code": "x", "name": "x"}),
    Endpoint("PATCH", "/api/v1/units/1", NOI_VU, {"name": "x"}),
    Endpoint("POST", "/api/v1/clusters", NOI_VU, {"year": 2026}),
    Endpoint("PATCH", "/api/v1/clusters/1", NOI_VU, {"name": "x"}),
    Endpoint("GET", "/api/v1/councils", COUNCIL_READERS),
    Endpoint("GET", "/api/v1/councils/1", COUNCIL_READERS),
    Endpoint("POST", "/api/v1/councils", NOI_VU, {"name": "x"}),
    Endpoint("PATCH", "/api/v1/councils/1", NOI_VU, {"name": "x"}),
    Endpoint("POST", "/api/v1/councils/1/members", NOI_VU, {"full_name": "x"}),
    Endpoint("PATCH", "/api/v1/councils/1/members/1", NOI_VU, {"full_name": "x"}),
    Endpoint("DELETE", "/api/v1/councils/1/members/1", NOI_VU),
    Endpoint("GET", "/api/v1/audit", NOI_VU),
    Endpoint("GET", "/api/v1/units", EVERYONE),
    Endpoint("GET", "/api/v1/clusters", EVERYONE),
    Endpoint("GET", "/api/v1/auth/me", EVERYONE),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_no_token_is_401(client, endpoint):
    await assert_needs_token(client, endpoint)
