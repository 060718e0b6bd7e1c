"""An idempotent replay needs a token that is valid now, and never hands out a stored secret."""

from sqlalchemy import select, update

from app.models import IdempotencyKey, User
from tests.factories import auth, signed_in

UNIT = {"code": "SNV", "name": "Sở Nội vụ"}


async def test_a_replay_after_logout_is_401(app, client, session):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "unit-1"}
    first = await client.post("/api/v1/units", json=UNIT, headers=headers)

    await client.post("/api/v1/auth/logout", headers=admin)
    replay = await client.post("/api/v1/units", json=UNIT, headers=headers)

    assert first.status_code == 201
    assert replay.status_code == 401, replay.text
    assert "idempotent-replayed" not in replay.headers and UNIT["name"] not in replay.text


async def test_a_replay_for_a_deactivated_account_is_401(app, client, session):
    user, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "unit-2"}
    first = await client.post("/api/v1/units", json=UNIT, headers=headers)

    await session.execute(update(User).where(User.id == user.id).values(active=False))
    await session.commit()
    replay = await client.post("/api/v1/units", json=UNIT, headers=headers)

    assert first.status_code == 201
    assert replay.status_code == 401 and "idempotent-replayed" not in replay.headers


async def test_a_replay_with_a_fresh_token_of_the_same_caller_still_works(app, client, session):
    user, admin = await signed_in(app, session)
    first = await client.post(
        "/api/v1/units", json=UNIT, headers={**admin, "Idempotency-Key": "unit-3"}
    )
    again_headers = auth(app, user)  # another token of the same account, still valid

    replay = await client.post(
        "/api/v1/units", json=UNIT, headers={**again_headers, "Idempotency-Key": "unit-3"}
    )

    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()


async def test_a_service_token_secret_is_never_kept_for_replays(app, client, session):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "token-1"}
    body = {"name": "Báo cáo tuần", "expires_on": "2099-12-31"}

    first = await client.post("/api/v1/service-tokens", json=body, headers=headers)
    replay = await client.post("/api/v1/service-tokens", json=body, headers=headers)
    listed = await client.get("/api/v1/service-tokens", headers=admin)
    stored = list(await session.scalars(select(IdempotencyKey.response_body)))

    secret = first.json()["token"]
    assert first.status_code == 201 and secret
    assert all(secret not in (text or "") for text in stored) and len(stored) == 1
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["token"] is None and replay.json()["id"] == first.json()["id"]
    assert secret not in replay.text
    assert listed.json()["total"] == 1


async def test_a_replay_with_a_revoked_service_token_is_401(app, client, session):
    _, admin = await signed_in(app, session)
    created = await client.post(
        "/api/v1/service-tokens", json={"name": "x", "expires_on": "2099-12-31"}, headers=admin
    )
    script = {"Authorization": f"Bearer {created.json()['token']}"}
    # A reader cannot create anything; the key path must still refuse the revoked token first.
    await client.delete(f"/api/v1/service-tokens/{created.json()['id']}", headers=admin)

    response = await client.post(
        "/api/v1/units", json=UNIT, headers={**script, "Idempotency-Key": "r-1"}
    )

    assert response.status_code == 401
    assert list(await session.scalars(select(IdempotencyKey))) == []
