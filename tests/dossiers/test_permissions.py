"""Who may call the award-type, round, dossier, attachment, holiday and event endpoints."""

import pytest

from tests.permissions import Endpoint, assert_needs_token, assert_refused, refusal_cases

NOI_VU = frozenset({"noi_vu"})
DRAFTERS = frozenset({"unit", "cluster_head"})
STAFF = frozenset({"noi_vu", "cluster_head", "council_member", "unit"})
EVERYONE = STAFF | {"reader"}
EXTENSION_READERS = frozenset({"noi_vu", "unit", "reader"})

ENDPOINTS = [
    Endpoint("GET", "/api/v1/award-types", EVERYONE),
    Endpoint("GET", "/api/v1/award-types/anh_hung_lao_dong", EVERYONE),
    Endpoint("PATCH", "/api/v1/award-types/anh_hung_lao_dong", NOI_VU, {"active": False}),
    Endpoint("GET", "/api/v1/rounds", EVERYONE),
    Endpoint("POST", "/api/v1/rounds", NOI_VU, {"year": 2026}),
    Endpoint("GET", "/api/v1/rounds/1", EVERYONE),
    Endpoint("PATCH", "/api/v1/rounds/1", NOI_VU, {"name": "x"}),
    Endpoint("POST", "/api/v1/rounds/1/open", NOI_VU),
    Endpoint("POST", "/api/v1/rounds/1/close", NOI_VU),
    Endpoint("POST", "/api/v1/rounds/1/complete", NOI_VU),
    Endpoint("POST", "/api/v1/rounds/1/extensions", NOI_VU, {"unit_id": 1}),
    Endpoint("GET", "/api/v1/rounds/1/extensions", EXTENSION_READERS),
    Endpoint("GET", "/api/v1/dossiers", EVERYONE),
    Endpoint("POST", "/api/v1/dossiers", DRAFTERS, {"title": "x"}),
    Endpoint("GET", "/api/v1/dossiers/1", EVERYONE),
    Endpoint("PATCH", "/api/v1/dossiers/1", DRAFTERS, {"title": "x"}),
    Endpoint("GET", "/api/v1/dossiers/1/history", EVERYONE),
    Endpoint("POST", "/api/v1/dossiers/1/submit", DRAFTERS),
    Endpoint("POST", "/api/v1/dossiers/1/withdraw", DRAFTERS),
    Endpoint("POST", "/api/v1/dossiers/1/return", NOI_VU, {"reason": "x"}),
    Endpoint("POST", "/api/v1/dossiers/1/receive", NOI_VU),
    Endpoint("POST", "/api/v1/dossiers/1/complete-appraisal", NOI_VU),
    Endpoint("POST", "/api/v1/dossiers/1/nominations", DRAFTERS, {"nominee_name": "x"}),
    Endpoint("PATCH", "/api/v1/dossiers/1/nominations/1", DRAFTERS, {"position": "x"}),
    Endpoint("DELETE", "/api/v1/dossiers/1/nominations/1", DRAFTERS),
    Endpoint("POST", "/api/v1/nominations/1/appraisal", NOI_VU, {"conclusion": "eligible"}),
    Endpoint(
        "POST",
        "/api/v1/dossiers/1/attachments",
        DRAFTERS,
        kwargs={"files": {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}},
    ),
    Endpoint("GET", "/api/v1/attachments/1", EVERYONE),
    Endpoint("GET", "/api/v1/attachments/1/content", STAFF),
    Endpoint("DELETE", "/api/v1/attachments/1", DRAFTERS),
    Endpoint("GET", "/api/v1/holidays", EVERYONE),
    Endpoint("PUT", "/api/v1/holidays/2026-05-04", NOI_VU, {"off": True}),
    Endpoint("DELETE", "/api/v1/holidays/2026-05-04", NOI_VU),
    Endpoint("GET", "/api/v1/events", EVERYONE),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_no_token_is_401(client, endpoint):
    await assert_needs_token(client, endpoint)
