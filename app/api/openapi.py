"""The OpenAPI document as a generated client sees it.

Each operation's summary and description live with its route (`summary=` and the route
function's docstring); the sentence saying who may call it is added here from the permissions
table, so it cannot drift from the role gate.

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
from app.api.deps import ActionGate, PublicGate
from app.api.fields import FieldSelector
from app.api.idempotency import MAX_KEY_LENGTH
from app.core.errors import PROBLEM_JSON
from app.core.principal import ALL_ROLES, CLUSTER_HEAD, COUNCIL_MEMBER, NOI_VU, READER, UNIT
from app.schemas.common import Problem
from app.services.permissions import Action

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


WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
CONCURRENT_UPDATE = (
    "`concurrent_update`: cơ sở dữ liệu (PostgreSQL) hủy giao dịch vì tranh chấp với một giao "
    "dịch khác (deadlock, serialization failure); không có gì được lưu, gửi lại sau số giây "
    "trong Retry-After"
)


def declare_concurrent_update(document: dict[str, Any]) -> None:
    """Any write may meet another in the database and be rolled back whole: every write
    operation declares the 409 `concurrent_update` (with Retry-After) that
    app/core/errors.py answers then, beside its own 409s if it has any."""
    for path, operations in document.get("paths", {}).items():
        if path in NOT_PROBLEMS:
            continue
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            own = responses.get("409")  # may be shared with other operations: copied
            description = f"{own['description']}; hoặc {CONCURRENT_UPDATE}" if own else None
            responses["409"] = {**(own or {}), "description": description or CONCURRENT_UPDATE}
            responses["409"]["headers"] = {
                **responses["409"].get("headers", {}),
                "Retry-After": _header_ref("Retry-After"),
            }


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


ROLE_NAMES = {
    NOI_VU: "Sở Nội vụ (`noi_vu`)",
    CLUSTER_HEAD: "cluster heads, Trưởng cụm/khối (`cluster_head`)",
    COUNCIL_MEMBER: "council members, thành viên Hội đồng (`council_member`)",
    UNIT: "units, đơn vị (`unit`)",
    READER: "reporting scripts with a read-only token (`reader`)",
}
RULE_NOTES = {
    "in_scope": "Each caller sees only what lies in its scope; anything else is a 404.",
    "own_unit": "A unit acts for its own unit only (Sở Nội vụ for any).",
    "own_account": "Each caller acts on its own ones only.",
    "own_council": "Only members of the meeting's council, on their own ballot.",
    "owner_of_dossier": "Only the unit (or cluster head) that owns the dossier "
    "(403 `not_dossier_owner`).",
    "participant_of_task": "Only the task's lead or coordinating units, or Sở Nội vụ "
    "(403 `not_task_participant`).",
    "head_of_cluster": "Only the head of the table's cluster (403 `not_cluster_head`).",
    "owner_of_score_sheet": "Only the unit whose sheet it is (403 `not_sheet_owner`).",
}
TAGS = [
    {"name": "health", "description": "Liveness and readiness probes for the load balancer."},
    {"name": "auth", "description": "Sign-in (đăng nhập), tokens and service tokens."},
    {"name": "users", "description": "User accounts (tài khoản) and their roles."},
    {
        "name": "directory",
        "description": "Units (đơn vị), clusters and blocs (cụm, khối thi "
        "đua) and the council (Hội đồng Thi đua - Khen thưởng).",
    },
    {"name": "audit", "description": "The append-only audit log (nhật ký)."},
    {"name": "plans", "description": "The yearly plans (kế hoạch thi đua, khen thưởng)."},
    {"name": "tasks", "description": "The plans' tasks (nhiệm vụ) and progress reports."},
    {"name": "reports", "description": "Counts for dashboards (báo cáo thống kê)."},
    {
        "name": "award types",
        "description": "The catalogue of award types (hình thức khen "
        "thưởng), their thresholds, papers and criteria.",
    },
    {"name": "rounds", "description": "Submission rounds (đợt xét khen thưởng) and extensions."},
    {
        "name": "dossiers",
        "description": "Commendation dossiers (hồ sơ đề nghị khen thưởng), "
        "their nominations, papers and review.",
    },
    {
        "name": "holidays",
        "description": "Days off and working days (ngày nghỉ) that the "
        "working-day clocks count with.",
    },
    {"name": "events", "description": "The event feed (sự kiện) and its live stream."},
    {"name": "webhooks", "description": "Signed push deliveries of the event feed."},
    {
        "name": "meetings",
        "description": "Council meetings (phiên họp Hội đồng), agenda, "
        "attendance and secret ballots (bỏ phiếu kín).",
    },
    {
        "name": "decisions",
        "description": "Commendation decisions (quyết định khen thưởng) "
        "and the central government's answers.",
    },
    {
        "name": "disclosures",
        "description": "Public disclosure (công khai): the published lists of nominations, "
        "their comment deadline and the opinions (ý kiến) received.",
    },
    {"name": "complaints", "description": "Complaints (khiếu nại, phản ánh) about nominations."},
    {
        "name": "award history",
        "description": "Awards already conferred (lịch sử khen thưởng), which later checks count.",
    },
    {"name": "rule-values", "description": "Legal clocks and quorum shares (tham số quy định)."},
    {
        "name": "documents",
        "description": "Printed papers (tờ trình, biên bản, phiếu bầu) and their Word templates.",
    },
    {
        "name": "nominees",
        "description": "Facts about people and collectives: ratings (xếp "
        "loại), discipline (kỷ luật), initiatives (sáng kiến).",
    },
    {"name": "calendar", "description": "Calendar subscription feeds (lịch) for calendar apps."},
    {
        "name": "public",
        "description": "Read without signing in, rate-limited: the lists under public "
        "disclosure and the awards already decided (tra cứu khen thưởng).",
    },
    {
        "name": "emulation",
        "description": "Cluster emulation scoring (chấm điểm thi đua cụm, "
        "khối): tables, sheets, ranking and result.",
    },
]
# Every path is under the server the document is read from.
SERVERS = [{"url": "/", "description": "The server this document is served by"}]


def who_may(action: Action) -> str:
    """The sentence of the permissions table for one action, for the operation's description."""
    if action.public:
        return "**Who may call it:** anyone; no sign-in needed."
    if action.roles == frozenset(ALL_ROLES):
        callers = "every role"
    else:
        callers = ", ".join(ROLE_NAMES[role] for role in ALL_ROLES if role in action.roles)
    note = RULE_NOTES.get(action.rule.name)
    return f"**Who may call it:** {callers}." + (f" {note}" if note else "")


