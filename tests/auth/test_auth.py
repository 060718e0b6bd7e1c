"""Logging in, refreshing, logging out, and every way a token must be refused."""

import base64
import json
import time

import pytest
from jose import jwt

from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, auth, make_user, signed_in


async def login(client, username: str, password: str = PASSWORD):
    return await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )


async def test_login_returns_a_token_pair_that_opens_me(app, client, session):
    user = await make_user(session, "unit")
    await session.commit()

    response = await login(client, user.username)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json() == {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": "unit",
        "unit_id": user.unit_id,
        "cluster_id": None,
        "council_member_id": None,
        "grant_id": None,
        "grants": [
            {"id": None, "role": "unit", "unit_id": user.unit_id, "cluster_id": None,
             "council_member_id": None},
        ],
    }  # fmt: skip


async def test_wrong_password_is_a_401_problem(app, client, session):
    user = await make_user(session)
    await session.commit()

    response = await login(client, user.username, "not-the-password")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_credentials"


async def test_unknown_user_and_wrong_password_look_the_same(client):
    unknown = await login(client, "nobody", "whatever-password")
    assert unknown.status_code == 401
    assert unknown.json()["code"] == "invalid_credentials"


async def test_repeated_failures_are_throttled_with_retry_after(app, client, session):
    user = await make_user(session)
    await session.commit()
    limit = app.state.settings.login_max_failures

    for _ in range(limit):
        assert (await login(client, user.username, "wrong-password")).status_code == 401
    locked = await login(client, user.username)  # even the right password waits

    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert locked.json()["code"] == "login_rate_limited"


async def test_throttle_is_per_username(app, client, session):
    victim = await make_user(session)
    other = await make_user(session)
    await session.commit()
    for _ in range(app.state.settings.login_max_failures):
        await login(client, victim.username, "wrong-password")

    assert (await login(client, other.username)).status_code == 200


async def test_refresh_rotates_and_the_old_refresh_token_is_spent(app, client, session):
    user = await make_user(session)
    await session.commit()
    first = (await login(client, user.username)).json()

    second = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )

    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert replay.status_code == 401


async def test_an_access_token_cannot_refresh(app, client, session):
    user = await make_user(session)
    await session.commit()
    tokens = (await login(client, user.username)).json()

    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"]}
    )

    assert response.status_code == 401


async def test_logout_stops_every_token_of_the_caller(app, client, session):
    user = await make_user(session)
    await session.commit()
    tokens = (await login(client, user.username)).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204

    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_deactivated_user_is_locked_out_at_once(app, client, session):
    _, admin = await signed_in(app, session, "noi_vu")
    user = await make_user(session, "unit")
    await session.commit()
    headers = auth(app, user)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200

    response = await client.patch(
        f"/api/v1/users/{user.id}",
        json={"active": False},
        headers={**admin, "If-Match": f'"{user.version}"'},
    )

    assert response.status_code == 200 and response.json()["active"] is False
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert (await login(client, user.username)).status_code == 401


# ---- refused tokens: each one is the same 401 -------------------------------------------------


def _claims(user, **overrides):
    now = int(time.time())
    claims = {
        "sub": str(user.id),
        "typ": "access",
        "ver": user.token_version,
        "iss": "tdkt",
        "aud": "tdkt-api",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "abc",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forge(kind: str, user) -> str:
    sign = lambda claims, key=TEST_SECRET: jwt.encode(claims, key, algorithm="HS256")  # noqa: E731
    if kind == "alg_none":
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(user))}."
    if kind == "wrong_key":
        return sign(_claims(user), "another-secret-" + "y" * 40)
    if kind == "expired":
        return sign(_claims(user, exp=int(time.time()) - 10))
    if kind == "future_nbf":
        return sign(_claims(user, nbf=int(time.time()) + 3600))
    if kind == "wrong_audience":
        return sign(_claims(user, aud="another-api"))
    if kind == "wrong_issuer":
        return sign(_claims(user, iss="someone-else"))
    if kind == "no_exp":
        return sign(_claims(user, exp=None))
    if kind == "no_sub":
        return sign(_claims(user, sub=None))
    if kind == "refresh_as_access":
        return sign(_claims(user, typ="refresh"))
    if kind == "old_token_version":
        return sign(_claims(user, ver=user.token_version - 1))
    if kind == "tampered":
        header, _payload, signature = sign(_claims(user)).split(".")
        forged = _b64({**_claims(user), "sub": str(user.id + 1000)})
        return f"{header}.{forged}.{signature}"
    if kind == "hs512":
        return jwt.encode(_claims(user), TEST_SECRET, algorithm="HS512")
    if kind == "malformed_header":
        return "not-base64!.eyJzdWIiOiIxIn0.sig"
    if kind == "garbage":
        return "garbage"
    raise AssertionError(kind)


