"""Every free-text field and list a client may send has a cap, stated in the OpenAPI document."""

import json

from app.cli import OPENAPI_PATH

BOUNDED = ("maxLength", "enum", "const", "format", "pattern")


def _unbounded(schema: dict, where: str, defs: dict) -> list[str]:
    if "$ref" in schema:
        return []  # the referenced component is checked on its own
    found = []
    for option in schema.get("anyOf", [schema]):
        kind = option.get("type")
        if kind == "string" and not any(k in option for k in BOUNDED):
            found.append(f"{where}: string without maxLength")
        if kind == "array":
            if "maxItems" not in option:
                found.append(f"{where}: array without maxItems")
            found += _unbounded(option.get("items", {}), f"{where}[]", defs)
    return found


def test_request_bodies_and_query_strings_are_capped():
    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    found = []
    for name, schema in schemas.items():
        if schema.get("additionalProperties") is False:  # a request body (StrictModel)
            for field, prop in schema.get("properties", {}).items():
                found += _unbounded(prop, f"{name}.{field}", schemas)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                where = f"{method.upper()} {path} ?{param['name']}"
                found += _unbounded(param.get("schema", {}), where, schemas)

    assert found == [], "\n".join(found)
