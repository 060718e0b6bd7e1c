"""The headers in the OpenAPI document are the headers the server reads and sends.

A generated client learns from the document that a PATCH needs `If-Match`, that a creating
POST may carry an `Idempotency-Key`, and which answers carry `ETag`, `Location`, `Retry-After`
and `X-Request-ID`. Each declaration is held to the behaviour here, over every operation: the
server refuses a PATCH without If-Match exactly where the document says it is required, reads
If-Match and Idempotency-Key exactly where the document declares them. The answers' ETag and
Location are compared with the document on every request of the whole suite (tests/conftest.py
fails a test whose answers send or omit one against their declaration).
"""

import httpx
from fastapi import Response
from fastapi.routing import APIRoute, iter_route_contexts

from app.api import openapi
from app.api.deps import ActionGate
from tests.factories import PASSWORD, make_user, signed_in

STREAMS = {"/api/v1/events/stream"}  # a server-sent event stream never ends
BAD_IDEMPOTENCY_KEY = "k" * 201


def _operations(app) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, operations in app.openapi()["paths"].items()
        if path not in STREAMS
        for method, operation in operations.items()
    ]


def _headers(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}


def _role(app, method: str, path: str) -> str | None:
    """A role the operation's gate admits (None for a public operation)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if (
            isinstance(route, APIRoute)
            and context.path_format == path
            and method.upper() in (route.methods or ())
        ):
            for dependency in route.dependant.dependencies:
                if isinstance(dependency.call, ActionGate):
                    return sorted(dependency.call.action.roles)[0]
            return None
    raise AssertionError(f"no route for {method} {path}")


def _url(path: str) -> str:
    """The path with each parameter filled (`1`): the refusals tested come before any lookup."""
    parts = [
        ("1" if part.startswith("{") and part.endswith("}") else part) for part in path.split("/")
    ]
    url = "/".join(parts)
    return url.replace("{token}.ics", "x.ics")


async def _call(app, client, session, method, path, headers) -> httpx.Response:
    role = _role(app, method, path)
    auth = {}
    if role is not None:
        _, auth = await signed_in(app, session, role)
    body = {} if method in ("post", "put", "patch") else None
    return await client.request(method, _url(path), headers={**auth, **headers}, json=body)


def _code(response: httpx.Response) -> str | None:
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        return response.json().get("code")
    return None


async def test_every_patch_requires_if_match_and_the_server_refuses_one_without_it(
    app, client, session
):
    patches = [(m, p, o) for m, p, o in _operations(app) if m == "patch"]
    assert len(patches) >= 10

    for method, path, operation in patches:
        declared = _headers(operation).get("If-Match")
        assert declared is not None and declared["required"] is True, path
        assert {"412", "428"} <= set(operation["responses"]), path

        response = await _call(app, client, session, method, path, {})

        assert response.status_code == 428, (path, response.text)
        assert _code(response) == "if_match_required", path


async def test_if_match_is_declared_exactly_where_the_server_reads_it(app, client, session):
    """A malformed If-Match is refused (422 `invalid_if_match`) by the routes that read it and
    passes unnoticed by the others: the document declares it on the first and only there."""
    workflow_actions = 0
    for method, path, operation in _operations(app):
        response = await _call(app, client, session, method, path, {"If-Match": "not-a-tag"})
        reads_it = _code(response) == "invalid_if_match"

        assert reads_it == ("If-Match" in _headers(operation)), (method, path, response.text)
        if method == "post" and reads_it:
            workflow_actions += 1
            assert _headers(operation)["If-Match"]["required"] is False, path
    assert workflow_actions >= 20  # submit, receive, return, open, close, publish, ...


async def test_idempotency_key_is_declared_exactly_where_the_server_honours_it(
    app, client, session
):
    """A key the server would store must be 1–200 printable characters: a longer one is refused
    (422 `invalid_idempotency_key`) by every route that honours keys, ignored by the rest."""
    creating = 0
    for method, path, operation in _operations(app):
        headers = {"Idempotency-Key": BAD_IDEMPOTENCY_KEY}
        response = await _call(app, client, session, method, path, headers)
        honours = _code(response) == "invalid_idempotency_key"

        assert honours == ("Idempotency-Key" in _headers(operation)), (method, path)
        if honours:
            assert _headers(operation)["Idempotency-Key"]["required"] is False
            success = [s for s in operation["responses"] if s[:1] == "2"]
            for status in success:
                assert "Idempotent-Replayed" in operation["responses"][status]["headers"], path
            creating += "201" in success
    assert creating >= 20


async def test_a_replayed_create_says_so_as_declared(app, client, session):
    _, auth = await signed_in(app, session, "noi_vu")
    headers = {**auth, "Idempotency-Key": "unit-create-1"}
    body = {"code": "DV-KEY", "name": "Đơn vị thử khóa", "kind": "department"}

    first = await client.post("/api/v1/units", json=body, headers=headers)
    again = await client.post("/api/v1/units", json=body, headers=headers)

    assert first.status_code == again.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    declared = app.openapi()["paths"]["/api/v1/units"]["post"]["responses"]["201"]["headers"]
    assert {"Location", "ETag", "Idempotent-Replayed", "X-Request-ID"} <= set(declared)


async def test_single_resources_take_if_none_match_and_declare_the_304(app, client, session):
    document = app.openapi()
    operation = document["paths"]["/api/v1/units/{unit_id}"]["get"]
    assert "If-None-Match" in _headers(operation)
    assert "ETag" in operation["responses"]["304"]["headers"]
    _, auth = await signed_in(app, session, "noi_vu")
    created = await client.post(
        "/api/v1/units", json={"code": "DV-304", "name": "Đơn vị 304", "kind": "department"},
        headers=auth,
    )  # fmt: skip
    url = created.headers["location"]

    read = await client.get(url, headers=auth)
    again = await client.get(url, headers={**auth, "If-None-Match": read.headers["etag"]})

    assert again.status_code == 304 and again.headers["etag"] == read.headers["etag"]
    # Every GET that declares If-None-Match declares the ETag it compares with, and the 304.
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get and "If-None-Match" in _headers(get):
            assert "ETag" in get["responses"]["200"]["headers"], path
            assert "304" in get["responses"], path


async def test_every_answer_declares_x_request_id(app, client):
    for path, operations in app.openapi()["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                assert "X-Request-ID" in response["headers"], (path, status)

    answer = await client.get("/api/v1/units", headers={"X-Request-ID": "client-42"})
    assert answer.status_code == 401 and answer.headers["x-request-id"] == "client-42"


async def test_the_throttled_login_declares_and_sends_retry_after(app, client, session):
    user = await make_user(session, "noi_vu")
    await session.commit()
    declared = app.openapi()["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]
    assert "Retry-After" in declared["headers"]

    for _ in range(30):
        answer = await client.post(
            "/api/v1/auth/token", data={"username": user.username, "password": "sai-" + PASSWORD}
        )
        if answer.status_code == 429:
            break
    assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0


def test_an_answer_that_disagrees_with_its_declaration_is_caught(app):
    """The suite-wide check itself: an ETag sent where none is declared, a Location declared and
    not sent, are both recorded."""
    routes = {c.original_route.name: c.original_route for c in iter_route_contexts(app.routes)}
    document = app.openapi()
    try:
        untagged = Response(status_code=200, headers={"ETag": '"1-abc"'})
        openapi.check_sent_headers(document, routes["list_units"], untagged)
        nowhere = Response(status_code=201, headers={"ETag": '"1-abc"'})
        openapi.check_sent_headers(document, routes["create_unit"], nowhere)
        found = list(openapi.drift)
    finally:
        openapi.drift.clear()

    assert found == ["list_units 200 sends ETag", "create_unit 201 does not send Location"]
