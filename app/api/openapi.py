"""The OpenAPI document as a generated client sees it.

FastAPI documents an extra response with a `model` under `application/json`, which the server
never sends for an error. Here every 4xx and 5xx answer of every operation is declared once,
as what the error handlers send: `application/problem+json` with the `Problem` schema (its
`code` a named enum of every stable code, its extension members typed).
"""

import json
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from app.api import deps
from app.api.idempotency import MAX_KEY_LENGTH
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


def _schema_names(node: Any, schemas: dict[str, Any], found: set[str]) -> set[str]:
    """The component schemas `node` uses, directly or through others."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in found:
                found.add(name)
                _schema_names(schemas.get(name, {}), schemas, found)
        for value in node.values():
            _schema_names(value, schemas, found)
    elif isinstance(node, list):
        for value in node:
            _schema_names(value, schemas, found)
    return found


def declare_request_defaults(document: dict[str, Any]) -> None:
    """What a client may leave out of a request body is optional in the types generated from it.

    A property the server fills in when it is absent is not `required`; generators such as
    openapi-typescript still make a property with a `default` required (it always has a value
    in an answer), so in request bodies the default is said in the description instead. A file
    of a multipart body is `format: binary`, which generators map to a file or blob type.
    """
    schemas = document.get("components", {}).get("schemas", {})
    bodies: list[Any] = [
        operation["requestBody"]
        for operations in document.get("paths", {}).values()
        for operation in operations.values()
        if "requestBody" in operation
    ]
    for name in sorted(_schema_names(bodies, schemas, set())):
        for prop in schemas[name].get("properties", {}).values():
            _request_property(prop)
    for body in bodies:
        for content in body.get("content", {}).values():
            for prop in content.get("schema", {}).get("properties", {}).values():
                _request_property(prop)


def _request_property(prop: dict[str, Any]) -> None:
    if "default" in prop:
        default = prop.pop("default")
        if default is not None and default != [] and default != "":
            said = default if isinstance(default, str) else json.dumps(default, ensure_ascii=False)
            text = prop.get("description", "").rstrip()
            prop["description"] = f"{text}{' ' if text else ''}Mặc định (khi không gửi): `{said}`."
    if prop.get("type") == "string" and "contentMediaType" in prop:
        prop["format"] = "binary"


def install_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            declare_problems(document)
            declare_headers(app.routes, document, app.state.settings.idempotency_ttl_hours)
            declare_request_defaults(document)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


# ---- Headers: declared from what each route does --------------------------------------------
# The request headers a route reads are found in its dependencies (`IfMatch`, `OptionalIfMatch`,
# an authenticated POST through `TransactionalRoute` for Idempotency-Key); the response headers
# from its response model (a `version` gives an ETag) and its declared responses (`CREATED`
# gives Location). In the tests, `TransactionalRoute` compares every answer it sends with the
# document (`check_sent_headers`), so a declaration and the behaviour cannot drift apart.

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "Mã của yêu cầu (request id): giá trị `X-Request-ID` client gửi, nếu hợp "
        "lệ, hoặc do máy chủ tạo; ghi trong nhật ký máy chủ — hãy gửi kèm khi báo lỗi.",
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": "Thẻ phiên bản của bản ghi như người gọi thấy (entity tag); gửi lại "
        "trong `If-Match` khi sửa, hoặc `If-None-Match` khi đọc lại.",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "Đường dẫn của tài nguyên vừa tạo.",
        "schema": {"type": "string"},
    },
    "Idempotent-Replayed": {
        "description": "`true` khi đây là câu trả lời đã lưu của lần gửi đầu với cùng "
        "`Idempotency-Key` (không thực hiện lại).",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Số giây cần chờ trước khi thử lại.",
        "schema": {"type": "integer", "minimum": 0},
    },
}
HEADER_REF = "#/components/headers/{name}"
IF_MATCH = "If-Match"
IF_NONE_MATCH = "If-None-Match"
IDEMPOTENCY_KEY = "Idempotency-Key"
# Answers that may carry Retry-After: the login's throttle (429).
RETRY_AFTER_STATUSES = frozenset({"429"})
TAGGED_METHODS = frozenset({"get", "post", "put", "patch", "delete"})


def _header_ref(name: str) -> dict[str, str]:
    return {"$ref": HEADER_REF.format(name=name)}


def _calls(route: APIRoute) -> set[Any]:
    """Every callable of the route's dependency tree."""
    found, pending = set(), [route.dependant]
    while pending:
        dependant = pending.pop()
        if dependant.call is not None:
            found.add(dependant.call)
        pending.extend(dependant.dependencies)
    return found


# Read models whose `version` is not the row version an ETag is made of (a template's version
# counts its uploads; no If-Match applies to it).
UNTAGGED_MODELS = frozenset({"DocumentTemplateRead"})


def _has_version(model: Any) -> bool:
    fields = getattr(model, "model_fields", None)
    return (
        isinstance(fields, dict)
        and "version" in fields
        and getattr(model, "__name__", "") not in UNTAGGED_MODELS
    )


