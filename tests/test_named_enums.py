"""Closed lists are named enums in the OpenAPI document, the same on the read and write side,
so a generated client gets one `Role` type, not a string on reads and a union on writes."""

import pytest


def _ref(schema: dict) -> str | None:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    for option in schema.get("anyOf", []):
        if "$ref" in option:
            return option["$ref"].rsplit("/", 1)[1]
    return None


@pytest.mark.parametrize(
    ("model", "field", "enum"),
    [
        ("UserCreate", "role", "Role"),
        ("UserRead", "role", "Role"),
        ("Me", "role", "Role"),
        ("UnitCreate", "kind", "UnitKind"),
        ("UnitUpdate", "kind", "UnitKind"),
        ("UnitRead", "kind", "UnitKind"),
        ("ClusterCreate", "kind", "ClusterKind"),
        ("ClusterRead", "kind", "ClusterKind"),
        ("CouncilMemberCreate", "council_role", "CouncilRole"),
        ("CouncilMemberRead", "council_role", "CouncilRole"),
    ],
)
async def test_the_field_names_its_enum(app, model, field, enum):
    schemas = app.openapi()["components"]["schemas"]

    assert _ref(schemas[model]["properties"][field]) == enum
    assert schemas[enum]["type"] == "string" and schemas[enum]["enum"]


async def test_list_filters_use_the_same_enums(app):
    paths = app.openapi()["paths"]

    def parameter(path: str, name: str) -> dict:
        [found] = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        return found["schema"]

    assert _ref(parameter("/api/v1/users", "role")) == "Role"
    assert _ref(parameter("/api/v1/units", "kind")) == "UnitKind"
    assert _ref(parameter("/api/v1/clusters", "kind")) == "ClusterKind"
