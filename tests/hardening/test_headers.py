"""Security headers: nosniff and a referrer policy everywhere; JSON reads revalidated by the
browser of their own user only, everything else (errors, tokens) never stored; HSTS in
production."""

import httpx

from app.core.config import Settings
from app.core.headers import ResponseHeaders
from app.main import create_app
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, signed_in


def _assert_common(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


async def test_json_reads_are_private_and_revalidated_and_errors_are_not_stored(
    app, client, session
):
    _, admin = await signed_in(app, session)

    for response in (
        await client.get("/api/v1/units", headers=admin),
        await client.get("/healthz"),
    ):
        _assert_common(response)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "private, no-cache"
        assert "Authorization" in response.headers["vary"]
    for response in (
        await client.get("/api/v1/units/999", headers=admin),
        await client.get("/api/v1/units"),
        await client.post("/api/v1/units", json={}, headers=admin),
    ):
        _assert_common(response)
        assert response.status_code >= 400
        assert response.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in response.headers  # not in development


async def test_the_token_answer_is_no_store(app, client, session):
    user, _ = await signed_in(app, session)

    response = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 200 and "access_token" in response.json()
    assert response.headers["cache-control"] == "no-store"
    _assert_common(response)


async def test_a_route_that_chose_its_cache_control_keeps_it(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.get("/api/v1/dossiers/export?format=csv", headers=admin)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert len(response.headers.get_list("cache-control")) == 1


async def test_production_sends_strict_transport_security(tmp_path):
    settings = Settings(
        env="production", jwt_secret=TEST_SECRET, ballot_secret=TEST_SECRET + "-ballot",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", var_dir=tmp_path,
        load_reference_data=False,
    )  # fmt: skip
    production = create_app(settings, configure_logs=False)
    transport = httpx.ASGITransport(app=production)
    async with httpx.AsyncClient(transport=transport, base_url="https://api.test") as client:
        response = await client.get("/healthz")

    assert response.headers["strict-transport-security"].startswith("max-age=63072000")
    _assert_common(response)
    await production.state.db.dispose()


def test_a_security_header_the_route_set_is_replaced_not_repeated():
    finish = ResponseHeaders(production=False)
    route = [
        (b"content-type", b"application/pdf"),
        (b"X-Content-Type-Options", b"nosniff"),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"x-request-id", b"r-1"),
    ]

    headers = finish("GET", 200, route)

    names = [name.lower() for name, _ in headers]
    assert names.count(b"x-content-type-options") == 1
    assert names.count(b"x-frame-options") == 1
    assert (b"X-Frame-Options", b"DENY") in headers
    assert (b"x-request-id", b"r-1") in headers
    assert (b"cache-control", b"no-store") in headers  # not JSON: never stored


async def test_a_request_id_that_is_not_sane_is_replaced(client):
    response = await client.get("/healthz", headers={"X-Request-ID": "no spaces; " + "x" * 70})

    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32 and request_id.isalnum()
    assert len(response.headers.get_list("x-request-id")) == 1
