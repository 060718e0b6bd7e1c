"""Facts are corrected and deleted with If-Match, by their unit or Sở Nội vụ, audited; the
checks they fed are judged again."""

from sqlalchemy import select

from app.models import AuditEntry
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round

API = "/api/v1"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"
NAME = "Lò Thị Mai"


async def _world(app, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp")
    other = await make_unit(session, name="Sở Tài chính")
    dossier = await make_dossier(
        session, unit, round_, status="under_appraisal",
        nominee={"nominee_name": NAME, "nominee_unit_id": unit.id, "award_type_code": CSTD_TINH},
    )  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)
    return dossier, unit, admin, officer, stranger


async def _check(client, headers, dossier_id, rule):
    body = (await client.get(f"{API}/dossiers/{dossier_id}", headers=headers)).json()
    return next(c for c in body["nominations"][0]["checks"] if c["rule"] == rule)


def _if(headers, version):
    return {**headers, "If-Match": f'"{version}"'}


async def test_a_corrected_discipline_record_changes_the_check(app, client, session):
    dossier, _unit, admin, officer, stranger = await _world(app, session)
    created = await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "kind": "investigation", "started_on": "2026-01-05"},
        headers=officer,
    )  # fmt: skip
    record = created.json()
    failing = await _check(client, admin, dossier.id, "no_discipline")

    ended = await client.patch(
        f"{API}/discipline-records/{record['id']}", json={"ended_on": "2026-02-01"},
        headers=_if(officer, record["version"]),
    )  # fmt: skip
    passing = await _check(client, admin, dossier.id, "no_discipline")
    backwards = await client.patch(
        f"{API}/discipline-records/{record['id']}", json={"ended_on": "2025-01-01"},
        headers=_if(officer, etag_version(ended)),
    )  # fmt: skip
    by_stranger = await client.delete(
        f"{API}/discipline-records/{record['id']}", headers=_if(stranger, etag_version(ended))
    )
    stale = await client.delete(
        f"{API}/discipline-records/{record['id']}", headers=_if(officer, record["version"])
    )
    without = await client.delete(f"{API}/discipline-records/{record['id']}", headers=officer)
    deleted = await client.delete(
        f"{API}/discipline-records/{record['id']}", headers=_if(admin, etag_version(ended))
    )
    listed = await client.get(f"{API}/discipline-records", headers=officer)
    actions = set(await session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == record["id"],
                                        AuditEntry.entity_type == "discipline_record")
    ))  # fmt: skip

    assert failing["result"] == "fail" and ended.status_code == 200, ended.text
    assert ended.json()["ended_on"] == "2026-02-01" and etag_version(ended) == record["version"] + 1
    assert passing["result"] == "pass"
    assert backwards.status_code == 422 and backwards.json()["code"] == "invalid_period"
    assert by_stranger.status_code == 403 and by_stranger.json()["code"] == "not_own_unit"
    assert stale.status_code == 412 and without.status_code == 428
    assert deleted.status_code == 204 and listed.json()["items"] == []
    assert {"discipline.recorded", "discipline.updated", "discipline.deleted"} <= actions


async def test_a_corrected_rating_needs_confirming_again_and_refuses_a_second_year(
    app, client, session
):
    _, _unit, admin, officer, stranger = await _world(app, session)
    ratings = [
        (await client.post(f"{API}/ratings", json={"nominee_name": NAME, "year": y,
                                                   "rating": "htxs"}, headers=officer)).json()
        for y in (2024, 2025)
    ]  # fmt: skip
    confirmed = await client.post(f"{API}/ratings/{ratings[1]['id']}/confirm", headers=admin)

    corrected = await client.patch(
        f"{API}/ratings/{ratings[1]['id']}", json={"rating": "httt", "decision_no": "7/QĐ"},
        headers=_if(officer, confirmed.json()["version"]),
    )  # fmt: skip
    clash = await client.patch(
        f"{API}/ratings/{ratings[1]['id']}", json={"year": 2024},
        headers=_if(officer, etag_version(corrected)),
    )  # fmt: skip
    by_stranger = await client.patch(
        f"{API}/ratings/{ratings[0]['id']}", json={"rating": "ht"},
        headers=_if(stranger, ratings[0]["version"]),
    )  # fmt: skip
    gone = await client.delete(
        f"{API}/ratings/{ratings[0]['id']}", headers=_if(officer, ratings[0]["version"])
    )
    missing = await client.delete(f"{API}/ratings/{ratings[0]['id']}", headers=_if(officer, 1))

    assert confirmed.json()["confirmed"] is True
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["rating"] == "httt" and corrected.json()["confirmed"] is False
    assert clash.status_code == 409 and clash.json()["code"] == "duplicate_rating"
    assert by_stranger.status_code == 403
    assert gone.status_code == 204 and missing.status_code == 404


async def test_an_initiative_is_corrected_and_one_used_for_an_award_is_not_deleted(
    app, client, session
):
    dossier, _unit, admin, officer, _ = await _world(app, session)
    created = (
        await client.post(
            f"{API}/initiatives",
            json={"title": "Số hoá hộ tịch", "authors": ["Cầm Văn Hùng"], "scope": "provincial",
                  "year": 2025},
            headers=officer,
        )
    ).json()  # fmt: skip
    before = await _check(client, admin, dossier.id, "initiative_provincial")
    # The author's name was wrong: it is hers.
    corrected = await client.patch(
        f"{API}/initiatives/{created['id']}", json={"authors": [NAME]},
        headers=_if(officer, created["version"]),
    )  # fmt: skip
    after = await _check(client, admin, dossier.id, "initiative_provincial")
    read = (await client.get(f"{API}/dossiers/{dossier.id}", headers=admin)).json()
    nomination = read["nominations"][0]
    appraised = await client.post(
        f"{API}/nominations/{nomination['id']}/appraisal",
        json={"conclusion": "eligible"}, headers=_if(admin, nomination["version"]),
    )  # fmt: skip
    refused = await client.delete(
        f"{API}/initiatives/{created['id']}", headers=_if(admin, etag_version(corrected))
    )

    assert before["result"] == "unknown"
    assert corrected.status_code == 200 and corrected.json()["authors"] == [NAME]
    assert etag_version(corrected) == created["version"] + 1
    assert after["result"] == "pass" and "Số hoá hộ tịch" in after["message"]
    assert appraised.status_code == 200, appraised.text
    assert refused.status_code == 409 and refused.json()["code"] == "initiative_in_use"
