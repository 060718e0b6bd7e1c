"""Renaming onto a name or number another record of the same year holds is a 409, not a 500
(found by the fuzzer on PostgreSQL)."""

from tests.factories import make_cluster, signed_in
from tests.factories_dossiers import make_round


async def test_a_cluster_renamed_onto_anothers_name_is_409(app, client, session):
    _, admin = await signed_in(app, session)
    await make_cluster(session, name="Khối A")
    other = await make_cluster(session, name="Khối B")
    await session.commit()

    response = await client.patch(
        f"/api/v1/clusters/{other.id}",
        json={"name": "Khối A", "member_unit_ids": []},
        headers={**admin, "If-Match": "*"},
    )

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "duplicate_cluster"


async def test_a_round_renumbered_onto_anothers_number_is_not_a_500(app, client, session):
    _, admin = await signed_in(app, session)
    await make_round(session, year=2030, number=1)
    second = await make_round(session, year=2030, number=2)
    await session.commit()

    response = await client.patch(
        f"/api/v1/rounds/{second.id}", json={"number": 1}, headers={**admin, "If-Match": "*"}
    )

    assert 400 <= response.status_code < 500, response.text
