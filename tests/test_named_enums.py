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
        ("DeliveryRead", "event_type", "EventType"),
        ("RoundRead", "status", "RoundStatus"),
        ("MeetingRead", "status", "MeetingStatus"),
        ("MeetingCreate", "kind", "MeetingKind"),
        ("MeetingRead", "kind", "MeetingKind"),
        ("ComplaintRead", "status", "ComplaintStatus"),
        ("TaskRead", "status", "TaskStatus"),
        ("TaskUpdate", "status", "TaskStatus"),
        ("TaskReportCreate", "status", "TaskStatus"),
        ("TaskReportRead", "status", "TaskStatus"),
        ("TableRead", "status", "ScoreTableStatus"),
        ("Ranking", "status", "ScoreTableStatus"),
        ("ClusterProgress", "table_status", "ScoreTableStatus"),
        ("SheetRead", "status", "ScoreSheetStatus"),
        ("RankedUnit", "sheet_status", "ScoreSheetStatus"),
        ("ClusterVoteRead", "status", "ClusterVoteStatus"),
        ("DeliveryRead", "status", "DeliveryStatus"),
        ("NominationCreate", "nominee_kind", "NomineeKind"),
        ("NominationUpdate", "nominee_kind", "NomineeKind"),
        ("NominationRead", "nominee_kind", "NomineeKind"),
        ("NominationSummary", "nominee_kind", "NomineeKind"),
        ("AwardHistoryRead", "nominee_kind", "NomineeKind"),
        ("UnitTitleCreate", "nominee_kind", "NomineeKind"),
        ("RatingCreate", "nominee_kind", "NomineeKind"),
        ("RatingRead", "nominee_kind", "NomineeKind"),
        ("NomineeRecord", "nominee_kind", "NomineeKind"),
        ("AppraisalBody", "conclusion", "AppraisalConclusion"),
        ("Appraisal", "conclusion", "AppraisalConclusion"),
        ("NomineeNomination", "appraisal_conclusion", "AppraisalConclusion"),
        ("AwardTypeRead", "level", "AwardLevel"),
        ("AwardTypeRead", "recipient", "AwardRecipient"),
        ("DecisionCreate", "kind", "DecisionKind"),
        ("DecisionRead", "kind", "DecisionKind"),
        ("NominationDecision", "kind", "DecisionKind"),
        ("StateResultCreate", "outcome", "StateOutcome"),
        ("StateResultRead", "outcome", "StateOutcome"),
        ("AuditEntryRead", "actor_role", "Role"),
        ("HistoryEntry", "actor_role", "Role"),
        ("NominationRead", "vote_result", "NominationVoteResult"),
        ("NominationRead", "decision", "NominationDecision"),
        ("HistoryEntry", "before", "AuditSnapshot"),
        ("HistoryEntry", "after", "AuditSnapshot"),
        ("AuditEntryRead", "before", "AuditSnapshot"),
        ("AuditEntryRead", "after", "AuditSnapshot"),
    ],
)
async def test_the_field_names_its_schema(app, model, field, enum):
    schemas = app.openapi()["components"]["schemas"]

    assert _ref(schemas[model]["properties"][field]) == enum
    named = schemas[enum]
    assert (named["type"] == "string" and named["enum"]) or named["type"] == "object"


async def test_each_event_names_types_of_event_type(app):
    schemas = app.openapi()["components"]["schemas"]
    variants = [_ref(v) for v in schemas["EventRead"]["oneOf"]]
    named = set(schemas["EventType"]["enum"])

    seen = set()
    for variant in variants:
        declared = schemas[variant]["properties"]["type"]
        seen |= set(declared.get("enum", [declared.get("const")]))
    cut = set(schemas["EventReadFields"]["properties"]["type"]["enum"])
    assert seen == cut == named - {"webhook.ping"}


