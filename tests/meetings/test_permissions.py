"""Who may call the meeting, ballot, decision, complaint and award-history endpoints: every
other role is refused with 403 before anything is looked up."""

from tests.permissions import (
    Endpoint,
    permission_walk,
)

VOTE = {"votes": [{"nomination_id": 1, "choice": "approve"}]}

ENDPOINTS = [
    Endpoint("POST", "/api/v1/meetings", "meeting.schedule", {"title": "x"}),
    Endpoint("GET", "/api/v1/meetings", "meeting.list"),
    Endpoint("GET", "/api/v1/meetings/1", "meeting.read"),
    Endpoint("PUT", "/api/v1/meetings/1/agenda", "meeting.set_agenda", {"nomination_ids": []}),
    Endpoint("PUT", "/api/v1/meetings/1/attendance", "meeting.set_attendance", {"member_ids": []}),
    Endpoint("POST", "/api/v1/meetings/1/open", "meeting.open"),
    Endpoint("POST", "/api/v1/meetings/1/close", "meeting.close"),
    Endpoint("POST", "/api/v1/meetings/1/ballots", "ballot.cast", VOTE),
    Endpoint(
        "GET",
        "/api/v1/meetings/1/ballots/mine",
        "ballot.read_mine",
        headers={"X-Ballot-Receipt": "no-such-receipt"},
    ),
    Endpoint("GET", "/api/v1/meetings/1/results", "meeting.results"),
    Endpoint("POST", "/api/v1/decisions", "decision.record", {"kind": "provincial_award"}),
    Endpoint("GET", "/api/v1/decisions", "decision.list"),
    Endpoint("GET", "/api/v1/decisions/1", "decision.read"),
    Endpoint(
        "POST", "/api/v1/nominations/1/state-result", "state_result.record", {"outcome": "awarded"}
    ),
    Endpoint("POST", "/api/v1/nominations/1/disclosure", "disclosure.record", {"channel": "x"}),
    Endpoint("GET", "/api/v1/nominations/1/disclosures", "disclosure.list"),
    Endpoint("POST", "/api/v1/nominations/1/complaints", "complaint.record", {"summary": "x"}),
    Endpoint("GET", "/api/v1/nominations/1/complaints", "complaint.list"),
    Endpoint("GET", "/api/v1/complaints/1", "complaint.read"),
    Endpoint("POST", "/api/v1/complaints/1/resolve", "complaint.resolve", {"upheld": True}),
    Endpoint("GET", "/api/v1/award-history", "award_history.list"),
    Endpoint(
        "POST",
        "/api/v1/award-history/import",
        "award_history.import",
        kwargs={"files": {"file": ("a.csv", b"x", "text/csv")}},
    ),
    Endpoint(
        "POST",
        "/api/v1/award-history",
        "award_history.record",
        {
            "nominee_name": "A",
            "award_type_code": "giay_khen",
            "year": 2025,
            "decision_no": "1/QĐ",
            "decided_on": "2026-01-05",
        },
    ),
    Endpoint("POST", "/api/v1/award-history/999999/confirm", "award_history.confirm"),
    Endpoint("PATCH", "/api/v1/award-history/999999", "award_history.update", {"year": 2024}),
    Endpoint("DELETE", "/api/v1/award-history/999999", "award_history.delete"),
]


test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401 = permission_walk(
    ENDPOINTS
)
