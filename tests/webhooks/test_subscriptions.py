"""Managing subscriptions: the secret shown once, each owner's scope, and every refusal."""

import pytest

from app.services.webhooks import targets
from tests.factories import etag_version, signed_in
from tests.webhooks.support import subscribe

URL = "https://hooks.example.org/tdkt"


@pytest.fixture
def public_dns(monkeypatch):
    """hooks.example.org resolves to a public address (no DNS needed in tests)."""
    answers = {"hooks.example.org": ["93.184.215.14"], "intranet.example.org": ["10.0.3.7"]}

    async def resolve(host, port):
        if host in answers:
            return answers[host]
        raise OSError("unknown host")

    monkeypatch.setattr(targets, "resolve", resolve)
    return answers


async def _reader_token(client, admin) -> dict[str, str]:
    created = await client.post(
        "/api/v1/service-tokens", json={"name": "app di động", "expires_on": "2030-12-31"},
        headers=admin,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['token']}"}


async def test_the_secret_is_shown_once_and_never_replayed(app, client, session, public_dns):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "hook-1"}
    body = {"url": URL, "event_types": ["dossier.returned"], "description": "Ứng dụng di động"}

    first = await client.post("/api/v1/webhooks", json=body, headers=headers)
    replay = await client.post("/api/v1/webhooks", json=body, headers=headers)
    read = await client.get(first.headers["location"], headers=admin)

    assert first.status_code == 201 and first.json()["secret"].startswith("whsec_")
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["secret"] is None and replay.json()["id"] == first.json()["id"]
    assert "secret" not in read.json() and first.json()["secret"] not in read.text
    assert read.json()["event_types"] == ["dossier.returned"] and read.json()["owner"] == "noi_vu"
    listed = await client.get("/api/v1/webhooks", headers=admin)
    assert listed.json()["total"] == 1


async def test_rotating_shows_the_new_secret_once_and_keeps_the_old_one_a_while(
    app, client, session, public_dns
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, URL)
    path = f"/api/v1/webhooks/{created['id']}/rotate-secret"
    headers = {**admin, "Idempotency-Key": "rotate-1"}

    rotated = await client.post(path, headers=headers)
    replay = await client.post(path, headers=headers)

    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert rotated.json()["previous_secret_valid_until"] is not None
    assert replay.json()["secret"] is None


async def test_a_reader_token_manages_only_its_own(app, client, session, public_dns):
    _, admin = await signed_in(app, session)
    mine, theirs = await _reader_token(client, admin), await _reader_token(client, admin)
    own = await subscribe(client, mine, URL)
    other = await subscribe(client, theirs, URL)
    by_admin = await subscribe(client, admin, URL)

    listed = await client.get("/api/v1/webhooks", headers=mine)
    hidden = await client.get(f"/api/v1/webhooks/{other['id']}", headers=mine)
    hidden_delete = await client.delete(f"/api/v1/webhooks/{by_admin['id']}", headers=mine)
    everyone = await client.get("/api/v1/webhooks", headers=admin)

    assert [w["id"] for w in listed.json()["items"]] == [own["id"]]
    assert own["owner"] == "service_token"
    assert hidden.status_code == 404 and hidden_delete.status_code == 404
    assert everyone.json()["total"] == 3


@pytest.mark.parametrize("role", ["unit", "cluster_head", "council_member"])
async def test_other_roles_are_refused(app, client, session, role, public_dns):
    _, headers = await signed_in(app, session, role)

    response = await client.post("/api/v1/webhooks", json={"url": URL}, headers=headers)

    assert response.status_code == 403


async def test_patch_needs_the_current_etag_and_pauses_or_resumes(app, client, session, public_dns):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, URL)
    path = f"/api/v1/webhooks/{created['id']}"

    without = await client.patch(path, json={"active": False}, headers=admin)
    stale = await client.patch(path, json={"active": False}, headers={**admin, "If-Match": '"9"'})
    paused = await client.patch(path, json={"active": False}, headers={**admin, "If-Match": '"1"'})
    null = await client.patch(path, json={"url": None}, headers={**admin, "If-Match": '"2"'})

    assert without.status_code == 428 and stale.status_code == 412
    assert paused.status_code == 200 and paused.json()["active"] is False
    assert etag_version(paused) == 2
    assert null.status_code == 422


async def test_delete_removes_it(app, client, session, public_dns):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, URL)

    deleted = await client.delete(f"/api/v1/webhooks/{created['id']}", headers=admin)
    again = await client.get(f"/api/v1/webhooks/{created['id']}", headers=admin)

    assert deleted.status_code == 204 and again.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"url": URL, "event_types": ["Dossier Returned"]},
        {"url": URL, "unknown": 1},
        {"url": "x" * 2001},
    ],
)
async def test_a_malformed_body_is_422(app, client, session, body, public_dns):
    _, admin = await signed_in(app, session)

    response = await client.post("/api/v1/webhooks", json=body, headers=admin)

    assert response.status_code == 422


# ---- the SSRF guard -----------------------------------------------------------------------


@pytest.fixture
def strict(settings):
    """Production's settings: https only, public addresses only."""
    settings.webhooks_allow_http = False
    settings.webhooks_allow_private_addresses = False
    return settings


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.org/tdkt", "https"),
        ("ftp://hooks.example.org/tdkt", "https"),
        ("https://user:pw@hooks.example.org/tdkt", "mật khẩu"),
        ("https://127.0.0.1:8443/tdkt", "127.0.0.1"),
        ("https://[::1]/tdkt", "::1"),
        ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("https://[::ffff:10.0.0.1]/x", "10.0.0.1"),
        ("https://intranet.example.org/tdkt", "10.0.3.7"),
        ("https://nowhere.invalid/tdkt", "phân giải"),
    ],
)
async def test_unsafe_addresses_are_refused(app, client, session, strict, public_dns, url, why):
    _, admin = await signed_in(app, session)

    response = await client.post("/api/v1/webhooks", json={"url": url}, headers=admin)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "webhook_url_refused"
    assert why in response.json()["detail"]


async def test_a_refused_url_cannot_be_patched_in(app, client, session, strict, public_dns):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, URL)

    response = await client.patch(
        f"/api/v1/webhooks/{created['id']}",
        json={"url": "https://intranet.example.org/x"},
        headers={**admin, "If-Match": '"1"'},
    )

    assert response.status_code == 422 and response.json()["code"] == "webhook_url_refused"


async def test_loopback_is_allowed_only_by_the_development_setting(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    app.state.settings.webhooks_allow_private_addresses = False

    refused = await client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=admin)
    app.state.settings.webhooks_allow_private_addresses = True
    allowed = await client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=admin)

    assert refused.status_code == 422 and refused.json()["code"] == "webhook_url_refused"
    assert allowed.status_code == 201
