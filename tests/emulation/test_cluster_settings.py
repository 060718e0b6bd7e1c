"""What Sở Nội vụ lets a cluster do: its deputies (phó khối) verify the members' sheets, its
head (Trưởng khối) defines its own scoring table. Each setting off refuses, on admits."""

from datetime import timedelta

from app.core.working_days import today_in_vietnam
from tests.factories import make_unit, signed_in

from .factories import TABLE, make_khoi


async def _set(client, admin, cluster_id, **settings):
    path = f"/api/v1/clusters/{cluster_id}"
    etag = (await client.get(path, headers=admin)).headers["etag"]
    return await client.patch(path, json=settings, headers={**admin, "If-Match": etag})


async def _khoi_with_deputy(app, client, session):
    """The khối with Sở Tài chính as its deputy, and another khối with its own deputy."""
    cluster, units = await make_khoi(session)
    _, admin = await signed_in(app, session)
    made = await _set(client, admin, cluster.id, deputy_head_unit_ids=[units["Sở Tài chính"].id])
    assert made.status_code == 200, made.text
    others = [await make_unit(session, name=f"Huyện {n}") for n in ("Mai Sơn", "Yên Châu")]
    await session.commit()
    other = await client.post(
        "/api/v1/clusters",
        json={"year": 2026, "kind": "cum", "name": "Cụm các huyện phía Nam",
              "head_unit_id": others[0].id, "deputy_head_unit_ids": [others[1].id]},
        headers=admin,
    )  # fmt: skip
    assert other.status_code == 201, other.text
    return cluster, units, admin, other.json(), others


async def _submitted_sheet(app, client, session, admin, cluster, units):
    due = (today_in_vietnam() + timedelta(days=10)).isoformat()
    body = {"cluster_id": cluster.id, "scoring_due_on": due, **TABLE}
    table = (await client.post("/api/v1/emulation/tables", json=body, headers=admin)).json()
    table = (
        await client.post(f"/api/v1/emulation/tables/{table['id']}/open", headers=admin)
    ).json()
    ids = {c["code"]: c["id"] for g in table["groups"] for c in g["criteria"]}
    _, unit = await signed_in(app, session, "unit", unit_id=units["Sở Tư pháp"].id)
    url = f"/api/v1/emulation/tables/{table['id']}/sheets/mine"
    entries = [
        {"criterion_id": ids[k], "points": v} for k, v in {"1.1": 30, "1.2": 20, "2.1": 20}.items()
    ]
    await client.put(url, json={"entries": entries}, headers=unit)
    sheet = (await client.post(f"{url}/submit", headers=unit)).json()
    return ids, sheet, unit


async def test_deputies_verify_only_when_the_cluster_allows(app, client, session):
    cluster, units, admin, other, others = await _khoi_with_deputy(app, client, session)
    ids, sheet, unit = await _submitted_sheet(app, client, session, admin, cluster, units)
    _, deputy = await signed_in(app, session, "unit", unit_id=units["Sở Tài chính"].id)
    _, foreign_deputy = await signed_in(app, session, "unit", unit_id=others[1].id)
    _, foreign_head = await signed_in(app, session, "cluster_head", cluster_id=other["id"])
    url = f"/api/v1/emulation/sheets/{sheet['id']}"
    change = {"criterion_id": ids["1.1"], "points": 25, "reason": "Thiếu minh chứng"}

    refused = await client.post(f"{url}/adjustments", json=change, headers=deputy)
    unseen = await client.get(url, headers=deputy)
    by_unit = await client.patch(
        f"/api/v1/clusters/{cluster.id}", json={"deputies_verify": True},
        headers={**unit, "If-Match": '"1"'},
    )  # fmt: skip
    allowed = await _set(client, admin, cluster.id, deputies_verify=True)
    seen = await client.get(url, headers=deputy)
    adjusted = await client.post(f"{url}/adjustments", json=change, headers=deputy)
    foreign = await client.post(f"{url}/adjustments", json=change, headers=foreign_deputy)
    foreign_head_try = await client.post(f"{url}/verify", headers=foreign_head)
    verified = await client.post(f"{url}/verify", headers=deputy)
    audit = await client.get(
        "/api/v1/audit", params={"entity_type": "cluster", "entity_id": cluster.id,
                                 "action": "cluster.updated"}, headers=admin,
    )  # fmt: skip
    as_unit = await client.get(url, headers=unit)

    assert refused.status_code == 403 and refused.json()["code"] == "not_cluster_head"
    assert unseen.status_code == 404
    assert by_unit.status_code == 403
    assert allowed.status_code == 200 and allowed.json()["deputies_verify"] is True
    assert allowed.json()["head_defines_table"] is False
    assert seen.status_code == 200
    assert adjusted.status_code == 200, adjusted.text
    assert foreign.status_code == 404 and foreign_head_try.status_code == 404
    assert verified.status_code == 200 and verified.json()["total"] == 65.0
    assert as_unit.json()["status"] == "verified"
    switched = [e for e in audit.json()["items"] if e["after"]["deputies_verify"] is True]
    assert [e["before"]["deputies_verify"] for e in switched] == [False]


