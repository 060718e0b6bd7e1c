"""Rule values that change on a date and carry money: the mức lương cơ sở in đồng and the
multiples of it paid with each award, each from its effective date, the shipped multiples
marked unverified until Sở Nội vụ confirms them."""

import pytest
from sqlalchemy import select

from app.models import AuditEntry
from tests.factories import etag_version, signed_in
from tests.permissions import Endpoint, assert_admitted, assert_refused, refusal_cases

API = "/api/v1/dated-rule-values"
CSTD = "prize_multiple.chien_si_thi_dua_cap_tinh.individual"
ENDPOINTS = [
    Endpoint("GET", API, "dated_rule_value.list"),
    Endpoint(
        "POST",
        API,
        "dated_rule_value.create",
        {
            "key": "base_salary",
            "effective_from": "2030-07-01",
            "value": 3000000,
            "legal_basis": "Nghị định mới",
        },
    ),
    Endpoint(
        "PATCH",
        f"{API}/{CSTD}/2024-01-01",
        "dated_rule_value.update",
        {"value": 3},
        headers={"If-Match": '"1"'},
    ),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


async def test_the_base_salary_and_the_shipped_multiples_are_listed(app, client, session):
    _, reader = await signed_in(app, session, "reader")

    response = await client.get(API, headers=reader)

    assert response.status_code == 200, response.text
    items = {(i["key"], i["effective_from"]): i for i in response.json()}
    base = items[("base_salary", "2024-07-01")]
    assert (base["value"], base["unit"], base["verified"]) == (2340000, "dong", True)
    assert "73/2024/NĐ-CP" in base["legal_basis"]
    cstd = items[(CSTD, "2024-01-01")]
    assert (cstd["value"], cstd["unit"], cstd["verified"]) == (3, "multiple", False)
    assert "Chưa đối chiếu" in cstd["legal_basis"]
    only = await client.get(f"{API}?prefix=base_", headers=reader)
    assert [i["key"] for i in only.json()] == ["base_salary"]


async def test_noi_vu_confirms_a_multiple_and_it_becomes_verified(app, client, session):
    _, admin = await signed_in(app, session)

    stale = await client.patch(f"{API}/{CSTD}/2024-01-01", json={"value": 3.5},
                               headers={**admin, "If-Match": '"7"'})  # fmt: skip
    response = await client.patch(
        f"{API}/{CSTD}/2024-01-01",
        json={"value": 3.5, "legal_basis": "Nghị định 152/2025/NĐ-CP, điều về tiền thưởng"},
        headers={**admin, "If-Match": '"1"'},
    )

    assert stale.status_code == 412
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True and response.json()["value"] == 3.5
    assert etag_version(response) == 2
    listed = {
        (i["key"], i["effective_from"]): i for i in (await client.get(API, headers=admin)).json()
    }
    assert listed[(CSTD, "2024-01-01")]["value"] == 3.5
    entries = (await session.scalars(select(AuditEntry).where(
        AuditEntry.action == "dated_rule_value.updated"))).all()  # fmt: skip
    assert entries[-1].before["value"] == 3 and entries[-1].after["value"] == 3.5


async def test_a_new_base_salary_from_a_date_and_its_refusals(app, client, session):
    _, admin = await signed_in(app, session)
    body = {"key": "base_salary", "effective_from": "2026-07-01", "value": 2600000,
            "legal_basis": "Nghị định quy định mức lương cơ sở mới"}  # fmt: skip

    created = await client.post(API, json=body, headers=admin)
    again = await client.post(API, json=body, headers=admin)
    shipped_date = await client.post(API, json={**body, "effective_from": "2024-07-01"},
                                     headers=admin)  # fmt: skip
    fraction = await client.post(API, json={**body, "effective_from": "2027-01-01",
                                            "value": 2600000.5}, headers=admin)  # fmt: skip
    unknown = await client.post(API, json={**body, "key": "luong_toi_thieu_vung"}, headers=admin)
    too_big = await client.post(API, json={**body, "key": CSTD, "value": 500}, headers=admin)
    missing = await client.patch(f"{API}/{CSTD}/2020-01-01", json={"value": 3},
                                 headers={**admin, "If-Match": '"1"'})  # fmt: skip

    assert created.status_code == 201, created.text
    assert created.json()["verified"] is True and created.json()["unit"] == "dong"
    assert again.status_code == 409 and again.json()["code"] == "duplicate_rule_value"
    assert shipped_date.status_code == 409
    assert fraction.status_code == 422 and fraction.json()["code"] == "rule_value_not_integer"
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_rule_value"
    assert too_big.status_code == 422 and too_big.json()["code"] == "rule_value_out_of_range"
    assert missing.status_code == 404
    for refused in (again, unknown, too_big):
        assert refused.headers["content-type"] == "application/problem+json"
