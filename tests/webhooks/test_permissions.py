"""Who may call each webhook endpoint: Sở Nội vụ and readers; every other role is refused."""

import pytest

from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_refused,
    refusal_cases,
)

API = "/api/v1/webhooks"
ENDPOINTS = [
    Endpoint("POST", API, "webhook.create", {"url": "https://127.0.0.1/x"}),
    Endpoint("GET", API, "webhook.list"),
    Endpoint("GET", f"{API}/9999", "webhook.read"),
    Endpoint("PATCH", f"{API}/9999", "webhook.update", {"active": False}),
    Endpoint("DELETE", f"{API}/9999", "webhook.delete"),
    Endpoint("POST", f"{API}/9999/rotate-secret", "webhook.rotate_secret"),
    Endpoint("POST", f"{API}/9999/ping", "webhook.ping"),
    Endpoint("GET", f"{API}/9999/deliveries", "webhook.list_deliveries"),
    Endpoint("POST", f"{API}/9999/deliveries/1/redeliver", "webhook.redeliver"),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)
