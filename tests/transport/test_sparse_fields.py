"""Lighter lists: `fields=` cuts each item of a list to the members a client asks for, as a
mobile app listing dossiers would use it, and the OpenAPI document says so truthfully."""

import json

import jsonschema_rs
import pytest

from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round

LISTS = [
    "/dossiers",
    "/units",
    "/clusters",
    "/councils",
    "/plans",
    "/audit",
    "/award-types",
    "/webhooks",
    "/service-tokens",
    "/calendar-feeds",
    "/emulation/tables",
    "/tasks",
    "/award-history",
    "/users",
    "/rounds",
    "/meetings",
    "/decisions",
    "/events",
    "/ratings",
    "/discipline-records",
    "/initiatives",
]


async def _unit_with_dossiers(app, session, count=6):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    for _ in range(count):
        await make_dossier(session, unit, round_, nominations=3)
    await make_dossier(session, await make_unit(session), round_)  # another unit's
    await session.commit()
    _, headers = await signed_in(app, session, "unit", unit_id=unit.id)
    return headers


def _validator(app, schema):
    """A JSON Schema validator for one schema of the app's OpenAPI document, as a generated
    client would hold the answer to it."""
    components = app.openapi()["components"]
    return jsonschema_rs.Draft202012Validator({**schema, "components": components})


async def test_a_mobile_list_of_dossiers_gets_only_the_fields_it_asks_for(app, client, session):
    headers = await _unit_with_dossiers(app, session)

    full = await client.get("/api/v1/dossiers", headers=headers)
    light = await client.get(
        "/api/v1/dossiers", params={"fields": "id,status,title"}, headers=headers
    )

    assert light.status_code == 200, light.text
    body = light.json()
    assert [set(item) for item in body["items"]] == [{"id", "status", "title"}] * 6
    assert body["fields"] == ["id", "status", "title"]
    assert (body["total"], body["limit"], body["offset"]) == (6, 50, 0)  # the caller's scope
    by_id = {item["id"]: item for item in full.json()["items"]}
    for item in body["items"]:
        assert item["status"] == by_id[item["id"]]["status"]
        assert item["title"] == by_id[item["id"]]["title"]
    # Every nomination of every dossier stays on the server: a fraction of the bytes.
    assert len(light.content) * 4 < len(full.content), (len(light.content), len(full.content))


async def test_id_is_always_kept_and_a_repeated_parameter_is_read_too(app, client, session):
    headers = await _unit_with_dossiers(app, session, count=1)

    only_status = await client.get("/api/v1/dossiers?fields=status", headers=headers)
    repeated = await client.get("/api/v1/dossiers?fields=status&fields=code", headers=headers)

    assert set(only_status.json()["items"][0]) == {"id", "status"}
    assert set(repeated.json()["items"][0]) == {"id", "status", "code"}


