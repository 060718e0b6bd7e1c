"""Each operation of the document reads as documentation, not as a function name: a short
summary written for the user, a description of its own, a stable unique operationId, tags that
are declared and described, and who may call it, taken from the permissions table."""

from collections import Counter

from fastapi.routing import APIRoute, iter_route_contexts

from app.api.openapi import ROLE_NAMES, route_actions
from app.cli import render_openapi
from app.core.principal import ALL_ROLES


def _routes(app) -> list[APIRoute]:
    return [
        route
        for context in iter_route_contexts(app.routes)
        if isinstance(route := context.original_route, APIRoute) and route.include_in_schema
    ]


def _operations(document) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_route_has_a_written_summary_and_its_own_description(app):
    lacking = []
    for route in _routes(app):
        generated = route.name.replace("_", " ").title()  # what FastAPI would make of it
        summary = (route.summary or "").strip()
        if not summary or summary == generated or summary.lower() == generated.lower():
            lacking.append(f"{route.path} {route.name}: summary {summary!r}")
        if len((route.description or "").strip()) < 20:
            lacking.append(f"{route.path} {route.name}: no description of its own")
        if len(summary) > 60 or summary.endswith("."):
            lacking.append(f"{route.path} {route.name}: summary is not a short title")

    assert lacking == []


def test_the_document_carries_them_with_unique_operation_ids(app):
    document = app.openapi()
    operations = _operations(document)

    ids = Counter(operation["operationId"] for _, _, operation in operations)
    assert [name for name, count in ids.items() if count > 1] == []
    assert {route.name for route in _routes(app)} == set(ids)  # stable: the function's name
    for method, path, operation in operations:
        assert operation["summary"].strip(), (method, path)
        assert operation["description"].strip(), (method, path)


def test_every_tag_used_is_declared_with_a_description(app):
    document = app.openapi()
    declared = {tag["name"]: tag.get("description", "") for tag in document["tags"]}
    used = {tag for _, _, operation in _operations(document) for tag in operation["tags"]}

    assert used - set(declared) == set()
    assert [name for name, text in declared.items() if not text.strip()] == []


def test_each_description_says_who_may_call_it_as_the_permissions_table_does(app):
    document = app.openapi()
    actions = route_actions(app)
    by_id = {operation["operationId"]: operation for _, _, operation in _operations(document)}

    # A unit's own action: units and cluster heads are named, Sở Nội vụ and readers are not.
    submit = by_id["submit_dossier"]["description"]
    assert ROLE_NAMES["unit"] in submit and ROLE_NAMES["cluster_head"] in submit
    assert ROLE_NAMES["noi_vu"] not in submit and ROLE_NAMES["reader"] not in submit
    assert "`not_dossier_owner`" in submit
    assert "every role" in by_id["list_units"]["description"]
    assert "no sign-in needed" in by_id["login"]["description"]
    for operation_id, action in actions.items():
        text = by_id[operation_id]["description"]
        for role in ALL_ROLES:
            named = ROLE_NAMES[role] in text or "every role" in text
            assert named == (role in action.roles), (operation_id, role)


def test_the_committed_document_is_the_one_described_here():
    """The same checks reach the file clients generate from (drift is caught elsewhere)."""
    assert '"summary": "Submit a dossier"' in render_openapi()
