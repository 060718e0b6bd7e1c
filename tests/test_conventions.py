"""The contract's conventions, across the whole API."""

import asyncio
import logging

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select

from app.api.deps import ActionGate, PublicGate
from app.api.routing import TransactionalRoute, feature_router
from app.models import Unit
from app.services.permissions import ACTIONS
from tests.factories import PASSWORD, make_user, signed_in

PUBLIC_PATHS = {
    "/api/v1/auth/token",
    "/api/v1/auth/refresh",
    "/api/v1/calendar/{token}.ics",
    "/api/v1/public/disclosures",
    "/api/v1/public/awards",
}


def _gates(dependant) -> list[ActionGate | PublicGate]:
    found = [d.call for d in dependant.dependencies if isinstance(d.call, ActionGate | PublicGate)]
    for sub in dependant.dependencies:
        found.extend(_gates(sub))
    return found


def api_routes(app) -> list[tuple[str, APIRoute]]:
    """(full path, route) for every route of the app, through included routers."""
    return [
        (context.path, context.original_route)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def _v1(app) -> list[tuple[str, APIRoute]]:
    routes = [(p, r) for p, r in api_routes(app) if p.startswith("/api/v1")]
    assert len(routes) > 20  # the walk really reached the routers
    return routes


def test_every_api_route_declares_its_roles(app):
    unguarded = [
        f"{sorted(route.methods)} {path}"
        for path, route in _v1(app)
        if path not in PUBLIC_PATHS
        and not any(isinstance(g, ActionGate) for g in _gates(route.dependant))
    ]
    assert unguarded == []


def test_every_api_route_is_bound_to_exactly_one_action(app):
    bound = {
        f"{sorted(r.methods)} {p}": [g.action.name for g in _gates(r.dependant)]
        for p, r in _v1(app)
    }

    assert {route: names for route, names in bound.items() if len(names) != 1} == {}


def test_every_action_of_the_table_is_used_by_a_route(app):
    used = [g.action.name for _, r in _v1(app) for g in _gates(r.dependant)]

    assert sorted(set(ACTIONS) - set(used)) == []
    assert len(used) == len(set(used))  # and by one route only


def test_only_the_sign_in_routes_the_calendar_feed_and_the_public_surface_are_public(app):
    public = {p for p, r in _v1(app) for g in _gates(r.dependant) if isinstance(g, PublicGate)}

    assert public == PUBLIC_PATHS


def test_every_api_route_commits_through_the_transactional_route(app):
    loose = [
        f"{sorted(r.methods)} {p}: {type(r).__name__}"
        for p, r in _v1(app)
        if not isinstance(r, TransactionalRoute)
    ]

    assert loose == []


def test_the_router_factory_refuses_a_route_class_that_does_not_commit():
    with pytest.raises(TypeError):
        feature_router(route_class=APIRoute)


def test_operation_ids_are_unique_and_named_after_routes(app):
    paths = app.openapi()["paths"].values()
    ids = [operation["operationId"] for path in paths for operation in path.values()]
    assert len(ids) == len(set(ids))
    assert "list_units" in ids and "create_user" in ids


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/no-such-thing", 404, "not_found"),
        ("DELETE", "/api/v1/units", 405, "method_not_allowed"),
        ("GET", "/api/v1/units", 401, "not_authenticated"),
    ],
)
async def test_framework_errors_are_problems(client, method, path, status, code):
    response = await client.request(method, path)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"].endswith(code) and body["instance"] == path
    assert body["title"] and body["detail"]


async def test_validation_errors_list_each_field(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.post("/api/v1/units", json={"name": "", "status": "x"}, headers=admin)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    locs = {tuple(e["loc"]) for e in body["errors"]}
    assert ("body", "code") in locs and ("body", "status") in locs and ("body", "name") in locs


async def test_malformed_json_is_a_problem_not_a_crash(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.post(
        "/api/v1/units",
        content=b"{not json",
        headers={**admin, "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_request_id_is_returned_and_kept_when_sane(client):
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})

    assert given.headers["x-request-id"] == "abc-123"
    assert made.headers["x-request-id"] not in ("", "bad id\nwith newline")


async def test_readyz_reports_the_migration_head(client):
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


# ---- Idempotency-Key -----------------------------------------------------------------------


async def _unit_count(app) -> int:
    async with app.state.db.sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(Unit))


async def test_same_key_same_body_replays_without_creating(app, client, session):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "k-1"}
    body = {"code": "SNV", "name": "Sở Nội vụ"}

    first = await client.post("/api/v1/units", json=body, headers=headers)
    again = await client.post("/api/v1/units", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert await _unit_count(app) == 1


async def test_same_key_other_body_is_422(app, client, session):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "k-2"}
    await client.post("/api/v1/units", json={"code": "A", "name": "A"}, headers=headers)

    other = await client.post("/api/v1/units", json={"code": "B", "name": "B"}, headers=headers)

    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert await _unit_count(app) == 1


