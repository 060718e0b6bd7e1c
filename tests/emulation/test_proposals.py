"""A member unit proposes itself for Cờ thi đua của UBND tỉnh only as its cluster's recorded
leader: Cờ thi đua of a cluster member comes from the cluster's result, which the head
proposes. Refused when drafting, adding and submitting; a unit outside every cluster, a
collective under the unit, and other awards are not concerned."""

from app.models import ClusterMembership
from tests.factories import make_cluster, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_round

CO_THI_DUA = "co_thi_dua_ubnd_tinh"


def _flag(unit, name=None, award=CO_THI_DUA):
    return {"nominee_kind": "collective", "nominee_name": name or unit.name,
            "nominee_unit_id": unit.id, "award_type_code": award}  # fmt: skip


async def _draft(client, headers, round_, *nominations):
    body = {"round_id": round_.id, "kind": "periodic", "title": "Tờ trình đề nghị khen thưởng",
            "nominations": list(nominations)}  # fmt: skip
    return await client.post("/api/v1/dossiers", json=body, headers=headers)


async def test_a_member_without_a_recorded_result_cannot_propose_itself(app, client, session):
    await load_catalogue(session)
    head = await make_unit(session, name="Văn phòng UBND tỉnh", kind="agency")
    member = await make_unit(session, name="Sở Tư pháp", kind="agency")
    await make_cluster(session, head=head, members=[member], name="Khối các cơ quan tổng hợp")
    round_ = await make_round(session, year=2026)
    _, headers = await signed_in(app, session, "unit", unit_id=member.id)
    await session.commit()

    refused = await _draft(client, headers, round_, _flag(member))
    assert refused.status_code == 422 and refused.json()["code"] == "not_cluster_leader"
    detail = refused.json()["detail"]
    assert "Sở Tư pháp là thành viên Khối các cơ quan tổng hợp năm 2026" in detail
    assert "chưa có kết quả bình xét" in detail

    # other awards, and a collective under the unit, are not the cluster's to decide
    other_award = _flag(member, award="bang_khen_chu_tich_ubnd_tinh")
    bang_khen = await _draft(client, headers, round_, other_award)
    assert bang_khen.status_code == 201, bang_khen.text
    office = await _draft(client, headers, round_, _flag(member, name="Văn phòng Sở Tư pháp"))
    assert office.status_code == 201, office.text

    # adding it to a draft is refused the same way
    added = await client.post(
        f"/api/v1/dossiers/{bang_khen.json()['id']}/nominations",
        json=_flag(member), headers=headers,
    )  # fmt: skip
    assert added.status_code == 422 and added.json()["code"] == "not_cluster_leader"


async def test_a_unit_outside_every_cluster_proposes_itself_and_joining_later_binds_it(
    app, client, session
):
    await load_catalogue(session)
    head = await make_unit(session, name="Văn phòng UBND tỉnh", kind="agency")
    unit = await make_unit(session, name="Sở Khoa học và Công nghệ", kind="agency")
    cluster = await make_cluster(session, head=head, name="Khối các cơ quan tổng hợp")
    round_ = await make_round(session, year=2026)
    _, headers = await signed_in(app, session, "unit", unit_id=unit.id)
    await session.commit()

    drafted = await _draft(client, headers, round_, _flag(unit))
    assert drafted.status_code == 201, drafted.text

    # the unit joins the khối of that year before submitting: its draft is bound by it
    session.add(ClusterMembership(cluster_id=cluster.id, unit_id=unit.id, year=2026, role="member"))
    await session.commit()
    refused = await client.post(f"/api/v1/dossiers/{drafted.json()['id']}/submit", headers=headers)
    assert refused.status_code == 422 and refused.json()["code"] == "not_cluster_leader"
    still = await client.get(f"/api/v1/dossiers/{drafted.json()['id']}", headers=headers)
    assert still.json()["status"] == "draft"