# RFC 9110 §8.8.3: `*` or a list of entity tags (a bare version number is taken too); any
# other If-Match is refused with 422 `invalid_if_match`.
_TAG = r'(W/)?"[^"]*"|[0-9]+'
ENTITY_TAGS = {"type": "string", "pattern": rf"^\s*(\*|({_TAG})(\s*,\s*({_TAG}))*)\s*$"}
HEADER_SCHEMAS = {
    IF_MATCH: ENTITY_TAGS,
    IF_NONE_MATCH: ENTITY_TAGS,
    IDEMPOTENCY_KEY: {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def _parameter(name: str, required: bool, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": dict(HEADER_SCHEMAS[name]),
    }


IF_MATCH_REQUIRED = (
    "ETag của bản ghi đọc được (GET); sửa khi bản ghi chưa bị ai đổi, nếu không là 412 "
    "`version_mismatch`. Thiếu header là 428 `if_match_required`."
)
IF_MATCH_OPTIONAL = (
    "ETag của bản ghi đọc được (GET); nếu gửi, thao tác chỉ thực hiện khi bản ghi chưa bị ai "
    "đổi (nếu không là 412 `version_mismatch`)."
)
IDEMPOTENCY_KEY_TEXT = (
    "Khóa chống gửi trùng (1–200 ký tự in được), mỗi thao tác một khóa mới: gửi lại cùng khóa "
    "với cùng nội dung trong {hours} giờ nhận lại câu trả lời đã lưu (`Idempotent-Replayed: "
    "true`) thay vì thực hiện lần nữa; cùng khóa với nội dung khác là 422 "
    "`idempotency_key_reused`."
)
IF_NONE_MATCH_TEXT = (
    "ETag của bản đã có; nếu bản ghi (như người gọi thấy) không đổi, trả 304 không có nội dung."
)


def declare_headers(
    routes: Iterable[BaseRoute], document: dict[str, Any], idempotency_hours: int
) -> None:
    """Declare on each operation the headers its route reads and sends (see above)."""
    components = document.setdefault("components", {})
    components["headers"] = {name: HEADERS[name] for name in sorted(HEADERS)}
    for context in iter_route_contexts(list(routes)):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        calls = _calls(route)
        for method in route.methods:
            operation = document["paths"].get(context.path_format, {}).get(method.lower())
            if operation is not None:
                _declare(route, method.lower(), operation, calls, idempotency_hours)
    for operations in document["paths"].values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                headers = response["headers"] = dict(response.get("headers", {}))
                headers["X-Request-ID"] = _header_ref("X-Request-ID")


def _declare(
    route: APIRoute, method: str, operation: dict[str, Any], calls: set[Any], hours: int
) -> None:
    parameters = operation.setdefault("parameters", [])
    responses = operation.get("responses", {})
    if deps.if_match_required in calls:
        parameters.append(_parameter(IF_MATCH, True, IF_MATCH_REQUIRED))
    elif deps.if_match_optional in calls:
        parameters.append(_parameter(IF_MATCH, False, IF_MATCH_OPTIONAL))
    replayable = honours_idempotency_key(route, method, calls)
    if replayable:
        parameters.append(
            _parameter(IDEMPOTENCY_KEY, False, IDEMPOTENCY_KEY_TEXT.format(hours=hours))
        )
    tagged = method in TAGGED_METHODS and _has_version(route.response_model)
    for status, response in responses.items():
        headers = response["headers"] = dict(response.get("headers", {}))  # may be shared
        if status[:1] == "2" and tagged and status != "204":
            headers["ETag"] = _header_ref("ETag")
        if status[:1] == "2" and replayable:
            headers["Idempotent-Replayed"] = _header_ref("Idempotent-Replayed")
        if status in RETRY_AFTER_STATUSES:
            headers["Retry-After"] = _header_ref("Retry-After")
        if not headers:
            del response["headers"]
    if method == "get" and "ETag" in responses.get("200", {}).get("headers", {}):
        parameters.append(_parameter(IF_NONE_MATCH, False, IF_NONE_MATCH_TEXT))
        responses["304"] = {
            "description": "Không thay đổi: bản đã có (theo `If-None-Match`) vẫn đúng.",
            "headers": {"ETag": _header_ref("ETag")},
        }
    if not parameters:
        del operation["parameters"]


def honours_idempotency_key(route: APIRoute, method: str, calls: set[Any]) -> bool:
    """`TransactionalRoute` replays a POST sent again with its Idempotency-Key when the caller
    is signed in (the key belongs to the caller), unless the route class says it does not."""
    return (
        method == "post"
        and getattr(route, "honours_idempotency_key", False)
        and deps.get_principal in calls
    )


# Headers whose presence on a sent 2xx answer the document must say, both ways.
CHECKED_HEADERS = ("ETag", "Location")
drift: list[str] = []
check_sent_headers_enabled = False


def check_sent_headers(document: dict[str, Any], route: APIRoute, response: Any) -> None:
    """Record (in `drift`) a 2xx answer that sends a checked header its operation does not
    declare, or declares one it does not send. The tests fail on any record."""
    status = str(response.status_code)
    if status[:1] != "2":
        return
    operation = _operations(document).get(route.name, {})
    declared = operation.get("responses", {}).get(status, {}).get("headers", {})
    for name in CHECKED_HEADERS:
        sent = name.lower() in response.headers
        if sent != (name in declared):
            said = "sends" if sent else "does not send"
            drift.append(f"{route.name} {status} {said} {name}")


_by_operation_id: dict[int, dict[str, dict[str, Any]]] = {}


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's operations by operationId (the route's name)."""
    found = _by_operation_id.get(id(document))
    if found is None:
        found = _by_operation_id[id(document)] = {
            operation["operationId"]: operation
            for operations in document["paths"].values()
            for operation in operations.values()
        }
    return found
