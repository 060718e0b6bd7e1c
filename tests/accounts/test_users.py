"""Sở Nội vụ manages accounts of every role."""

import pytest

from tests.factories import (
    make_cluster,
    make_council,
    make_council_member,
    make_unit,
    make_user,
    signed_in,
)


async def test_noi_vu_creates_accounts_of_every_role(app, client, session):
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    cluster = await make_cluster(session, head=unit)
    member = await make_council_member(session, await make_council(session))
    await session.commit()
    bodies = [
        {"role": "noi_vu"},
        {"role": "unit", "unit_id": unit.id},
        {"role": "cluster_head", "cluster_id": cluster.id},
        {"role": "council_member", "council_member_id": member.id},
        {"role": "reader"},
    ]

    for i, extra in enumerate(bodies):
        body = {"username": f"user{i}", "full_name": f"Cán bộ {i}", "password": "a-long-password"}
        response = await client.post("/api/v1/users", json={**body, **extra}, headers=admin)
        assert response.status_code == 201, response.text
        assert response.json()["role"] == extra["role"]
        assert response.headers["location"] == f"/api/v1/users/{response.json()['id']}"
        assert "password" not in response.json() and "password_hash" not in response.json()

    login = await client.post(
        "/api/v1/auth/token", data={"username": "user1", "password": "a-long-password"}
    )
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    )
    assert me.json()["unit_id"] == unit.id


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"role": "unit"}, "missing_link"),
        ({"role": "cluster_head"}, "missing_link"),
        ({"role": "council_member"}, "missing_link"),
        ({"role": "reader", "unit_id": 1}, "unexpected_link"),
        ({"role": "unit", "unit_id": 999}, "unknown_reference"),
    ],
)
async def test_role_links_are_checked(app, client, session, extra, code):
    _, admin = await signed_in(app, session)
    await make_unit(session)
    await session.commit()
    body = {"username": "someone", "full_name": "A", "password": "a-long-password", **extra}

    response = await client.post("/api/v1/users", json=body, headers=admin)

    assert response.status_code == 422
    assert response.json()["code"] == code


async def test_duplicate_username_is_409(app, client, session):
    user, admin = await signed_in(app, session)
    body = {"username": user.username.upper(), "full_name": "B", "password": "a-long-password"}

    response = await client.post("/api/v1/users", json={**body, "role": "reader"}, headers=admin)

    assert response.status_code == 409
    assert response.json()["code"] == "username_taken"


async def test_mass_assignment_of_id_or_hash_is_refused(app, client, session):
    _, admin = await signed_in(app, session)
    body = {"username": "abc", "full_name": "A", "password": "a-long-password", "role": "reader"}

    for extra in ({"id": 77}, {"password_hash": "x"}, {"token_version": 9}):
        response = await client.post("/api/v1/users", json={**body, **extra}, headers=admin)
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error"


async def test_patch_needs_if_match_and_refuses_a_stale_one(app, client, session):
    user, admin = await signed_in(app, session)
    path = f"/api/v1/users/{user.id}"
    current = await client.get(path, headers=admin)
    etag = current.headers["etag"]

    missing = await client.patch(path, json={"full_name": "Tên mới"}, headers=admin)
    first = await client.patch(
        path, json={"full_name": "Tên mới"}, headers={**admin, "If-Match": etag}
    )
    stale = await client.patch(
        path, json={"full_name": "Tên khác"}, headers={**admin, "If-Match": etag}
    )

    assert missing.status_code == 428 and missing.json()["code"] == "if_match_required"
    assert first.status_code == 200 and first.headers["etag"] != etag
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"
    assert (await client.get(path, headers=admin)).json()["full_name"] == "Tên mới"


async def test_changing_a_password_revokes_old_tokens(app, client, session):
    _, admin = await signed_in(app, session)
    other, other_headers = await signed_in(app, session, "unit")

    response = await client.patch(
        f"/api/v1/users/{other.id}",
        json={"password": "a-brand-new-password"},
        headers={**admin, "If-Match": f'"{other.version}"'},
    )

    assert response.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=other_headers)).status_code == 401


async def test_user_changes_are_audited(app, client, session):
    _, admin = await signed_in(app, session)
    body = {"username": "audited", "full_name": "A", "password": "a-long-password"}
    created = await client.post("/api/v1/users", json={**body, "role": "reader"}, headers=admin)

    log = await client.get(
        "/api/v1/audit",
        params={"entity_type": "user", "entity_id": created.json()["id"]},
        headers=admin,
    )

    entries = log.json()["items"]
    assert [e["action"] for e in entries] == ["user.created"]
    assert entries[0]["after"]["username"] == "audited"
    assert "password" not in str(entries[0])


async def test_users_are_filtered_by_unit_role_and_active(app, client, session):
    admin_user, admin = await signed_in(app, session)
    unit, other = await make_unit(session), await make_unit(session)
    clerk = await make_user(session, "unit", unit_id=unit.id)
    await make_user(session, "unit", unit_id=other.id)
    gone = await make_user(session, "unit", unit_id=unit.id, active=False)
    reader = await make_user(session, "reader")
    await session.commit()

    def ids(response):
        assert response.status_code == 200, response.text
        return [u["id"] for u in response.json()["items"]]

    of_unit = await client.get(f"/api/v1/users?unit_id={unit.id}", headers=admin)
    active_of_unit = await client.get(f"/api/v1/users?unit_id={unit.id}&active=true", headers=admin)
    inactive = await client.get("/api/v1/users?active=false", headers=admin)
    readers = await client.get("/api/v1/users?role=reader", headers=admin)

    assert ids(of_unit) == [clerk.id, gone.id]
    assert ids(active_of_unit) == [clerk.id]
    assert ids(inactive) == [gone.id]
    assert ids(readers) == [reader.id]
    assert admin_user.id not in ids(of_unit)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users?unitid=3",
        "/api/v1/units?kind=agency&colour=red",
        "/api/v1/tasks?updatedsince=x",
    ],
)
async def test_an_unknown_query_parameter_is_422_not_ignored(app, client, session, path):
    _, admin = await signed_in(app, session)

    response = await client.get(path, headers=admin)

    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["code"] == "validation_error"
    unknown = path.split("?")[1].split("&")[-1].split("=")[0]
    assert problem["errors"] == [
        {"loc": ["query", unknown], "msg": "Trường không được phép gửi.", "type": "extra_forbidden"}
    ]


async def test_declared_aliases_and_dependency_parameters_are_known(app, client, session):
    _, admin = await signed_in(app, session)

    # `limit`/`offset` come from the paging dependency, `from` is the alias of `from_`.
    audit = await client.get(
        "/api/v1/audit?from=2026-01-01T00:00:00&limit=5&offset=0", headers=admin
    )
    tasks = await client.get(
        "/api/v1/tasks?as_of=2026-04-01&overdue=true&sort=-code", headers=admin
    )

    assert audit.status_code == 200, audit.text
    assert tasks.status_code == 200, tasks.text
