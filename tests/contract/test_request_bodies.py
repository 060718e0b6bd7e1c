"""Optional means optional: what the server fills in when a request leaves it out is not
required in the request bodies a generator sees, and what an answer always carries is."""

from app.api.openapi import _schema_names
from tests.factories import signed_in


def _request_schemas(document: dict) -> set[str]:
    bodies = [
        operation["requestBody"]
        for operations in document["paths"].values()
        for operation in operations.values()
        if "requestBody" in operation
    ]
    return _schema_names(bodies, document["components"]["schemas"], set())


async def test_a_defaulted_field_may_be_left_out_of_the_request_and_the_server_fills_it(
    app, client, session
):
    schemas = app.openapi()["components"]["schemas"]
    unit = schemas["UnitCreate"]
    assert "kind" not in unit["required"] and "default" not in unit["properties"]["kind"]
    assert "`other`" in unit["properties"]["kind"]["description"]
    nomination = schemas["NominationCreate"]
    assert "achievement_summary" not in nomination["required"]
    _, auth = await signed_in(app, session, "noi_vu")

    created = await client.post(
        "/api/v1/units", json={"code": "DV-OPT", "name": "Đơn vị không gửi loại"}, headers=auth
    )

    assert created.status_code == 201 and created.json()["kind"] == "other"


async def test_no_request_body_carries_a_default_a_generator_would_make_required(app):
    document = app.openapi()
    schemas = document["components"]["schemas"]
    for name in _request_schemas(document):
        for field, prop in schemas[name].get("properties", {}).items():
            assert "default" not in prop, f"{name}.{field}"


async def test_every_field_of_an_answer_is_required(app):
    """Answers are serialized whole: a read model's field with a default is still always sent."""
    schemas = app.openapi()["components"]["schemas"]
    for name in ("DossierRead", "NominationRead", "UnitRead", "Me", "Check"):
        schema = schemas[name]
        assert set(schema["properties"]) == set(schema["required"]), name


async def test_a_multipart_file_is_binary(app):
    paths = app.openapi()["paths"]
    upload = paths["/api/v1/dossiers/{dossier_id}/attachments"]["post"]["requestBody"]
    assert upload["content"]["multipart/form-data"]["schema"]["properties"]["file"] == {
        "type": "string", "format": "binary"
    }  # fmt: skip
    schemas = app.openapi()["components"]["schemas"]
    for name in ("Body_import_plan", "Body_import_ratings", "Body_upload_document_template"):
        assert schemas[name]["properties"]["file"]["format"] == "binary", name