def route_actions(app: FastAPI) -> dict[str, Action]:
    """operationId → the action of the permissions table its route is gated by."""
    found: dict[str, Action] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            for dependency in route.dependant.dependencies:
                if isinstance(dependency.call, ActionGate | PublicGate):
                    # The operationId is the route function's name (`app.main.operation_id`).
                    found[route.operation_id or route.name] = dependency.call.action
    return found


def describe_operations(app: FastAPI, document: dict[str, Any]) -> None:
    """Add who may call each operation to its description; declare the tags and servers."""
    actions = route_actions(app)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            action = actions.get(operation.get("operationId", ""))
            if action is not None:
                text = operation.get("description", "").rstrip()
                operation["description"] = f"{text}\n\n{who_may(action)}".lstrip()
    document["tags"] = TAGS
    document["servers"] = SERVERS


def _field_selectors(app: FastAPI) -> dict[str, FieldSelector]:
    """operationId → the `fields` parameter of each list that takes one."""
    found: dict[str, FieldSelector] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            for dependency in route.dependant.dependencies:
                if isinstance(dependency.call, FieldSelector):
                    found[route.operation_id or route.name] = dependency.call
    return found


def _component(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def _merged_variants(schemas: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """An item schema as one object: a union's variants (the events, by `type`) merged, each
    member any of the variants' schemas for it, so that the cut item has one set of members."""
    if "oneOf" not in item:
        return item
    members: dict[str, list[dict[str, Any]]] = {}
    for variant in item["oneOf"]:
        for name, schema in schemas[_component(variant["$ref"])]["properties"].items():
            known = members.setdefault(name, [])
            if schema not in known:
                known.append(schema)
    properties = {n: s[0] if len(s) == 1 else _any_of(s) for n, s in members.items()}
    kept = {k: v for k, v in item.items() if k not in ("oneOf", "discriminator")}
    return {**kept, "type": "object", "properties": properties}


def _any_of(options: list[dict[str, Any]]) -> dict[str, Any]:
    """One schema for a member the variants declare differently: their string values as one
    enum (the union's discriminator), else any of them."""
    values = [o.get("enum", [o.get("const")]) for o in options]
    if all(o.get("type") == "string" for o in options) and all(None not in v for v in values):
        return {"type": "string", "enum": [value for v in values for value in v]}
    return {"anyOf": options}


def declare_field_sets(app: FastAPI, document: dict[str, Any]) -> None:
    """Each list with `fields`: the parameter is an array of the item's field names (an enum,
    comma-separated: `fields=id,status`), and its 200 answer is either the full page or the
    page cut to those fields, a schema of its own in which only `id` is required and which
    says which fields it carries (`fields`)."""
    schemas = document["components"]["schemas"]
    selectors = _field_selectors(app)
    for operations in document["paths"].values():
        for operation in operations.values():
            selector = selectors.get(operation.get("operationId", ""))
            if selector is None:
                continue
            for parameter in operation["parameters"]:
                if parameter["name"] == "fields":
                    parameter["schema"] = {
                        "type": "array",
                        "items": {"type": "string", "enum": selector.names},
                        "minItems": 1,
                        "maxItems": len(selector.names),
                        "title": "Fields",
                    }
                    parameter["style"], parameter["explode"] = "form", False
                    parameter["description"] = (
                        "Trả về mỗi mục chỉ với các trường này (cách nhau bởi dấu phẩy); "
                        f"`{selector.key}` luôn có. Sparse fieldset: "
                        f"`fields={','.join(selector.names[:3])}`."
                    )
            answer = operation["responses"]["200"]["content"]["application/json"]
            page = _component(answer["schema"]["$ref"])
            item = _component(schemas[page]["properties"]["items"]["items"]["$ref"])
            cut_item, cut_page = f"{item}Fields", f"{page}Fields"
            schemas[cut_item] = {
                **_merged_variants(schemas, schemas[item]),
                "title": cut_item,
                "description": f"{item} with only the members asked for by `fields`.",
                "required": [selector.key],
            }
            schemas[cut_page] = {
                **schemas[page],
                "title": cut_page,
                "properties": {
                    **schemas[page]["properties"],
                    "items": {
                        "type": "array",
                        "items": {"$ref": REF_TEMPLATE.format(model=cut_item)},
                    },
                    "fields": {
                        "type": "array",
                        "items": {"type": "string", "enum": selector.names},
                        "description": f"The members each item carries (`{selector.key}` first)",
                    },
                },
                "required": [*schemas[page].get("required", []), "fields"],
            }
            answer["schema"] = {
                "anyOf": [answer["schema"], {"$ref": REF_TEMPLATE.format(model=cut_page)}]
            }
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def declare_sort_style(document: dict[str, Any]) -> None:
    """`sort` takes comma-separated keys (`sort=due_date,-code`): declared as a form array that
    is not exploded, so a generated client writes one `sort=a,b` and not `sort=a&sort=b`
    (which the server reads as well)."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "sort" and parameter["in"] == "query":
                    parameter["style"], parameter["explode"] = "form", False


def install_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            declare_concurrent_update(document)
            declare_problems(document)
            declare_headers(app.routes, document, app.state.settings.idempotency_ttl_hours)
            declare_request_defaults(document)
            describe_operations(app, document)
            declare_field_sets(app, document)
            declare_sort_style(document)
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
# Answers that may carry Retry-After: the throttles (429); a write's 409 `concurrent_update` is
# declared with it by `declare_concurrent_update`.
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
