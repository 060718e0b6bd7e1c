"""Who may call the account and directory endpoints: every other role is refused."""

from tests.permissions import (
    Endpoint,
    permission_walk,
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


test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401 = permission_walk(
    ENDPOINTS
)
