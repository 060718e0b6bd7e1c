"""Units, clusters (cụm/khối) and the council."""

from tests.factories import make_cluster, make_council, make_unit, signed_in


async def test_units_are_found_without_diacritics_through_aliases(app, client, session):
    _, admin = await signed_in(app, session)
    created = await client.post(
        "/api/v1/units",
        json={
            "code": "VPUBND",
            "name": "Văn phòng Ủy ban nhân dân tỉnh",
            "kind": "agency",
            "aliases": ["Văn phòng UBND tỉnh", "VP UBND tỉnh"],
        },
        headers=admin,
    )
    await client.post("/api/v1/units", json={"code": "STP", "name": "Sở Tư pháp"}, headers=admin)
    assert created.status_code == 201

    for q in ("van phong ubnd", "VĂN PHÒNG ỦY BAN", "vp ubnd"):
        found = (await client.get("/api/v1/units", params={"q": q}, headers=admin)).json()
        assert [u["code"] for u in found["items"]] == ["VPUBND"], q
        assert found["total"] == 1


async def test_unit_code_is_unique(app, client, session):
    _, admin = await signed_in(app, session)
    body = {"code": "SNV", "name": "Sở Nội vụ"}
    await client.post("/api/v1/units", json=body, headers=admin)

    again = await client.post("/api/v1/units", json=body, headers=admin)

    assert again.status_code == 409 and again.json()["code"] == "unit_code_taken"


async def test_list_envelope_and_paging(app, client, session):
    _, admin = await signed_in(app, session)
    for _ in range(5):
        await make_unit(session)
    await session.commit()

    page = (await client.get("/api/v1/units?limit=2&offset=2", headers=admin)).json()

    assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == 2
    assert len(page["items"]) == 2


async def test_a_limit_above_200_is_refused(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.get("/api/v1/units?limit=201", headers=admin)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


async def test_cluster_with_head_deputies_and_members(app, client, session):
    _, admin = await signed_in(app, session)
    head, deputy, member = [await make_unit(session) for _ in range(3)]
    await session.commit()

    response = await client.post(
        "/api/v1/clusters",
        json={
            "year": 2026,
            "kind": "khoi",
            "name": "Khối các cơ quan tổng hợp",
            "head_unit_id": head.id,
            "deputy_head_unit_ids": [deputy.id],
            "member_unit_ids": [member.id],
        },
        headers=admin,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["head_unit_id"] == head.id
    assert body["deputy_head_unit_ids"] == [deputy.id]
    assert body["member_unit_ids"] == sorted([head.id, deputy.id, member.id])


async def test_a_unit_is_in_one_cluster_a_year(app, client, session):
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    await make_cluster(session, year=2026, members=[unit], name="Cụm 1")
    await session.commit()
    body = {"kind": "cum", "name": "Cụm 2", "member_unit_ids": [unit.id]}

    same_year = await client.post("/api/v1/clusters", json={**body, "year": 2026}, headers=admin)
    next_year = await client.post("/api/v1/clusters", json={**body, "year": 2027}, headers=admin)

    assert same_year.status_code == 409
    assert same_year.json()["code"] == "unit_already_in_cluster"
    assert next_year.status_code == 201


async def test_cluster_head_sees_only_its_own_cluster(app, client, session):
    mine = await make_cluster(session, name="Khối A")
    other = await make_cluster(session, name="Khối B")
    _, head = await signed_in(app, session, "cluster_head", cluster_id=mine.id)

    listed = (await client.get("/api/v1/clusters", headers=head)).json()
    hidden = await client.get(f"/api/v1/clusters/{other.id}", headers=head)

    assert [c["id"] for c in listed["items"]] == [mine.id] and listed["total"] == 1
    assert hidden.status_code == 404


async def test_cluster_membership_edit_moves_the_etag(app, client, session):
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    cluster = await make_cluster(session)
    await session.commit()
    path = f"/api/v1/clusters/{cluster.id}"
    etag = (await client.get(path, headers=admin)).headers["etag"]

    response = await client.patch(
        path, json={"head_unit_id": unit.id}, headers={**admin, "If-Match": etag}
    )

    assert response.status_code == 200
    assert response.json()["head_unit_id"] == unit.id
    assert response.headers["etag"] != etag


async def test_council_members_with_monitored_clusters_and_user(app, client, session):
    _, admin = await signed_in(app, session)
    council = await make_council(session)
    cluster = await make_cluster(session)
    user, _ = await signed_in(app, session, "council_member", council_member_id=None)

    added = await client.post(
        f"/api/v1/councils/{council.id}/members",
        json={
            "full_name": "Nguyễn Văn A",
            "position": "Phó Chủ tịch UBND tỉnh",
            "council_role": "pho_chu_tich",
            "user_id": user.id,
            "monitored_cluster_ids": [cluster.id],
        },
        headers=admin,
    )

    assert added.status_code == 201, added.text
    member = added.json()
    assert member["user_id"] == user.id and member["monitored_cluster_ids"] == [cluster.id]
    fetched = (await client.get(f"/api/v1/councils/{council.id}", headers=admin)).json()
    assert [m["full_name"] for m in fetched["members"]] == ["Nguyễn Văn A"]

    removed = await client.delete(
        f"/api/v1/councils/{council.id}/members/{member['id']}", headers=admin
    )
    assert removed.status_code == 204
    after = (await client.get(f"/api/v1/councils/{council.id}", headers=admin)).json()
    assert after["members"] == []


async def test_council_member_role_must_match(app, client, session):
    _, admin = await signed_in(app, session)
    council = await make_council(session)
    unit_user, _ = await signed_in(app, session, "unit")

    response = await client.post(
        f"/api/v1/councils/{council.id}/members",
        json={"full_name": "B", "user_id": unit_user.id},
        headers=admin,
    )

    assert response.status_code == 422 and response.json()["code"] == "invalid_user_link"