async def test_a_deputy_does_not_verify_its_own_sheet(app, client, session):
    cluster, units, admin, _, _ = await _khoi_with_deputy(app, client, session)
    await _set(client, admin, cluster.id, deputies_verify=True)
    due = (today_in_vietnam() + timedelta(days=10)).isoformat()
    body = {"cluster_id": cluster.id, "scoring_due_on": due, **TABLE}
    table = (await client.post("/api/v1/emulation/tables", json=body, headers=admin)).json()
    await client.post(f"/api/v1/emulation/tables/{table['id']}/open", headers=admin)
    ids = {c["code"]: c["id"] for g in table["groups"] for c in g["criteria"]}
    _, deputy = await signed_in(app, session, "unit", unit_id=units["Sở Tài chính"].id)
    url = f"/api/v1/emulation/tables/{table['id']}/sheets/mine"
    entries = [{"criterion_id": ids[k], "points": 20} for k in ("1.1", "1.2", "2.1")]
    await client.put(url, json={"entries": entries}, headers=deputy)
    own = (await client.post(f"{url}/submit", headers=deputy)).json()

    refused = await client.post(f"/api/v1/emulation/sheets/{own['id']}/verify", headers=deputy)

    assert refused.status_code == 403 and refused.json()["code"] == "not_cluster_head"


async def test_the_head_defines_its_table_only_when_noi_vu_allows(app, client, session):
    cluster, _units, admin, other, _ = await _khoi_with_deputy(app, client, session)
    _, head = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    _, foreign_head = await signed_in(app, session, "cluster_head", cluster_id=other["id"])
    due = (today_in_vietnam() + timedelta(days=10)).isoformat()
    body = {"cluster_id": cluster.id, "scoring_due_on": due, **TABLE}

    refused = await client.post("/api/v1/emulation/tables", json=body, headers=head)
    self_allowed = await client.patch(
        f"/api/v1/clusters/{cluster.id}", json={"head_defines_table": True},
        headers={**head, "If-Match": '"2"'},
    )  # fmt: skip
    allowed = await _set(client, admin, cluster.id, head_defines_table=True)
    foreign = await client.post("/api/v1/emulation/tables", json=body, headers=foreign_head)
    created = await client.post("/api/v1/emulation/tables", json=body, headers=head)
    assert created.status_code == 201, created.text
    path = f"/api/v1/emulation/tables/{created.json()['id']}"
    edited = await client.patch(
        path, json={"title": "Bảng điểm khối tổng hợp"}, headers={**head, "If-Match": '"1"'}
    )
    foreign_open = await client.post(f"{path}/open", headers=foreign_head)
    await _set(client, admin, cluster.id, head_defines_table=False)
    withdrawn = await client.post(f"{path}/open", headers=head)
    await _set(client, admin, cluster.id, head_defines_table=True)
    opened = await client.post(f"{path}/open", headers=head)

    assert refused.status_code == 403 and refused.json()["code"] == "not_cluster_head"
    assert self_allowed.status_code == 403
    assert allowed.status_code == 200 and allowed.json()["head_defines_table"] is True
    assert foreign.status_code == 403 and foreign.json()["code"] == "not_cluster_head"
    assert created.status_code == 201, created.text
    assert edited.status_code == 200 and edited.json()["title"] == "Bảng điểm khối tổng hợp"
    assert foreign_open.status_code == 404
    assert withdrawn.status_code == 403 and withdrawn.json()["code"] == "not_cluster_head"
    assert opened.status_code == 200 and opened.json()["status"] == "scoring"
