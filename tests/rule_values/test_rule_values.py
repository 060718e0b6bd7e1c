"""The rule values are one table of dated values with their legal basis: the legal clocks, the
council's quorums and vote thresholds, the mức lương cơ sở and the prize multiples. Everyone
reads them; Sở Nội vụ adds a value from a date and confirms or corrects one, within bounds,
with If-Match, audited; the next clock, meeting or paper uses it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.working_days import HolidayCalendar
from app.models import AuditEntry
from app.services.dossiers.rules import today
from app.services.rule_values import get_rules
from app.services.rule_values.defaults import SHIPPED_FROM
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.permissions import Endpoint, assert_admitted, assert_refused, refusal_cases

API = "/api/v1/rule-values"
SHIPPED_FROM_ISO = SHIPPED_FROM.isoformat()
CSTD = "prize_multiple.chien_si_thi_dua_cap_tinh.individual"
FLAG = "council_vote_threshold_percent.co_thi_dua_ubnd_tinh"
NEW = {"key": "base_salary", "effective_from": "2030-07-01", "value": 3000000,
       "legal_basis": "Nghị định mới"}  # fmt: skip
ENDPOINTS = [
    Endpoint("GET", API, "rule_value.list"),
    Endpoint("POST", API, "rule_value.create", NEW),
    Endpoint(
        "PATCH",
        f"{API}/appraisal_working_days/{SHIPPED_FROM_ISO}",
        "rule_value.update",
        {"value": 10},
        headers={"If-Match": '"1"'},
    ),
]


def _patch(client, key, body, headers, etag='"1"', since=SHIPPED_FROM_ISO):
    extra = {} if etag is None else {"If-Match": etag}
    return client.patch(f"{API}/{key}/{since}", json=body, headers={**headers, **extra})


async def _in_force(client, headers) -> dict[str, dict]:
    response = await client.get(API, params={"in_force": "true", "limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return {item["key"]: item for item in response.json()["items"]}


async def test_everyone_sees_each_value_with_its_basis_and_start(app, client, session):
    _, reader = await signed_in(app, session, "reader")

    items = await _in_force(client, reader)

    shown = {key: (item["value"], item["unit"]) for key, item in items.items()}
    assert shown["return_working_days"] == (5, "working_days")
    assert shown["appraisal_working_days"] == (20, "working_days")
    assert shown["quorum_percent"] == (66.67, "percent")
    assert shown["award_quorum_percent"] == (80, "percent")
    assert shown["cluster_vote_threshold_percent"] == (50, "percent")
    assert shown["base_salary"] == (2340000, "dong")
    assert shown[CSTD] == (3, "multiple")
    # The council's thresholds per award type, from the shipped catalogue.
    assert shown[FLAG] == (80, "percent")
    assert shown["council_vote_threshold_percent.chien_si_thi_dua_cap_tinh"] == (90, "percent")
    clocks = ("return_working_days", "supplement_working_days", "appraisal_working_days")
    assert all("Nghị định 152/2025/NĐ-CP" in items[key]["legal_basis"] for key in clocks)
    assert all(items[key]["verified"] for key in clocks)
    # The quorums and thresholds are the council's own rules, not yet issued: they say so.
    council = ("quorum_percent", "award_quorum_percent", FLAG)
    assert all("Quy chế hoạt động của Hội đồng" in items[k]["legal_basis"] for k in council)
    assert all("chưa ban hành" in items[k]["legal_basis"] for k in council)
    assert not any(items[key]["verified"] for key in council)
    assert items[FLAG]["effective_from"] == SHIPPED_FROM_ISO
    assert all(i["in_force"] and i["effective_until"] is None for i in items.values())
    assert "73/2024/NĐ-CP" in items["base_salary"]["legal_basis"]
    assert "Chưa đối chiếu" in items[CSTD]["legal_basis"] and not items[CSTD]["verified"]
    only = await client.get(API, params={"prefix": "base_"}, headers=reader)
    assert [i["key"] for i in only.json()["items"]] == ["base_salary"]


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
    listed = await _in_force(client, admin)

    assert changed.status_code == 200, changed.text
    assert changed.json()["value"] == 10 and etag_version(changed) == 2
    assert changed.json()["legal_basis"] == "Quyết định 1/2027"
    assert received.status_code == 200, received.text
    expected = HolidayCalendar().add_working_days(today(), 10)
    assert received.json()["appraisal_due_on"] == expected.isoformat()
    assert listed["appraisal_working_days"]["value"] == 10


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("appraisal_working_days", 0),
        ("appraisal_working_days", 61),
        ("return_working_days", 2.5),
        ("quorum_percent", 49.9),
        ("award_quorum_percent", 100.5),
        (FLAG, 120),
    ],
)
async def test_values_out_of_bounds_are_refused(app, client, session, key, value):
    _, admin = await signed_in(app, session)

    response = await _patch(client, key, {"value": value}, admin)
    listed = await _in_force(client, admin)

    assert response.status_code == 422, response.text
    assert response.json()["code"] in {"rule_value_out_of_range", "rule_value_not_integer"}
    assert listed[key]["version"] == 1


async def test_a_date_a_key_has_no_value_from_is_not_found(app, client, session):
    _, admin = await signed_in(app, session)

    unknown_key = await _patch(client, "vote_threshold", {"value": 60}, admin)
    other_date = await _patch(client, "quorum_percent", {"value": 60}, admin, since="2020-01-01")

    assert unknown_key.status_code == 404 and other_date.status_code == 404


async def test_a_change_needs_the_current_etag(app, client, session):
    _, admin = await signed_in(app, session)

    missing = await _patch(client, "quorum_percent", {"value": 70}, admin, etag=None)
    first = await _patch(client, "quorum_percent", {"value": 70}, admin)
    stale = await _patch(client, "quorum_percent", {"value": 75}, admin)

    assert missing.status_code == 428
    assert first.status_code == 200, first.text
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"
    assert (await _in_force(client, admin))["quorum_percent"]["value"] == 70


async def test_a_change_is_audited_and_verifies_the_value(app, client, session):
    _, admin = await signed_in(app, session)

    basis = "Nghị định 152/2025/NĐ-CP, điều về tiền thưởng"
    response = await _patch(client, CSTD, {"value": 3.5, "legal_basis": basis}, admin)

    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True and response.json()["value"] == 3.5
    entries = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "rule_value.updated"))
    ).all()
    assert len(entries) == 1
    assert entries[0].before["key"] == CSTD and entries[0].before["verified"] is False
    assert (entries[0].before["value"], entries[0].after["value"]) == (3, 3.5)
    assert entries[0].actor_role == "noi_vu"


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_role_is_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("role", ["unit", "reader"])
async def test_a_unit_or_reader_cannot_add_or_amend(app, client, session, role):
    _, headers = await signed_in(app, session, role)

    added = await client.post(API, json=NEW, headers=headers)
    amended = await _patch(client, "quorum_percent", {"value": 70}, headers)

    assert (added.status_code, amended.status_code) == (403, 403)
    assert added.json()["code"] == amended.json()["code"] == "forbidden"


async def test_a_quorum_takes_effect_on_the_day_its_decision_sets(app, client, session):
    _, admin = await signed_in(app, session)
    later = today() + timedelta(days=30)
    body = {"key": "award_quorum_percent", "effective_from": later.isoformat(), "value": 75,
            "legal_basis": "Quyết định 99/QĐ-HĐTĐKT, Quy chế hoạt động"}  # fmt: skip

    added = await client.post(API, json=body, headers={**admin, "Idempotency-Key": "quy-che-1"})
    replayed = await client.post(API, json=body, headers={**admin, "Idempotency-Key": "quy-che-1"})
    again = await client.post(API, json=body, headers=admin)
    rows = await client.get(API, params={"prefix": "award_quorum"}, headers=admin)
    waiting, then = await get_rules(session), await get_rules(session, later)

    assert added.status_code == 201, added.text
    assert added.json() | {"updated_at": None} == {
        "id": f"award_quorum_percent/{later.isoformat()}", "key": "award_quorum_percent",
        "effective_from": later.isoformat(),
        "effective_until": None, "in_force": False, "value": 75, "unit": "percent",
        "name": "Tỷ lệ thành viên Hội đồng dự phiên xét khen thưởng tối thiểu (%)",
        "legal_basis": "Quyết định 99/QĐ-HĐTĐKT, Quy chế hoạt động", "verified": True,
        "version": 1, "updated_at": None,
    }  # fmt: skip
    assert replayed.status_code == 201 and replayed.headers["idempotent-replayed"] == "true"
    assert again.status_code == 409 and again.json()["code"] == "duplicate_rule_value"
    assert [(r["effective_from"], r["effective_until"], r["in_force"], r["value"])
            for r in rows.json()["items"]] == [
        (SHIPPED_FROM_ISO, later.isoformat(), True, 80),
        (later.isoformat(), None, False, 75),
    ]  # fmt: skip
    assert (waiting.award_quorum_percent, then.award_quorum_percent) == (80, 75)
    entries = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "rule_value.created"))
    ).all()
    assert [e.after["value"] for e in entries] == [75]


async def test_a_new_base_salary_from_a_date_and_its_refusals(app, client, session):
    _, admin = await signed_in(app, session)
    body = {"key": "base_salary", "effective_from": "2026-07-01", "value": 2600000,
            "legal_basis": "Nghị định quy định mức lương cơ sở mới"}  # fmt: skip

    created = await client.post(API, json=body, headers=admin)
    shipped_date = await client.post(API, json={**body, "effective_from": "2024-07-01"},
                                     headers=admin)  # fmt: skip
    fraction = await client.post(API, json={**body, "effective_from": "2027-01-01",
                                            "value": 2600000.5}, headers=admin)  # fmt: skip
    unknown = await client.post(API, json={**body, "key": "luong_toi_thieu_vung"}, headers=admin)
    no_award = await client.post(API, json={**body, "key": "council_vote_threshold_percent.x"},
                                 headers=admin)  # fmt: skip
    too_big = await client.post(API, json={**body, "key": CSTD, "value": 500}, headers=admin)

    assert created.status_code == 201, created.text
    assert created.json()["verified"] is True and created.json()["unit"] == "dong"
    assert shipped_date.status_code == 409
    assert fraction.status_code == 422 and fraction.json()["code"] == "rule_value_not_integer"
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_rule_value"
    assert no_award.status_code == 422 and no_award.json()["code"] == "unknown_rule_value"
    assert too_big.status_code == 422 and too_big.json()["code"] == "rule_value_out_of_range"
    for refused in (shipped_date, unknown, too_big):
        assert refused.headers["content-type"] == "application/problem+json"


async def test_the_provincial_bang_khen_pays_the_level_of_decree_152_from_july_2025(
    app, client, session
):
    _, reader = await signed_in(app, session, "reader")
    key = "prize_multiple.bang_khen_chu_tich_ubnd_tinh"

    history = await client.get(API, params={"prefix": key, "limit": 50}, headers=reader)

    assert history.status_code == 200, history.text
    rows = {(i["key"].rsplit(".", 1)[1], i["effective_from"]): i for i in history.json()["items"]}
    assert rows[("individual", SHIPPED_FROM_ISO)]["value"] == 1
    assert rows[("individual", "2025-07-01")]["value"] == 1.5
    assert rows[("collective", "2025-07-01")]["value"] == 3
    assert "Điều 54 khoản 1" in rows[("individual", "2025-07-01")]["legal_basis"]
    # Read from a quotation, not the decree: still for Sở Nội vụ to confirm.
    assert not any(row["verified"] for row in rows.values())
    in_force = await _in_force(client, reader)
    assert in_force[f"{key}.individual"]["value"] == 1.5