async def test_keys_are_scoped_to_their_caller(app, client, session):
    _, admin = await signed_in(app, session)
    _, other_admin = await signed_in(app, session)

    a = await client.post(
        "/api/v1/units", json={"code": "A", "name": "A"}, headers={**admin, "Idempotency-Key": "k"}
    )
    b = await client.post(
        "/api/v1/units",
        json={"code": "B", "name": "B"},
        headers={**other_admin, "Idempotency-Key": "k"},
    )

    assert a.status_code == b.status_code == 201
    assert await _unit_count(app) == 2


async def test_a_failed_request_frees_its_key(app, client, session):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "k-3"}

    bad = await client.post("/api/v1/units", json={"code": "A", "name": ""}, headers=headers)
    good = await client.post("/api/v1/units", json={"code": "A", "name": "A"}, headers=headers)

    assert bad.status_code == 422 and good.status_code == 201


async def test_twenty_concurrent_creates_with_one_key_make_one_unit(app, client, session):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "burst"}
    body = {"code": "BURST", "name": "Đơn vị"}

    responses = await asyncio.gather(
        *(client.post("/api/v1/units", json=body, headers=headers) for _ in range(20))
    )

    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    assert 201 in statuses
    for r in responses:
        if r.status_code == 409:
            assert r.json()["code"] == "idempotency_in_progress"
    assert await _unit_count(app) == 1


# ---- logs ------------------------------------------------------------------------------------


async def test_no_password_or_token_reaches_the_logs(app, client, session, caplog):
    user = await make_user(session)
    await session.commit()
    caplog.set_level(logging.INFO)

    login = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
    )
    token = login.json()["access_token"]
    await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})

    server_records = [r for r in caplog.records if not r.name.startswith("httpx")]
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in server_records)
    assert "request" in text  # the request log line was written
    assert PASSWORD not in text and token not in text


async def test_a_retried_upload_replays_although_its_multipart_boundary_changed(
    app, client, session
):
    _, admin = await signed_in(app, session)
    headers = {**admin, "Idempotency-Key": "upload-1"}
    payload = "TT\tNỘI DUNG\tDỰ KIẾN THỜI GIAN\tĐƠN VỊ CHỦ TRÌ\tĐƠN VỊ PHỐI HỢP\n"
    payload += "I\tNhiệm vụ thực hiện trong quý I\t\t\t\n1\tBáo cáo\t01/2026\tSở Nội vụ\t\n"

    def attempt(boundary: str):
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="phu-luc.tsv"\r\nContent-Type: text/tab-separated-values\r\n\r\n'
            f"{payload}\r\n--{boundary}--\r\n"
        ).encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return client.post(
            "/api/v1/plans/import?year=2026",
            content=body,
            headers={**headers, "Content-Type": content_type},
        )

    first = await attempt("first-boundary-1111")
    retry = await attempt("second-boundary-2222")

    assert first.status_code == 201, first.text
    assert retry.status_code == 201 and retry.headers.get("idempotent-replayed") == "true"
    assert retry.json() == first.json()


async def test_a_number_past_what_the_database_holds_is_a_422_not_a_500(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.get(f"/api/v1/units/{2**70}", headers=admin)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_concurrent_patches_with_one_etag_let_one_through(app, client, session):
    user, admin = await signed_in(app, session)
    path = f"/api/v1/users/{user.id}"
    headers = {**admin, "If-Match": f'"{user.version}"'}

    responses = await asyncio.gather(
        *(client.patch(path, json={"full_name": f"Tên {i}"}, headers=headers) for i in range(10))
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) == {200, 412}, statuses


async def test_an_id_past_32_bits_in_a_body_is_a_validation_error(app, client, session):
    _, admin = await signed_in(app, session)
    body = {"username": "x.y", "full_name": "A", "password": "a-long-password", "role": "unit"}

    response = await client.post("/api/v1/users", json={**body, "unit_id": 2**40}, headers=admin)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "unit_id"]


async def test_no_dependency_runs_in_the_thread_pool(app):
    """A plain `def` dependency or route is run in FastAPI's thread pool, a trip to another
    thread on every request for what is pure parsing: every one is `async def`."""
    from fastapi.dependencies.models import (
        _is_async_gen_callable,
        _is_coroutine_callable,
        _is_gen_callable,
    )
    from fastapi.routing import _IncludedRouter

    def routes(router):
        for route in router.routes:
            if isinstance(route, _IncludedRouter):
                yield from routes(route.original_router)
            elif isinstance(route, APIRoute):
                yield route

    def threaded(dependant):
        for sub in dependant.dependencies:
            call = sub.call
            if call is not None and not (
                _is_coroutine_callable(call) or _is_gen_callable(call)
                or _is_async_gen_callable(call)
            ):  # fmt: skip
                yield getattr(call, "__qualname__", type(call).__qualname__)
            yield from threaded(sub)

    found = {
        name
        for route in routes(app.router)
        for name in [*threaded(route.dependant)]
        + ([] if _is_coroutine_callable(route.endpoint) else [route.endpoint.__name__])
    }
    assert not found
