"""Errors as a generated client sees them: each error answer is declared once, as
`application/problem+json` with the `Problem` schema, and the answers match that schema."""

from app.core.errors import ProblemCode
from tests.factories import signed_in
from tests.factories_dossiers import load_catalogue


def _error_responses(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    yield f"{method.upper()} {path} {status}", response


async def test_every_error_response_is_problem_json_with_the_problem_schema(app):
    document = app.openapi()
    wrong = {
        where: response.get("content")
        for where, response in _error_responses(document)
        if response.get("content")
        != {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    }
    assert not wrong
    assert sum(1 for _ in _error_responses(document)) > 400


async def test_the_problem_schema_names_every_code_and_types_errors(app):
    schemas = app.openapi()["components"]["schemas"]
    problem = schemas["Problem"]

    assert problem["properties"]["code"] == {"$ref": "#/components/schemas/ProblemCode"}
    assert set(schemas["ProblemCode"]["enum"]) == {code.value for code in ProblemCode}
    assert set(schemas["ValidationIssue"]["required"]) == {"loc", "msg", "type"}
    missing = problem["properties"]["missing"]["anyOf"][0]["items"]
    assert missing == {"$ref": "#/components/schemas/MissingDocument"}
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance", "code"}


async def test_validation_messages_are_vietnamese(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.post(
        "/api/v1/units",
        json={"code": "x", "name": "", "kind": "castle", "colour": "red"},
        headers=admin,
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = {tuple(e["loc"]): e for e in response.json()["errors"]}
    assert errors[("body", "name")]["msg"] == "Cần ít nhất 1 ký tự."
    assert errors[("body", "name")]["type"] == "string_too_short"
    assert errors[("body", "kind")]["msg"].startswith("Phải là một trong: 'department'")
    assert " hoặc " in errors[("body", "kind")]["msg"]
    assert errors[("body", "colour")]["msg"] == "Trường không được phép gửi."


async def test_our_own_validators_keep_their_text_without_the_english_prefix(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.post(
        "/api/v1/tasks",
        json={"plan_id": 1, "code": "I.1", "period": "Q1", "content": "x",
              "due": {"kind": "month"}},
        headers=admin,
    )  # fmt: skip

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["type"] == "value_error"
    assert error["msg"].startswith("thời hạn theo tháng cần month")


async def test_criterion_parameter_errors_are_shaped_like_validation_errors(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)

    response = await client.patch(
        "/api/v1/award-types/chien_si_thi_dua_cap_tinh",
        json={"criteria": [{"rule": "prior_consecutive", "years": 0}]},
        headers={**admin, "If-Match": '"1"'},
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error == {
        "loc": ["body", "criteria", 0, "years"],
        "msg": "Phải lớn hơn hoặc bằng 1.",
        "type": "greater_than_equal",
    }
