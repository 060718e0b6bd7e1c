"""A unit corrects or deletes the grassroots titles it entered itself, until Sở Nội vụ has
confirmed them; never another unit's, never a record from a decision or an import."""

from sqlalchemy import select

from app.models import AuditEntry, AwardHistory
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_history

API = "/api/v1"


def _title(**kw) -> dict:
    return {"nominee_name": "Lò Thị Mai", "award_type_code": "chien_si_thi_dua_co_so",
            "year": 2024, "decision_no": "12/QĐ-STP", "decided_on": "2025-01-15", **kw}  # fmt: skip


async def _world(app, session):
    await load_catalogue(session)
    unit = await make_unit(session, name="Sở Tư pháp")
    other = await make_unit(session, name="Sở Tài chính")
    await session.commit()
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)
    _, admin = await signed_in(app, session)
    return unit, officer, stranger, admin


def _match(headers: dict, response) -> dict:
    return {**headers, "If-Match": f'"{response.json()["version"]}"'}


async def test_a_unit_corrects_then_deletes_its_own_entry(app, client, session):
    _, officer, _, _ = await _world(app, session)
    entered = await client.post(f"{API}/award-history", json=_title(), headers=officer)
    url = f"{API}/award-history/{entered.json()['id']}"

    stale = await client.patch(url, json={"year": 2023}, headers={**officer, "If-Match": '"9"'})
    corrected = await client.patch(url, json={"year": 2023, "decision_no": "3/QĐ-STP"},
                                   headers=_match(officer, entered))  # fmt: skip
    deleted = await client.delete(url, headers=_match(officer, corrected))

    assert stale.status_code == 412
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["year"] == 2023 and corrected.json()["decision_no"] == "3/QĐ-STP"
    assert corrected.json()["version"] == entered.json()["version"] + 1
    assert deleted.status_code == 204
    assert await session.get(AwardHistory, entered.json()["id"]) is None
    actions = (await session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "award_history")
    )).all()  # fmt: skip
    assert actions == ["award_history.recorded", "award_history.updated", "award_history.deleted"]


async def test_a_correction_that_makes_a_duplicate_is_refused(app, client, session):
    _, officer, _, _ = await _world(app, session)
    await client.post(f"{API}/award-history", json=_title(year=2023), headers=officer)
    entered = await client.post(f"{API}/award-history", json=_title(), headers=officer)

    clash = await client.patch(f"{API}/award-history/{entered.json()['id']}",
                               json={"year": 2023}, headers=_match(officer, entered))  # fmt: skip

    assert clash.status_code == 409 and clash.json()["code"] == "duplicate_award"


async def test_another_unit_may_not_touch_the_entry(app, client, session):
    _, officer, stranger, _ = await _world(app, session)
    entered = await client.post(f"{API}/award-history", json=_title(), headers=officer)
    url = f"{API}/award-history/{entered.json()['id']}"

    patched = await client.patch(url, json={"year": 2023}, headers=_match(stranger, entered))
    deleted = await client.delete(url, headers=_match(stranger, entered))

    for response in (patched, deleted):
        assert response.status_code == 403 and response.json()["code"] == "not_own_unit"


async def test_a_confirmed_entry_is_the_province_s_to_correct(app, client, session):
    _, officer, _, admin = await _world(app, session)
    entered = await client.post(f"{API}/award-history", json=_title(), headers=officer)
    url = f"{API}/award-history/{entered.json()['id']}"
    confirmed = await client.post(f"{url}/confirm", headers=admin)

    patched = await client.patch(url, json={"year": 2023}, headers=_match(officer, confirmed))
    deleted = await client.delete(url, headers=_match(officer, confirmed))
    by_province = await client.patch(url, json={"decision_no": "13/QĐ-STP"},
                                     headers=_match(admin, confirmed))  # fmt: skip

    for response in (patched, deleted):
        assert response.status_code == 409 and response.json()["code"] == "award_history_locked"
        assert "Sở Nội vụ đã xác nhận" in response.json()["detail"]
    assert by_province.status_code == 200 and by_province.json()["decision_no"] == "13/QĐ-STP"


async def test_an_imported_record_is_not_the_unit_s_to_change(app, client, session):
    unit, officer, _, admin = await _world(app, session)
    imported = await make_history(session, "Lò Thị Mai", unit.id, source="import")
    await session.commit()
    url = f"{API}/award-history/{imported.id}"
    headers = {"If-Match": f'"{imported.version}"'}

    patched = await client.patch(url, json={"year": 2023}, headers={**officer, **headers})
    deleted = await client.delete(url, headers={**admin, **headers})

    for response in (patched, deleted):
        assert response.status_code == 409 and response.json()["code"] == "award_history_locked"
