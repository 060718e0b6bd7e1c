"""Households (hộ gia đình) as the third kind of nominee (Luật Thi đua, khen thưởng 2022,
Điều 2): named with their address and commune, nominated only for an award type that takes
them, checked on what decides their award, and printed as households."""

from sqlalchemy import select

from app.models import AuditEntry
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_round, nomination_body

BANG_KHEN_TINH = "bang_khen_chu_tich_ubnd_tinh"


def household(**overrides):
    body = nomination_body(
        nominee_kind="household",
        nominee_name="Hộ ông Lò Văn Pọm",
        nominee_address="Bản Nà Cài, xã Chiềng Mung",
        position=None,
        birth_year=None,
        award_type_code=BANG_KHEN_TINH,
        achievement_summary="Hiến 500 m² đất làm đường liên bản.",
    )
    body.update(overrides)
    return body


async def _commune(app, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    commune = await make_unit(session, name="UBND xã Chiềng Mung", kind="commune")
    await session.commit()
    _, headers = await signed_in(app, session, "unit", unit_id=commune.id)
    return round_, commune, headers


async def _draft(client, headers, round_id, *nominations):
    body = {"round_id": round_id, "kind": "periodic", "title": "Tờ trình khen hộ gia đình",
            "nominations": list(nominations)}  # fmt: skip
    return await client.post("/api/v1/dossiers", json=body, headers=headers)


async def test_a_commune_nominates_a_household_for_the_provincial_bang_khen(app, client, session):
    round_, commune, headers = await _commune(app, session)

    response = await _draft(client, headers, round_.id, household(nominee_unit_id=commune.id))

    assert response.status_code == 201, response.text
    [nomination] = response.json()["nominations"]
    assert nomination["nominee_kind"] == "household"
    assert nomination["nominee_address"] == "Bản Nà Cài, xã Chiềng Mung"
    checks = {c["rule"]: c for c in nomination["checks"]}
    assert checks["recipient_kind"]["result"] == "pass"
    assert "hộ gia đình" in checks["recipient_kind"]["message"]
    # What decides it is the commune's confirmation, which tdkt does not hold: unknown, naming
    # the paper and the article.
    contribution = checks["household_contribution"]
    assert contribution["result"] == "unknown"
    assert "UBND cấp xã" in contribution["message"]
    assert "Văn bản xác nhận" in contribution["message"]
    assert "Điều 74" in contribution["legal_basis"]
    # Discipline is kept for people and collectives; a household is not `pass`ed on it.
    assert "no_discipline" not in checks
    assert not {"bang_khen_individual", "collective_htxs_2"} & set(checks)
    assert nomination["eligibility"] == "undetermined"


async def test_an_award_type_that_does_not_take_households_refuses_one(app, client, session):
    round_, commune, headers = await _commune(app, session)

    refused = await _draft(client, headers, round_.id, household(
        nominee_unit_id=commune.id, award_type_code="chien_si_thi_dua_cap_tinh"
    ))  # fmt: skip

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "recipient_mismatch"
    assert "không cho hộ gia đình" in problem["detail"]


async def test_a_household_needs_its_address_and_commune(app, client, session):
    round_, commune, headers = await _commune(app, session)

    no_address = await _draft(
        client, headers, round_.id, household(nominee_unit_id=commune.id, nominee_address=None)
    )
    no_commune = await _draft(client, headers, round_.id, household())
    person_with_address = await _draft(client, headers, round_.id, nomination_body(
        award_type_code=BANG_KHEN_TINH, nominee_address="Bản Nà Cài"
    ))  # fmt: skip

    for response, missing in ((no_address, "nominee_address"), (no_commune, "nominee_unit_id")):
        assert response.status_code == 422
        assert response.json()["code"] == "household_incomplete"
        assert missing in response.json()["detail"]
    assert person_with_address.status_code == 422
    assert person_with_address.json()["code"] == "household_incomplete"


async def test_a_household_is_patched_and_stays_whole(app, client, session):
    round_, commune, headers = await _commune(app, session)
    dossier = await _draft(client, headers, round_.id, household(nominee_unit_id=commune.id))
    dossier = dossier.json()
    nomination = dossier["nominations"][0]
    url = f"/api/v1/dossiers/{dossier['id']}/nominations/{nomination['id']}"
    match = {**headers, "If-Match": f'"{nomination["version"]}"'}

    moved = await client.patch(url, json={"nominee_address": "Bản Hụm, xã Chiềng Mung"},
                               headers=match)  # fmt: skip
    emptied = await client.patch(url, json={"nominee_address": None}, headers={
        **headers, "If-Match": f'"{etag_version(moved)}"'
    })  # fmt: skip

    assert moved.status_code == 200, moved.text
    assert moved.json()["nominee_address"] == "Bản Hụm, xã Chiềng Mung"
    assert emptied.status_code == 422 and emptied.json()["code"] == "household_incomplete"


async def test_so_noi_vu_lets_an_award_type_take_households(app, client, session):
    round_, commune, headers = await _commune(app, session)
    _, admin = await signed_in(app, session, "noi_vu")
    url = "/api/v1/award-types/bang_khen_thu_tuong"
    before = await client.get(url, headers=admin)
    assert before.json()["accepts_households"] is False
    shipped = await client.get(f"/api/v1/award-types/{BANG_KHEN_TINH}", headers=admin)
    assert shipped.json()["accepts_households"] is True

    refused = await client.patch(url, json={"accepts_households": True}, headers={
        **headers, "If-Match": before.headers["ETag"]
    })  # fmt: skip
    changed = await client.patch(url, json={"accepts_households": True}, headers={
        **admin, "If-Match": before.headers["ETag"]
    })  # fmt: skip
    nominated = await _draft(client, headers, round_.id, household(
        nominee_unit_id=commune.id, award_type_code="bang_khen_thu_tuong"
    ))  # fmt: skip

    assert refused.status_code == 403
    assert changed.status_code == 200 and changed.json()["accepts_households"] is True
    assert nominated.status_code == 201, nominated.text
    [entry] = (await session.scalars(
        select(AuditEntry).where(AuditEntry.action == "award_type.updated")
    )).all()  # fmt: skip
    assert entry.before["accepts_households"] is False
    assert entry.after["accepts_households"] is True


async def test_the_export_and_the_list_print_a_household_as_one(app, client, session):
    round_, commune, headers = await _commune(app, session)
    await _draft(client, headers, round_.id, household(nominee_unit_id=commune.id))

    export = await client.get("/api/v1/dossiers/export?format=json", headers=headers)

    assert export.status_code == 200, export.text
    [row] = export.json()["items"]
    assert row["nominee_kind"] == "household" and row["nominee_kind_label"] == "Hộ gia đình"
    assert row["nominee_address"] == "Bản Nà Cài, xã Chiềng Mung"
    report = await client.get(f"/api/v1/reports/dossiers?round_id={round_.id}", headers=headers)
    assert report.status_code == 200, report.text
    counts = report.json()["nominations"]
    assert counts["household"] == 1 and counts["individual"] == counts["collective"] == 0


async def test_no_rating_is_kept_for_a_household(app, client, session):
    _, _, headers = await _commune(app, session)

    refused = await client.post("/api/v1/ratings", json={
        "nominee_kind": "household", "nominee_name": "Hộ ông Lò Văn Pọm", "year": 2025,
        "rating": "htxs",
    }, headers=headers)  # fmt: skip

    assert refused.status_code == 422 and refused.json()["code"] == "validation_error"
    assert "cá nhân hoặc tập thể" in refused.text
