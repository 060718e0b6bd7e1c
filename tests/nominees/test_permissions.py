"""Who may call the rating, discipline and initiative endpoints."""

from tests.permissions import (
    Endpoint,
    permission_walk,
)

CSV = {"files": {"file": ("x.csv", b"Ho va ten,Nam,Xep loai\n", "text/csv")}}
ENDPOINTS = [
    Endpoint("GET", "/api/v1/ratings", "rating.list"),
    Endpoint("POST", "/api/v1/ratings", "rating.record",
             {"nominee_name": "A", "year": 2025, "rating": "htxs"}),
    Endpoint("POST", "/api/v1/ratings/999999/confirm", "rating.confirm"),
    Endpoint("POST", "/api/v1/ratings/import", "rating.import", kwargs=CSV),
    Endpoint("GET", "/api/v1/discipline-records", "discipline.list"),
    Endpoint("POST", "/api/v1/discipline-records", "discipline.record",
             {"nominee_name": "A", "kind": "discipline", "started_on": "2025-01-01"}),
    Endpoint("GET", "/api/v1/initiatives", "initiative.list"),
    Endpoint("POST", "/api/v1/initiatives", "initiative.record",
             {"title": "T", "authors": ["A"], "scope": "grassroots", "year": 2025}),
    Endpoint("PATCH", "/api/v1/ratings/999999", "rating.update", {"rating": "ht"}),
    Endpoint("DELETE", "/api/v1/ratings/999999", "rating.delete"),
    Endpoint("PATCH", "/api/v1/discipline-records/999999", "discipline.update", {"note": "x"}),
    Endpoint("DELETE", "/api/v1/discipline-records/999999", "discipline.delete"),
    Endpoint("PATCH", "/api/v1/initiatives/999999", "initiative.update", {"title": "T"}),
    Endpoint("DELETE", "/api/v1/initiatives/999999", "initiative.delete"),
    Endpoint("GET", "/api/v1/nominees/people?name=A", "nominee.read_person"),
    Endpoint("GET", "/api/v1/nominees/collectives/999999", "nominee.read_collective"),
    Endpoint("GET", "/api/v1/nominees/households?name=A", "nominee.read_household"),
]  # fmt: skip


test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401 = permission_walk(
    ENDPOINTS
)
