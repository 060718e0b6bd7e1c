"""The feed a consumer can act on: where to start, what each dossier event carries, creations,
retention."""

from datetime import timedelta

from sqlalchemy import select, update

from app.core.clock import utcnow
from app.models import Event
from app.services import audit, events
from tests.factories import make_cluster, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round, nomination_body
from tests.factories_events import event_data


async def _feed(client, headers, query=""):
    response = await client.get(f"/api/v1/events{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_head_starts_from_now_and_empty_from_the_beginning(app, client, session):
    for i in range(3):
        await audit.emit(session, "round.opened", "round", i + 1, event_data("round.opened"))
    await session.commit()
    _, admin = await signed_in(app, session)

    now = await _feed(client, admin, "?after=head")
    await audit.emit(session, "round.closed", "round", 1, event_data("round.closed"))
    await session.commit()
    after_now = await _feed(client, admin, f"?after={now['next_after']}")
    everything = await _feed(client, admin, "?after=")

    assert now["items"] == [] and now["next_after"] == everything["items"][2]["id"]
    assert [e["type"] for e in after_now["items"]] == ["round.closed"]
    assert len(everything["items"]) == 4


async def test_a_cursor_beyond_the_newest_event_is_422(app, client, session):
    await audit.emit(session, "round.opened", "round", 1, event_data("round.opened"))
    await session.commit()
    _, admin = await signed_in(app, session)
    newest = (await _feed(client, admin))["next_after"]

    beyond = await client.get(f"/api/v1/events?after={newest + 1}", headers=admin)
    at_head = await client.get(f"/api/v1/events?after={newest}", headers=admin)
    word = await client.get("/api/v1/events?after=tail", headers=admin)

    assert beyond.status_code == 422 and beyond.json()["code"] == "cursor_beyond_head"
    assert at_head.status_code == 200 and at_head.json()["items"] == []
    assert word.status_code == 422


async def test_a_returned_dossier_says_whose_it_is_why_and_until_when(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    cluster = await make_cluster(session, members=[unit])
    dossier = await make_dossier(session, unit, round_, status="submitted", cluster_id=cluster.id)
    await session.commit()
    _, admin = await signed_in(app, session)
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    start = (await _feed(client, owner, "?after=head"))["next_after"]
    base = f"/api/v1/dossiers/{dossier.id}"

    returned = await client.post(f"{base}/return", json={"reason": "Thiếu chữ ký"}, headers=admin)
    await client.post(f"{base}/submit", headers=owner)
    received = await client.post(f"{base}/receive", headers=admin)
    feed = await _feed(client, owner, f"?after={start}")

    by_type = {e["type"]: e["data"] for e in feed["items"]}
    assert by_type["dossier.returned"] == {
        "code": dossier.code, "kind": dossier.kind, "round_id": round_.id,
        "submitting_unit_id": unit.id, "cluster_id": cluster.id,
        "status": "returned", "previous_status": "submitted", "reason": "Thiếu chữ ký",
        "supplement_due_on": returned.json()["supplement_due_on"], "requests": [],
    }  # fmt: skip
    assert by_type["dossier.received"]["appraisal_due_on"] == received.json()["appraisal_due_on"]
    assert by_type["dossier.received"]["previous_status"] == "submitted"


async def test_creations_are_events(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    await session.commit()
    _, admin = await signed_in(app, session)
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    body = {
        "round_id": round_.id, "kind": "periodic", "title": "Tờ trình đề nghị khen thưởng",
        "nominations": [nomination_body(nominee_name="Lò Văn Bảy")],
    }  # fmt: skip

    created = await client.post("/api/v1/dossiers", json=body, headers=owner)
    new_round = await client.post(
        "/api/v1/rounds",
        json={"year": 2031, "number": 1, "submission_opens_on": "2031-01-05",
              "submission_closes_on": "2031-02-05"},
        headers=admin,
    )  # fmt: skip
    mine = await _feed(client, owner)
    everything = await _feed(client, admin)

    assert created.status_code == 201, created.text
    (dossier_created,) = [e for e in mine["items"] if e["type"] == "dossier.created"]
    assert dossier_created["entity_id"] == created.json()["id"]
    assert dossier_created["data"]["submitting_unit_id"] == unit.id
    assert dossier_created["data"]["status"] == "draft"
    assert "Lò Văn Bảy" not in str(dossier_created)
    assert new_round.status_code == 201, new_round.text
    (round_created,) = [e for e in everything["items"] if e["type"] == "round.created"]
    assert round_created["data"] == {"year": 2031, "number": 1, "status": "draft"}


async def test_retention_deletes_old_events_but_never_the_newest(session):
    for i in range(3):
        await audit.emit(session, "round.opened", "round", i + 1, event_data("round.opened"))
    await session.commit()
    await session.execute(update(Event).values(occurred_at=utcnow() - timedelta(days=40)))
    await audit.emit(session, "round.closed", "round", 1, event_data("round.closed"))
    await session.commit()

    kept_all = await events.purge_expired(session, 0)
    purged = await events.purge_expired(session, 30)
    await session.commit()
    remaining = (await session.scalars(select(Event.type))).all()
    await session.execute(update(Event).values(occurred_at=utcnow() - timedelta(days=40)))
    await events.purge_expired(session, 30)
    await session.commit()
    last = (await session.scalars(select(Event.type))).all()

    assert kept_all == 0 and purged == 3 and remaining == ["round.closed"]
    assert last == ["round.closed"]  # the newest is kept: cursors stay within the head