BAD_TOKENS = [
    "alg_none",
    "wrong_key",
    "expired",
    "future_nbf",
    "wrong_audience",
    "wrong_issuer",
    "no_exp",
    "no_sub",
    "refresh_as_access",
    "old_token_version",
    "tampered",
    "hs512",
    "malformed_header",
    "garbage",
]


@pytest.mark.parametrize("kind", BAD_TOKENS)
async def test_bad_token_is_refused_with_one_identical_answer(app, client, session, kind):
    user = await make_user(session, "noi_vu", token_version=2)
    await session.commit()
    missing = await client.get("/api/v1/auth/me")

    response = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {_forge(kind, user)}"}
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {**missing.json()}  # nothing tells one failure from another


async def test_a_well_formed_token_is_accepted(app, client, session):
    """The forged tokens above fail for their flaw alone: the same claims, signed right, pass."""
    user = await make_user(session, "noi_vu", token_version=2)
    await session.commit()
    token = jwt.encode(_claims(user), TEST_SECRET, algorithm="HS256")

    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200


async def test_the_authorization_header_is_read_as_a_bearer_scheme(app, client, session):
    """The scheme is case-insensitive and the token trimmed; any other scheme, or a scheme
    without a token, is the same 401 as no header at all."""
    user = await make_user(session, "noi_vu", token_version=2)
    await session.commit()
    token = jwt.encode(_claims(user), TEST_SECRET, algorithm="HS256")
    missing = await client.get("/api/v1/auth/me")
    for accepted in (f"Bearer {token}", f"bearer {token}", f"BEARER   {token}  "):
        response = await client.get("/api/v1/auth/me", headers={"Authorization": accepted})
        assert response.status_code == 200, accepted
    for refused in (token, f"Basic {token}", "Bearer", "Bearer    ", f" Bearer {token}"):
        response = await client.get("/api/v1/auth/me", headers={"Authorization": refused})
        assert response.status_code == 401, refused
        assert response.json() == missing.json()


# ---- service tokens ---------------------------------------------------------------------------


async def test_service_token_reads_and_is_revocable(app, client, session):
    _, admin = await signed_in(app, session)

    created = await client.post(
        "/api/v1/service-tokens",
        json={"name": "Báo cáo tuần", "expires_on": "2099-12-31"},
        headers=admin,
    )
    assert created.status_code == 201
    token = created.json()["token"]
    script = {"Authorization": f"Bearer {token}"}

    assert (await client.get("/api/v1/units", headers=script)).status_code == 200
    me = (await client.get("/api/v1/auth/me", headers=script)).json()
    assert me["role"] == "reader"
    forbidden = await client.post("/api/v1/units", json={"code": "X", "name": "X"}, headers=script)
    assert forbidden.status_code == 403

    listed = (await client.get("/api/v1/service-tokens", headers=admin)).json()
    assert "token" not in listed["items"][0]  # shown once, at creation only

    revoke = await client.delete(f"/api/v1/service-tokens/{created.json()['id']}", headers=admin)
    assert revoke.status_code == 204
    assert (await client.get("/api/v1/units", headers=script)).status_code == 401


async def test_service_token_role_is_reader_only(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.post(
        "/api/v1/service-tokens",
        json={"name": "x", "role": "noi_vu", "expires_on": "2099-01-01"},
        headers=admin,
    )

    assert response.status_code == 422


async def test_who_am_i_costs_one_statement(app, client, session, count_queries):
    _, headers = await signed_in(app, session, "unit")

    with count_queries() as counter:
        me = await client.get("/api/v1/auth/me", headers=headers)

    assert me.status_code == 200 and me.json()["role"] == "unit"
    assert counter.count == 1, counter.statements


async def test_a_deactivated_caller_is_refused_on_the_next_read(app, client, session):
    user, headers = await signed_in(app, session, "unit")
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    user.active = False
    await session.commit()

    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
