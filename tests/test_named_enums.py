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
        ("DossierCreate", "kind", "DossierKind"),
        ("DossierUpdate", "kind", "DossierKind"),
        ("DossierRead", "kind", "DossierKind"),
        ("DossierSummary", "kind", "DossierKind"),
        ("DossierRead", "status", "DossierStatus"),
        ("DossierSummary", "status", "DossierStatus"),
        ("NominationRead", "status", "NominationStatus"),
        ("NominationSummary", "status", "NominationStatus"),
        ("AttachmentRead", "document_type", "DocumentType"),
        ("EventRead", "type", "EventType"),
        ("DeliveryRead", "event_type", "EventType"),
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


@pytest.mark.parametrize(
    ("model", "field", "enum"),
    [
        ("ReturnRequestRead", "document_types", "DocumentType"),
        ("SupplementRequest", "document_types", "DocumentType"),
        ("WebhookCreate", "event_types", "EventType"),
        ("WebhookUpdate", "event_types", "EventType"),
        ("WebhookRead", "event_types", "EventType"),
    ],
)
async def test_list_fields_name_their_enum(app, model, field, enum):
    schemas = app.openapi()["components"]["schemas"]

    assert _ref(schemas[model]["properties"][field]["items"]) == enum


async def test_the_upload_form_names_the_document_type(app):
    operation = app.openapi()["paths"]["/api/v1/dossiers/{dossier_id}/attachments"]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]

    assert _ref(form["properties"]["document_type"]) == "DocumentType"


async def test_the_document_types_are_those_the_service_accepts(app):
    from app.schemas.dossiers import DocumentType
    from app.services.award_types.catalogue import DOCUMENT_TYPES

    assert [member.value for member in DocumentType] == list(DOCUMENT_TYPES)


# Fields whose values come from a closed list; a read schema exposing one as a bare string
# (no `$ref` to its enum) would give a generated client `string` instead of the union.
CLOSED_FIELDS = {"role", "status", "kind", "document_type", "council_role"}
OPEN_STRINGS = {
    # Free text or a code from an editable catalogue, not a closed list.
    ("HistoryEntry", "actor_role"),
    ("ReaderHistoryEntry", "actor_role"),
}


async def test_no_read_schema_exposes_a_closed_list_as_a_plain_string(app):
    schemas = app.openapi()["components"]["schemas"]
    plain = []
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if field not in CLOSED_FIELDS or (name, field) in OPEN_STRINGS:
                continue
            options = prop.get("anyOf", [prop])
            if any(o.get("type") == "string" and not {"enum", "const"} & o.keys() for o in options):
                plain.append(f"{name}.{field}")

    assert plain == []


async def test_every_workflow_event_is_a_named_event_type():
    from app.core.event_types import EventType
    from app.services.workflow import TRANSITIONS

    events = {t.event for t in TRANSITIONS.values() if t.event}

    assert events - set(EventType) == set()


async def test_an_unlisted_event_type_is_refused_before_it_is_stored(session):
    from app.services import audit

    with pytest.raises(ValueError):
        await audit.emit(session, "dossier.misplaced", "dossier", 1)