async def test_list_filters_use_the_same_enums(app):
    paths = app.openapi()["paths"]

    def parameter(path: str, name: str) -> dict:
        [found] = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        return found["schema"]

    assert _ref(parameter("/api/v1/users", "role")) == "Role"
    assert _ref(parameter("/api/v1/units", "kind")) == "UnitKind"
    assert _ref(parameter("/api/v1/clusters", "kind")) == "ClusterKind"
    assert _ref(parameter("/api/v1/rounds", "status")) == "RoundStatus"
    assert _ref(parameter("/api/v1/meetings", "status")) == "MeetingStatus"
    assert _ref(parameter("/api/v1/meetings", "kind")) == "MeetingKind"
    assert _ref(parameter("/api/v1/tasks", "status")) == "TaskStatus"
    assert _ref(parameter("/api/v1/plans/{plan_id}/tasks", "status")) == "TaskStatus"
    assert _ref(parameter("/api/v1/emulation/tables", "status")) == "ScoreTableStatus"
    assert _ref(parameter("/api/v1/webhooks/{webhook_id}/deliveries", "status")) == "DeliveryStatus"
    assert _ref(parameter("/api/v1/award-history", "nominee_kind")) == "NomineeKind"
    assert _ref(parameter("/api/v1/award-types", "level")) == "AwardLevel"
    assert _ref(parameter("/api/v1/award-types", "recipient")) == "AwardRecipient"
    assert _ref(parameter("/api/v1/decisions", "kind")) == "DecisionKind"


@pytest.mark.parametrize(
    ("model", "field", "enum"),
    [
        ("ReturnRequestRead", "document_types", "DocumentType"),
        ("ReturnRequestData", "document_types", "DocumentType"),
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


# Fields whose values come from a closed list; a schema exposing one as a bare string or as an
# inline enum (no `$ref` to its named enum) would give a generated client `string`, or a union
# repeated in every type, instead of the one named type.
CLOSED_FIELDS = {
    "role",
    "actor_role",
    "status",
    "table_status",
    "sheet_status",
    "kind",
    "nominee_kind",
    "document_type",
    "council_role",
    "conclusion",
    "appraisal_conclusion",
    "level",
    "recipient",
    "outcome",
    "rating",
    "requires_rating",
    "scope",
    "tie_rule",
    "proposal",
    "choice",
    "cast_as",
    "result",
    "effective_result",
    "eligibility",
    "owner_kind",
    "owner",
    "period",
}
INLINE_ALLOWED = {
    # A service token is only ever a reader: a single value, not a list to name.
    ("ServiceTokenCreate", "role"),
    ("ServiceTokenCreated", "role"),
    ("ServiceTokenRead", "role"),
    # Small lists local to one schema, not shared with a request or a filter.
    ("PriorAwardRead", "status"),
    ("Readiness", "status"),
    ("ClusterProgress", "kind"),
}


def _closed_field_offences(schemas: dict) -> list[str]:
    found = []
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if field not in CLOSED_FIELDS:
                continue
            options = prop.get("anyOf", [prop])
            if any(o.get("type") == "string" and not {"enum", "const"} & o.keys() for o in options):
                found.append(f"{name}.{field}: plain string")
            # A list's cut items (`…Fields`, see app/api/fields.py) copy their item's schema.
            elif (name.removesuffix("Fields"), field) not in INLINE_ALLOWED and any(
                {"enum", "const"} & o.keys() for o in options
            ):
                found.append(f"{name}.{field}: inline enum")
    return found


async def test_no_schema_exposes_a_closed_list_as_a_plain_string_or_inline_enum(app):
    schemas = app.openapi()["components"]["schemas"]

    assert _closed_field_offences(schemas) == []


async def test_a_closed_list_written_inline_is_caught():
    schemas = {
        "RoundRead": {"properties": {"status": {"type": "string", "enum": ["draft", "open"]}}},
        "AuditEntryRead": {"properties": {"actor_role": {"anyOf": [{"type": "string"}]}}},
    }

    assert _closed_field_offences(schemas) == [
        "RoundRead.status: inline enum",
        "AuditEntryRead.actor_role: plain string",
    ]


async def test_list_filters_of_closed_lists_name_their_enum(app):
    inline = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] not in CLOSED_FIELDS:
                    continue
                options = parameter["schema"].get("anyOf", [parameter["schema"]])
                if any(o.get("type") == "string" for o in options):
                    inline.append(f"{method.upper()} {path} {parameter['name']}")

    assert inline == []


async def test_every_workflow_event_is_a_named_event_type():
    from app.core.event_types import EventType
    from app.services.workflow import TRANSITIONS

    events = {t.event for t in TRANSITIONS.values() if t.event}

    assert events - set(EventType) == set()


async def test_an_unlisted_event_type_is_refused_before_it_is_stored(session):
    from app.services import audit

    with pytest.raises(ValueError):
        await audit.emit(session, "dossier.misplaced", "dossier", 1)