@pytest.mark.parametrize(
    "asked", ["id,nominee_name", "", "status,,title", "STATUS", ",".join(["status"] * 100)]
)
async def test_an_unknown_field_is_a_422_that_names_the_allowed_ones(app, client, session, asked):
    headers = await _unit_with_dossiers(app, session, count=1)

    response = await client.get("/api/v1/dossiers", params={"fields": asked}, headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "invalid_fields"
    assert "status" in problem["allowed"] and "nominee_name" not in problem["allowed"]
    assert "Các trường được chọn" in problem["detail"]


async def test_a_computed_member_can_be_asked_for(app, client, session):
    """`overdue` of a task is computed on the day asked, not stored: it is kept all the same."""
    _, headers = await signed_in(app, session, "noi_vu")
    from tests.factories_dossiers import make_task

    await make_task(session)
    await session.commit()

    response = await client.get("/api/v1/tasks?fields=overdue,code", headers=headers)

    assert response.status_code == 200, response.text
    assert [set(item) for item in response.json()["items"]] == [{"id", "overdue", "code"}]


@pytest.mark.parametrize("path", LISTS)
async def test_every_light_list_answers_as_its_document_says(app, client, session, path):
    await load_catalogue(session)
    await make_round(session)
    _, headers = await signed_in(app, session, "noi_vu")  # makes a user: /users has one
    operation = app.openapi()["paths"][f"/api/v1{path}"]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == "fields"]
    names = parameter["schema"]["items"]["enum"]
    answer_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]

    key = names[0]  # what identifies an item: `id`, or `code` of an award type
    response = await client.get(f"/api/v1{path}", params={"fields": key}, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fields"] == [key] and all(set(item) == {key} for item in body["items"])
    _validator(app, answer_schema).validate(body)
    assert key in ("id", "code") and len(names) > 2
    assert (parameter["style"], parameter["explode"]) == ("form", False)


async def test_the_cut_answer_is_not_mistaken_for_the_full_one(app, client, session):
    """A generated client tells the two answers apart: the cut page does not validate as the
    full page (its items lack required members), only as the page with `fields`."""
    headers = await _unit_with_dossiers(app, session, count=1)
    schemas = app.openapi()["components"]["schemas"]
    full_ref = {"$ref": "#/components/schemas/ListEnvelope_DossierSummary_"}
    cut_ref = {"$ref": "#/components/schemas/ListEnvelope_DossierSummary_Fields"}

    light = (await client.get("/api/v1/dossiers?fields=id,status", headers=headers)).json()
    full = (await client.get("/api/v1/dossiers", headers=headers)).json()

    assert not _validator(app, full_ref).is_valid(light)
    assert _validator(app, cut_ref).is_valid(light)
    assert _validator(app, full_ref).is_valid(full) and not _validator(app, cut_ref).is_valid(full)
    assert schemas["DossierSummaryFields"]["required"] == ["id"]
    assert json.dumps(light, ensure_ascii=False).count("nominee_name") == 0


async def test_a_dossier_list_without_nominations_does_not_judge_them(
    app, client, session, count_queries
):
    """The server saves work too: nominations not asked for are not checked against the
    criteria (which reads the award history, ratings, discipline...)."""
    headers = await _unit_with_dossiers(app, session, count=3)

    with count_queries() as light:
        cut = await client.get("/api/v1/dossiers?fields=id,status", headers=headers)
    with count_queries() as full:
        whole = await client.get("/api/v1/dossiers", headers=headers)
    kept = await client.get("/api/v1/dossiers?fields=nominations", headers=headers)

    assert cut.status_code == whole.status_code == kept.status_code == 200
    assert light.count < full.count, (light.count, full.count)
    assert [len(d["nominations"]) for d in kept.json()["items"]] == [3, 3, 3]
    assert kept.json()["items"][0]["nominations"] == whole.json()["items"][0]["nominations"]


# Lists that do not take `fields=`, each with the reason. A new list route without `fields=`
# fails the walk below until it takes one or is named here.
WITHOUT_FIELDS = {
    "/api/v1/nominations/{nomination_id}/disclosures": "a nomination's few postings, one array",
    "/api/v1/nominations/{nomination_id}/complaints": "a nomination's few complaints, one array",
    "/api/v1/document-templates": "the fixed catalogue of paper templates, one array",
    "/api/v1/document-templates/{name}/versions": "one template's few versions, one array",
    "/api/v1/disclosures/{disclosure_id}/opinions": "one list's opinions, one array",
    "/api/v1/public/awards": "the public surface: a few members, one cached shape for everyone",
    "/api/v1/public/disclosures": "the public surface: a few members, one cached shape",
}


def _list_operations(document) -> dict[str, dict]:
    """Every GET whose answer is a list: a page (`ListEnvelope_…`) or a JSON array."""
    found = {}
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        content = (operation or {}).get("responses", {}).get("200", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        ref = (schema.get("anyOf") or [schema])[0].get("$ref", "")
        if "/ListEnvelope_" in ref or schema.get("type") == "array":
            found[path] = operation
    return found


def test_every_list_takes_fields_unless_it_says_why_not(app):
    lists = _list_operations(app.openapi())

    without = sorted(
        path for path, operation in lists.items()
        if "fields" not in {p["name"] for p in operation.get("parameters", [])}
    )  # fmt: skip

    assert len(lists) > 30
    assert without == sorted(WITHOUT_FIELDS)
