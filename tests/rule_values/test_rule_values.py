"""The legal clocks and quorum shares are data: listed with their legal basis, amended by Sở
Nội vụ within bounds, audited, and used by the next clock that starts."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.working_days import HolidayCalendar
from app.models import AuditEntry
from app.services.dossiers.rules import today
from app.services.rule_values import get_rules
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_refused,
    refusal_cases,
)

API = "/api/v1/rule-values"
ENDPOINTS = [
    Endpoint("GET", API, "rule_value.list"),
    Endpoint("PATCH", f"{API}/appraisal_working_days", "rule_value.update", {"value": 10}),
]


def _patch(client, key, body, headers, etag='"1"'):
    extra = {} if etag is None else {"If-Match": etag}
    return client.patch(f"{API}/{key}", json=body, headers={**headers, **extra})


async def test_everyone_sees_the_five_values_with_their_legal_basis(app, client, session):
    _, reader = await signed_in(app, session, "reader")

    response = await client.get(API, headers=reader)

    assert response.status_code == 200, response.text
    items = {item["key"]: item for item in response.json()["items"]}
    assert {key: (item["value"], item["unit"]) for key, item in items.items()} == {
        "return_working_days": (5, "working_days"),
        "supplement_working_days": (5, "working_days"),
        "appraisal_working_days": (20, "working_days"),
        "quorum_percent": (66.67, "percent"),
        "award_quorum_percent": (80, "percent"),
        "cluster_quorum_percent": (66.67, "percent"),
        "cluster_vote_threshold_percent": (50, "percent"),
    }
    clocks = ("return_working_days", "supplement_working_days", "appraisal_working_days")
    assert all("Nghị định 152/2025/NĐ-CP" in items[key]["legal_basis"] for key in clocks)
    # The quorums are the council's own rules, not yet issued: they say so.
    assert all("Quy chế hoạt động" in items[key]["legal_basis"]
               for key in ("quorum_percent", "award_quorum_percent"))  # fmt: skip
    assert all(item["name"] for item in items.values())


async def test_a_shorter_appraisal_clock_applies_to_the_next_receipt(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    dossier = await make_dossier(session, await make_unit(session), round_, status="submitted")
    await session.commit()
    _, admin = await signed_in(app, session)

    changed = await _patch(
        client, "appraisal_working_days", {"value": 10, "legal_basis": "Quyết định 1/2027"}, admin
    )
    received = await client.post(f"/api/v1/dossiers/{dossier.id}/receive", headers=admin)
    listed = await client.get(API, headers=admin)

    assert changed.status_code == 200, changed.text
    assert changed.json()["value"] == 10 and etag_version(changed) == 2
    assert changed.json()["legal_basis"] == "Quyết định 1/2027"
    assert received.status_code == 200, received.text
    expected = HolidayCalendar().add_working_days(today(), 10)
    assert received.json()["appraisal_due_on"] == expected.isoformat()
    items = {item["key"]: item["value"] for item in listed.json()["items"]}
    assert items["appraisal_working_days"] == 10


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("appraisal_working_days", 0),
        ("appraisal_working_days", 61),
        ("return_working_days", 2.5),
        ("quorum_percent", 49.9),
        ("award_quorum_percent", 100.5),
    ],
)
async def test_values_out_of_bounds_are_refused(app, client, session, key, value):
    _, admin = await signed_in(app, session)

    response = await _patch(client, key, {"value": value}, admin)
    listed = await client.get(API, headers=admin)

    assert response.status_code == 422, response.text
    assert response.json()["code"] in {"rule_value_out_of_range", "rule_value_not_integer"}
    unchanged = {item["key"]: item["version"] for item in listed.json()["items"]}
    assert unchanged[key] == 1


async def test_an_unknown_key_is_not_found(app, client, session):
    _, admin = await signed_in(app, session)

    response = await _patch(client, "vote_threshold", {"value": 60}, admin)

    assert response.status_code == 404


async def test_a_change_needs_the_current_etag(app, client, session):
    _, admin = await signed_in(app, session)

    missing = await _patch(client, "quorum_percent", {"value": 70}, admin, etag=None)
    first = await _patch(client, "quorum_percent", {"value": 70}, admin)
    stale = await _patch(client, "quorum_percent", {"value": 75}, admin)

    assert missing.status_code == 428
    assert first.status_code == 200, first.text
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"
    listed = await client.get(API, headers=admin)
    assert {i["key"]: i["value"] for i in listed.json()["items"]}["quorum_percent"] == 70


async def test_a_change_is_audited(app, client, session):
    _, admin = await signed_in(app, session)

    response = await _patch(client, "supplement_working_days", {"value": 7}, admin)

    assert response.status_code == 200, response.text
    entries = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "rule_value.updated"))
    ).all()
    assert len(entries) == 1
    assert entries[0].before["key"] == "supplement_working_days"
    assert (entries[0].before["value"], entries[0].after["value"]) == (5, 7)
    assert entries[0].actor_role == "noi_vu"


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


async def test_a_quorum_takes_effect_on_the_day_its_decision_sets(app, client, session):
    _, admin = await signed_in(app, session)
    later = (today() + timedelta(days=30)).isoformat()

    listed = {i["key"]: i for i in (await client.get(API, headers=admin)).json()["items"]}
    pending = await _patch(
        client, "award_quorum_percent",
        {"value": 75, "legal_basis": "Quyết định 99/QĐ-HĐTĐKT, Quy chế hoạt động",
         "effective_from": later},
        admin,
    )  # fmt: skip
    waiting = await get_rules(session)
    await session.commit()
    now = await _patch(
        client, "award_quorum_percent", {"value": 75, "effective_from": today().isoformat()},
        admin, etag=pending.headers["etag"],
    )  # fmt: skip
    in_force = await get_rules(session)

    assert "Quy chế hoạt động của Hội đồng" in listed["award_quorum_percent"]["legal_basis"]
    assert "chưa ban hành" in listed["quorum_percent"]["legal_basis"]
    assert pending.status_code == 200, pending.text
    assert pending.json()["value"] == 75 and pending.json()["effective_from"] == later
    assert pending.json()["value_in_force"] == 80 and waiting.award_quorum_percent == 80
    assert now.json()["value_in_force"] == 75 and in_force.award_quorum_percent == 75
