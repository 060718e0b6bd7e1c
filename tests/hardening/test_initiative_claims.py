"""One initiative justifies one award: two API processes conclude, at the same moment, two
nominations that stand on the same initiative; exactly one holds it, the other gets a 409
problem that names the initiative, and no half-claim is left."""

import asyncio

import httpx
from sqlalchemy import select

from app.models import InitiativeUse, Nomination
from tests.factories import auth, make_unit, make_user
from tests.factories_dossiers import load_catalogue, make_dossier, make_history, make_round
from tests.hardening.test_two_processes import two_servers  # noqa: F401 (the fixture)

NAME = "Lò Thị Mai"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"


async def test_two_processes_claim_one_initiative_once(app, session, two_servers):  # noqa: F811
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp")
    for year in (2023, 2024, 2025):
        await make_history(session, NAME, unit.id, year=year)
    nominee = {"nominee_name": NAME, "nominee_unit_id": unit.id, "award_type_code": CSTD_TINH}
    dossiers = [
        await make_dossier(session, unit, round_, status="under_appraisal", nominee=nominee)
        for _ in range(2)
    ]
    admin = auth(app, await make_user(session))
    await session.commit()
    a, b = two_servers

    async with httpx.AsyncClient(timeout=60) as client:
        initiative = await client.post(
            f"{a}/initiatives",
            json={"title": "Số hoá hộ tịch", "authors": [NAME], "scope": "provincial",
                  "year": 2025, "unit_id": unit.id, "decision_no": "88/QĐ-HĐSK"},
            headers=admin,
        )  # fmt: skip
        assert initiative.status_code == 201, initiative.text
        nominations = [
            (await client.get(f"{a}/dossiers/{d.id}", headers=admin)).json()["nominations"][0]
            for d in dossiers
        ]
        for n in nominations:
            check = next(c for c in n["checks"] if c["rule"] == "initiative_provincial")
            assert check["result"] == "pass", check
        answers = await asyncio.gather(*(
            client.post(
                f"{base}/nominations/{n['id']}/appraisal", json={"conclusion": "eligible"},
                headers={**admin, "If-Match": f'"{n["version"]}"'},
            )
            for base, n in zip((a, b), nominations, strict=True)
        ))  # fmt: skip

    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200, 409], [r.text for r in answers]
    [won] = [r for r in answers if r.status_code == 200]
    [lost] = [r for r in answers if r.status_code == 409]
    problem = lost.json()
    assert lost.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "initiative_already_used"
    assert "sáng kiến" in problem["detail"].lower()
    uses = (await session.scalars(select(InitiativeUse))).all()
    assert [(u.initiative_id, u.nomination_id) for u in uses] == [
        (initiative.json()["id"], won.json()["id"])
    ]
    loser = await session.get(Nomination, next(
        n["id"] for n in nominations if n["id"] != won.json()["id"]
    ))  # fmt: skip
    await session.refresh(loser)
    assert loser.status != "eligible" and loser.appraisal_conclusion is None
    await session.commit()
