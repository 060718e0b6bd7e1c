"""Who may call the meeting, ballot, decision, complaint and award-history endpoints: every
other role is refused with 403 before anything is looked up."""

import pytest

from tests.permissions import Endpoint, assert_needs_token, assert_refused, refusal_cases

NOI_VU = frozenset({"noi_vu"})
MEMBER = frozenset({"council_member"})
COUNCIL_READERS = frozenset({"noi_vu", "council_member", "reader"})
FOLLOWERS = frozenset({"noi_vu", "council_member"})
EVERYONE = frozenset({"noi_vu", "cluster_head", "council_member", "unit", "reader"})
VOTE = {"votes": [{"nomination_id": 1, "choice": "approve"}]}

ENDPOINTS = [
    Endpoint("POST", "/api/v1/meetings", NOI_VU, {"title": "x"}),
    Endpoint("GET", "/api/v1/meetings", COUNCIL_READERS),
    Endpoint("GET", "/api/v1/meetings/1", COUNCIL_READERS),
    Endpoint("PUT", "/api/v1/meetings/1/agenda", NOI_VU, {"nomination_ids": []}),
    Endpoint("PUT", "/api/v1/meetings/1/attendance", NOI_VU, {"member_ids": []}),
    Endpoint("POST", "/api/v1/meetings/1/open", NOI_VU),
    Endpoint("POST", "/api/v1/meetings/1/close", NOI_VU),
    Endpoint("POST", "/api/v1/meetings/1/ballots", MEMBER, VOTE),
    Endpoint("GET", "/api/v1/meetings/1/ballots/mine", MEMBER),
    Endpoint("GET", "/api/v1/meetings/1/results", COUNCIL_READERS),
    Endpoint("POST", "/api/v1/decisions", NOI_VU, {"kind": "provincial_award"}),
    Endpoint("GET", "/api/v1/decisions", COUNCIL_READERS),
    Endpoint("GET", "/api/v1/decisions/1", COUNCIL_READERS),
    Endpoint("POST", "/api/v1/nominations/1/state-result", NOI_VU, {"outcome": "awarded"}),
    Endpoint("POST", "/api/v1/nominations/1/disclosure", NOI_VU, {"channel": "x"}),
    Endpoint("GET", "/api/v1/nominations/1/disclosures", FOLLOWERS),
    Endpoint("POST", "/api/v1/nominations/1/complaints", NOI_VU, {"summary": "x"}),
    Endpoint("GET", "/api/v1/nominations/1/complaints", FOLLOWERS),
    Endpoint("GET", "/api/v1/complaints/1", FOLLOWERS),
    Endpoint("POST", "/api/v1/complaints/1/resolve", NOI_VU, {"upheld": True}),
    Endpoint("GET", "/api/v1/award-history", EVERYONE),
    Endpoint(
        "POST",
        "/api/v1/award-history/import",
        NOI_VU,
        kwargs={"files": {"file": ("a.csv", b"x", "text/csv")}},
    ),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_no_token_is_401(client, endpoint):
    await assert_needs_token(client, endpoint)
