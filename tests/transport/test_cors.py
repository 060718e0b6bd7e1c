"""Cross-origin access: only the origins of TDKT_CORS_ORIGINS, with the headers a SPA sends and
reads, on every answer — errors and crashes included. (A real Chromium checks the same in
test_browser.py.)"""

import pytest
from fastapi import APIRouter

from app.core.config import Settings, SettingsError
from app.core.transport import CORS_METHODS
from tests.factories import signed_in
from tests.transport.conftest import SPA_ORIGIN

ORIGIN = {"Origin": SPA_ORIGIN}
REQUESTED = "authorization, content-type, if-match, idempotency-key, x-request-id"


def _preflight(method: str, origin: str = SPA_ORIGIN, headers: str = REQUESTED) -> dict:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


async def test_a_preflight_from_the_allowed_origin_admits_the_spa_headers(spa_client):
    response = await spa_client.options("/api/v1/units/1", headers=_preflight("PATCH"))

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SPA_ORIGIN
    allowed = response.headers["access-control-allow-methods"]
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= set(allowed.replace(" ", "").split(","))
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    for header in (
        "authorization",
        "if-match",
        "if-none-match",
        "idempotency-key",
        "x-ballot-receipt",
    ):
        assert header in allowed_headers
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_another_origin_is_refused_as_a_problem(spa_client):
    response = await spa_client.options(
        "/api/v1/units", headers=_preflight("GET", origin="https://evil.example")
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "cors_refused"
    assert "access-control-allow-origin" not in response.headers


async def test_a_preflight_asking_for_a_header_outside_the_list_is_refused(spa_client):
    response = await spa_client.options(
        "/api/v1/units", headers=_preflight("GET", headers="authorization, x-secret-header")
    )

    assert response.status_code == 400 and response.json()["code"] == "cors_refused"


async def test_answers_to_the_allowed_origin_expose_the_headers_a_client_reads(
    spa_app, spa_client, spa_session
):
    _, admin = await signed_in(spa_app, spa_session)

    created = await spa_client.post(
        "/api/v1/units",
        json={"code": "CORS1", "name": "Đơn vị thử CORS"},
        headers={**admin, **ORIGIN, "Idempotency-Key": "cors-1"},
    )

    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == SPA_ORIGIN
    exposed = {
        h.strip().lower() for h in created.headers["access-control-expose-headers"].split(",")
    }
    assert exposed == {
        "etag", "location", "x-request-id", "idempotent-replayed", "retry-after",
        "content-disposition",
    }  # fmt: skip
    assert "Origin" in created.headers["vary"]


async def test_error_answers_carry_the_cors_headers_too(spa_app, spa_client, spa_session):
    _, admin = await signed_in(spa_app, spa_session)

    for response in (
        await spa_client.get("/api/v1/units", headers=ORIGIN),  # 401
        await spa_client.get("/api/v1/units/999999", headers={**admin, **ORIGIN}),  # 404
        await spa_client.post("/api/v1/units", json={"x": 1}, headers={**admin, **ORIGIN}),  # 422
        await spa_client.patch(
            "/api/v1/units/1", json={"name": "x"}, headers={**admin, **ORIGIN}
        ),  # 428
    ):
        assert response.status_code in (401, 404, 422, 428), response.status_code
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["access-control-allow-origin"] == SPA_ORIGIN


async def test_an_unexpected_crash_is_a_500_problem_with_cors_and_security_headers(
    spa_app, spa_client
):
    crash = APIRouter()

    @crash.get("/crash-for-test")
    async def crashing() -> None:
        raise RuntimeError("a bug")

    spa_app.include_router(crash)

    response = await spa_client.get("/crash-for-test", headers={**ORIGIN, "X-Request-ID": "r-500"})

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal_error"
    assert response.headers["access-control-allow-origin"] == SPA_ORIGIN
    assert response.headers["x-request-id"] == "r-500"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


async def test_without_the_setting_no_origin_is_allowed(client):
    preflight = await client.options("/api/v1/units", headers=_preflight("GET"))
    plain = await client.get("/healthz", headers=ORIGIN)

    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in plain.headers


def test_the_allowed_methods_cover_every_method_of_the_api(app):
    used = {method for route in app.routes for method in getattr(route, "methods", ()) or ()}

    assert used - {"OPTIONS"} <= set(CORS_METHODS)


@pytest.mark.parametrize(
    "value", ["*", "spa.example", "https://spa.example/", "https://spa.example/app", "ftp://x.y"]
)
def test_the_setting_takes_origins_only(value):
    with pytest.raises(SettingsError, match="TDKT_CORS_ORIGINS"):
        Settings(cors_origins=value)


def test_the_setting_is_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("TDKT_CORS_ORIGINS", "https://tdkt.sonla.gov.vn, http://localhost:5173")

    assert Settings().cors_origins == ["https://tdkt.sonla.gov.vn", "http://localhost:5173"]
