"""`/readyz` answers a typed `Readiness`, declared for both its 200 and its 503, so a probe
script or a generated client reads `status` and `database` without guessing the shape."""

from app.schemas.health import Readiness


async def test_the_readiness_answer_is_the_declared_model(app, client):
    response = await client.get("/readyz")
    answer = Readiness.model_validate_json(response.content)

    assert response.status_code == (200 if answer.status == "ok" else 503)
    assert answer.database == "ok"
    assert answer.migration is not None or answer.status == "unavailable"


async def test_both_answers_are_declared_as_readiness(app):
    responses = app.openapi()["paths"]["/readyz"]["get"]["responses"]

    for code in ("200", "503"):
        schema = responses[code]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Readiness"}
