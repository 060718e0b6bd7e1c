"""Who may call the award-type, round, dossier, attachment, holiday and event endpoints."""

from tests.permissions import (
    Endpoint,
    permission_walk,
)

ENDPOINTS = [
    Endpoint("GET", "/api/v1/award-types", "award_type.list"),
    Endpoint("GET", "/api/v1/award-types/anh_hung_lao_dong", "award_type.read"),
    Endpoint(
        "PATCH", "/api/v1/award-types/anh_hung_lao_dong", "award_type.update", {"active": False}
    ),
    Endpoint("GET", "/api/v1/rounds", "round.list"),
    Endpoint("POST", "/api/v1/rounds", "round.create", {"year": 2026}),
    Endpoint("GET", "/api/v1/rounds/1", "round.read"),
    Endpoint("PATCH", "/api/v1/rounds/1", "round.update", {"name": "x"}),
    Endpoint("POST", "/api/v1/rounds/1/open", "round.open"),
    Endpoint("POST", "/api/v1/rounds/1/close", "round.close"),
    Endpoint("POST", "/api/v1/rounds/1/complete", "round.complete"),
    Endpoint("POST", "/api/v1/rounds/1/extensions", "round.grant_extension", {"unit_id": 1}),
    Endpoint("GET", "/api/v1/rounds/1/extensions", "round.list_extensions"),
    Endpoint("GET", "/api/v1/dossiers", "dossier.list"),
    Endpoint("POST", "/api/v1/dossiers", "dossier.create", {"title": "x"}),
    Endpoint("GET", "/api/v1/dossiers/1", "dossier.read"),
    Endpoint("PATCH", "/api/v1/dossiers/1", "dossier.update", {"title": "x"}),
    Endpoint("GET", "/api/v1/dossiers/1/history", "dossier.history"),
    Endpoint("POST", "/api/v1/dossiers/1/submit", "dossier.submit"),
    Endpoint("POST", "/api/v1/dossiers/1/withdraw", "dossier.withdraw"),
    Endpoint("POST", "/api/v1/dossiers/1/return", "dossier.return", {"reason": "x"}),
    Endpoint("POST", "/api/v1/dossiers/1/receive", "dossier.receive"),
    Endpoint("POST", "/api/v1/dossiers/1/complete-appraisal", "dossier.complete_appraisal"),
    Endpoint("POST", "/api/v1/dossiers/1/nominations", "nomination.add", {"nominee_name": "x"}),
    Endpoint("PATCH", "/api/v1/dossiers/1/nominations/1", "nomination.update", {"position": "x"}),
    Endpoint("DELETE", "/api/v1/dossiers/1/nominations/1", "nomination.delete"),
    Endpoint(
        "POST", "/api/v1/nominations/1/appraisal", "nomination.appraise", {"conclusion": "eligible"}
    ),
    Endpoint(
        "PUT",
        "/api/v1/nominations/1/checks/no_discipline/review",
        "nomination.review_check",
        {"action": "verified"},
    ),
    Endpoint(
        "DELETE",
        "/api/v1/nominations/1/checks/no_discipline/review",
        "nomination.withdraw_check_review",
    ),
    Endpoint(
        "POST",
        "/api/v1/dossiers/1/attachments",
        "attachment.upload",
        kwargs={"files": {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}},
    ),
    Endpoint("GET", "/api/v1/attachments/1", "attachment.read"),
    Endpoint("GET", "/api/v1/attachments/1/content", "attachment.download"),
    Endpoint("DELETE", "/api/v1/attachments/1", "attachment.delete"),
    Endpoint("GET", "/api/v1/holidays", "holiday.list"),
    Endpoint("PUT", "/api/v1/holidays/2026-05-04", "holiday.set", {"off": True}),
    Endpoint("DELETE", "/api/v1/holidays/2026-05-04", "holiday.delete"),
    Endpoint("GET", "/api/v1/events", "event.list"),
    # A cursor beyond the head is refused (422) once past the gate, before anything streams.
    Endpoint(
        "GET",
        "/api/v1/events/stream",
        "event.stream",
        headers={"Last-Event-ID": "999999999"},
    ),
]


test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401 = permission_walk(
    ENDPOINTS
)
