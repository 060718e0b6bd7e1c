"""The event feed: oldest first after a cursor, each caller seeing only its own scope."""

from app.models import CouncilMemberCluster
from app.services import audit
from tests.factories import (
    make_cluster,
    make_council,
    make_council_member,
    make_unit,
    signed_in,
)
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.factories_events import event_data


async def _feed(client, headers, after=None, limit=50):
    query = f"?limit={limit}" + (f"&after={after}" if after is not None else "")
    response = await client.get(f"/api/v1/events{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_cursor_walks_forward_oldest_first(app, client, session):
    for i in range(5):
        await audit.emit(
            session, "dossier.submitted", "dossier", i + 1, event_data("dossier.submitted")
        )
    await session.commit()
    _, admin = await signed_in(app, session)

    first = await _feed(client, admin, limit=2)
    second = await _feed(client, admin, after=first["next_after"], limit=2)
    rest = await _feed(client, admin, after=second["next_after"])
    idle = await _feed(client, admin, after=rest["next_after"])

    assert [e["entity_id"] for e in first["items"]] == [1, 2]
    assert [e["entity_id"] for e in second["items"]] == [3, 4]
    assert [e["entity_id"] for e in rest["items"]] == [5]
    assert idle == {"items": [], "next_after": rest["next_after"]}


async def test_each_caller_sees_its_own_events(app, client, session):
    unit, other = await make_unit(session), await make_unit(session)
    cluster = await make_cluster(session, members=[unit])
    watched = await make_cluster(session, members=[other])
    member = await make_council_member(session, await make_council(session))
    session.add(CouncilMemberCluster(member_id=member.id, cluster_id=watched.id))
    emit = audit.emit
    await emit(
        session,
        "dossier.submitted",
        "dossier",
        1,
        event_data("dossier.submitted"),
        unit_id=unit.id,
        cluster_id=cluster.id,
    )
    await emit(
        session,
        "dossier.returned",
        "dossier",
        2,
        event_data("dossier.returned"),
        unit_id=other.id,
        cluster_id=watched.id,
    )
    await emit(
        session,
        "dossier.withdrawn",
        "dossier",
        3,
        event_data("dossier.withdrawn"),
        unit_id=unit.id,
        restricted=True,
    )
    await emit(session, "round.opened", "round", 4, event_data("round.opened"))
    await session.commit()
    _, unit_h = await signed_in(app, session, "unit", unit_id=unit.id)
    _, head_h = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    _, member_h = await signed_in(app, session, "council_member", council_member_id=member.id)
    _, reader_h = await signed_in(app, session, "reader")
    _, admin_h = await signed_in(app, session)

    async def types(headers):
        return [e["type"] for e in (await _feed(client, headers))["items"]]

    assert await types(unit_h) == ["dossier.submitted"]
    assert await types(head_h) == ["dossier.submitted"]
    assert await types(member_h) == ["dossier.returned"]
    assert await types(reader_h) == ["dossier.submitted", "dossier.returned", "round.opened"]
    everything = ["dossier.submitted", "dossier.returned", "dossier.withdrawn", "round.opened"]
    assert await types(admin_h) == everything


async def test_workflow_events_carry_no_personal_data(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    dossier = await make_dossier(session, unit, round_, nominee={"nominee_name": "Lường Văn Bảy"})
    await session.commit()
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    _, reader = await signed_in(app, session, "reader")
    await client.post(f"/api/v1/dossiers/{dossier.id}/submit", headers=owner)

    feed = await _feed(client, reader)

    (event,) = feed["items"]
    assert event["type"] == "dossier.submitted" and event["entity_id"] == dossier.id
    assert event["data"]["status"] == "submitted" and event["data"]["code"] == dossier.code
    assert "Lường" not in str(event["data"]) and "1980" not in str(event["data"])


async def test_a_bad_cursor_is_422(app, client, session):
    _, admin = await signed_in(app, session)

    response = await client.get("/api/v1/events?after=abc", headers=admin)
    too_many = await client.get("/api/v1/events?limit=500", headers=admin)

    assert response.status_code == 422 and too_many.status_code == 422
