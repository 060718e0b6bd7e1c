"""The OpenAPI document as a generated client sees it.

FastAPI documents an extra response with a `model` under `application/json`, which the server
never sends for an error. Here every 4xx and 5xx answer of every operation is declared once,
as what the error handlers send: `application/problem+json` with the `Problem` schema (its
`code` a named enum of every stable code, its extension members typed).
"""

from typing import Any

from fastapi import FastAPI

from app.core.errors import PROBLEM_JSON
from app.schemas.common import Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
REF_TEMPLATE = "#/components/schemas/{model}"
# Readiness answers 503 with its own report (what is not ready), not with a problem.
NOT_PROBLEMS = frozenset({"/readyz"})


def problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": dict(PROBLEM_REF)}}


def declare_problems(document: dict[str, Any]) -> None:
    """Put the Problem schema (and the schemas it uses) in the components and make every error
    response of every operation point at it, under `application/problem+json` only."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=REF_TEMPLATE, mode="serialization")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for path, operations in document.get("paths", {}).items():
        if path in NOT_PROBLEMS:
            continue
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[:1] in ("4", "5"):
                    response["content"] = problem_content()
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def install_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            declare_problems(build())
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
