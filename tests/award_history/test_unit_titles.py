"""A unit enters the grassroots titles it decided as award history; Sở Nội vụ confirms them;
the criteria count them."""

from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_round, nomination_body

API = "/api/v1"
NAME = "Lò Thị Mai"


def _title(year: int, code: str = "chien_si_thi_dua_co_so", **kw) -> dict:
    return {"nominee_name": NAME, "award_type_code": code, "year": year,
            "decision_no": f"{year}/QĐ-STP", "decided_on": f"{year + 1}-01-15", **kw}  # fmt: skip


async def test_a_unit_enters_its_grassroots_titles_and_the_checks_count_them(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp")
    await session.commit()
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    _, admin = await signed_in(app, session)

    entered = [
        await client.post(f"{API}/award-history", json=_title(y), headers=officer)
        for y in (2023, 2024, 2025)
    ]
    nomination = nomination_body(
        nominee_name=NAME, nominee_unit_id=unit.id, award_type_code="chien_si_thi_dua_cap_tinh"
    )
    body = {"round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
            "nominations": [nomination]}  # fmt: skip
    proposed = await client.post(f"{API}/dossiers", json=body, headers=officer)
    confirmed = await client.post(
        f"{API}/award-history/{entered[0].json()['id']}/confirm", headers=admin
    )
    team = await client.post(
        f"{API}/award-history",
        json=_title(2025, "tap_the_lao_dong_tien_tien", nominee_kind="collective",
                    nominee_name="Phòng Hộ tịch"),
        headers=officer,
    )  # fmt: skip

    assert [r.status_code for r in entered] == [201] * 3, entered[0].text
    first = entered[0].json()
    assert first["unit_id"] == unit.id and first["source"] == "unit"
    assert first["confirmed"] is False and first["year"] == 2023 and first["decision_year"] == 2024
    checks = {c["rule"]: c for c in proposed.json()["nominations"][0]["checks"]}
    assert checks["consecutive_cstdcs_3"]["result"] == "pass"
    assert "2023/QĐ-STP" in checks["consecutive_cstdcs_3"]["message"]
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True
    assert team.status_code == 201 and team.json()["collective_id"] is not None


async def test_each_refusal_of_a_unit_title(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session, name="Sở Tư pháp")
    other = await make_unit(session, name="Sở Tài chính")
    await session.commit()
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    _, reader = await signed_in(app, session, "reader")

    first = await client.post(f"{API}/award-history", json=_title(2025), headers=officer)
    again = await client.post(f"{API}/award-history", json=_title(2025), headers=officer)
    provincial = await client.post(
        f"{API}/award-history", json=_title(2025, "bang_khen_chu_tich_ubnd_tinh"), headers=officer
    )
    wrong_kind = await client.post(
        f"{API}/award-history", json=_title(2025, "lao_dong_tien_tien", nominee_kind="collective"),
        headers=officer,
    )  # fmt: skip
    others = await client.post(
        f"{API}/award-history", json=_title(2025, unit_id=other.id), headers=officer
    )
    no_decision = await client.post(
        f"{API}/award-history", json={**_title(2025), "decision_no": ""}, headers=officer
    )
    by_reader = await client.post(f"{API}/award-history", json=_title(2024), headers=reader)
    unit_confirms = await client.post(
        f"{API}/award-history/{first.json()['id']}/confirm", headers=officer
    )
    giay_khen = await client.post(
        f"{API}/award-history", json=_title(2025, "giay_khen"), headers=officer
    )

    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["code"] == "duplicate_award"
    assert provincial.status_code == 422
    assert provincial.json()["code"] == "not_a_grassroots_title"
    assert wrong_kind.status_code == 422 and wrong_kind.json()["code"] == "recipient_mismatch"
    assert others.status_code == 403 and others.json()["code"] == "not_own_unit"
    assert no_decision.status_code == 422
    assert by_reader.status_code == 403 and unit_confirms.status_code == 403
    assert giay_khen.status_code == 201
