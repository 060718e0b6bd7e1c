"""The OpenAPI document as a generated client sees it.

Each operation's summary and description live with its route (`summary=` and the route
function's docstring); the sentence saying who may call it is added here from the permissions
table, so it cannot drift from the role gate.

FastAPI documents an extra response with a `model` under `application/json`, which the server
never sends for an error. Here every 4xx and 5xx answer of every operation is declared once,
as what the error handlers send: `application/problem+json` with the `Problem` schema (its
`code` a named enum of every stable code, its extension members typed).
"""

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.deps import ActionGate, PublicGate
from app.api.fields import ALWAYS, FieldSelector
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
        "description": "Commendation decisions (quyết định khen thưởng), "
        "disclosure and the central government's answers.",
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
            answer = operation["responses"]["200"]["content"]["application/json"]
            page = _component(answer["schema"]["$ref"])
            item = _component(schemas[page]["properties"]["items"]["items"]["$ref"])
            cut_item, cut_page = f"{item}Fields", f"{page}Fields"
            schemas[cut_item] = {
                **schemas[item],
                "title": cut_item,
                "description": f"{item} with only the members asked for by `fields`.",
                "required": [ALWAYS],
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
                        "description": "The members each item carries (`id` first)",
                    },
                },
                "required": [*schemas[page].get("required", []), "fields"],
            }
            answer["schema"] = {
                "anyOf": [answer["schema"], {"$ref": REF_TEMPLATE.format(model=cut_page)}]
            }
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def install_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            declare_problems(document)
            describe_operations(app, document)
            declare_field_sets(app, document)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
