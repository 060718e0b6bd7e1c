"""Deliveries to a real receiver: signed, in order, retried, disabled on 410, replayed; a
rolled-back change sends nothing."""

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from app.core.clock import utcnow
from app.models import Event, WebhookDelivery
from app.services import audit
from app.services.webhooks import queue
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.factories_events import event_data
from tests.webhooks.support import (
    deliveries,
    eventually,
    running_worker,
    subscribe,
    until_deliveries,
)


async def _emit(session, n: int, **scope) -> None:
    for i in range(n):
        data = event_data("dossier.submitted", n=i + 1)
        await audit.emit(session, "dossier.submitted", "dossier", i + 1, data, **scope)
    await session.commit()


async def test_a_change_reaches_the_receiver_signed_as_the_feed_shows_it(
    app, client, session, receiver
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    round_ = await make_round(session, status="draft")
    await session.commit()

    opened = await client.post(f"/api/v1/rounds/{round_.id}/open", headers=admin)
    assert opened.status_code == 200, opened.text
    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 1)

    (message,) = receiver.received
    feed = (await client.get("/api/v1/events", headers=admin)).json()["items"]
    assert message.verified and message.payload == feed[-1]
    assert message.payload["type"] == "round.opened"
    assert message.headers["webhook-id"] == f"evt_{feed[-1]['id']}"
    assert message.headers["content-type"] == "application/json"
    (logged,) = await deliveries(client, admin, created["id"])
    assert logged["status"] == "delivered" and logged["attempts"] == 1
    assert logged["last_status_code"] == 204 and logged["last_duration_ms"] is not None


async def test_messages_arrive_in_event_order_after_the_receiver_comes_back(
    app, client, session, receiver
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    receiver.plan = ["fail", "fail", "hang"]
    receiver.hang_seconds = 2  # longer than the 1 s timeout: a timeout, then retried
    await _emit(session, 5)

    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 5, within=30)

    assert [p["data"]["n"] for p in receiver.verified_payloads()] == [1, 2, 3, 4, 5]
    attempts = [r.payload["data"]["n"] for r in receiver.received]
    assert attempts[:4] == [1, 1, 1, 1]  # event 2 waited for event 1
    first = next(d for d in await deliveries(client, admin, created["id"]) if d["attempts"] > 1)
    assert first["attempts"] == 4 and first["status"] == "delivered"


async def test_the_backoff_doubles_within_its_jitter_and_is_capped(settings):
    for attempts in range(1, 12):
        nominal = min(0.05 * 2 ** (attempts - 1), 0.4)
        waits = [queue.backoff_seconds(settings, attempts) for _ in range(50)]
        assert all(0.75 * nominal <= w <= 1.25 * nominal for w in waits), attempts
        assert len(set(waits)) > 1  # jittered


async def test_retry_after_is_honoured(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    receiver.plan, receiver.retry_after = ["busy"], "1"
    await _emit(session, 1)

    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 1, within=30)

    busy, ok = receiver.received
    assert ok.at - busy.at >= 0.95  # not the 0.05 s backoff


async def test_a_410_turns_the_subscription_off_until_it_is_turned_on(
    app, client, session, receiver
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    receiver.plan = ["gone"]
    await _emit(session, 2)
    path = f"/api/v1/webhooks/{created['id']}"

    async with running_worker(app):
        await until_deliveries(
            client, admin, created["id"], lambda d: any(x["status"] == "failed" for x in d)
        )
        off = (await client.get(path, headers=admin)).json()
        await _emit(session, 1)
        count_while_off = len(receiver.received)
        resumed = await client.patch(
            path, json={"active": True}, headers={**admin, "If-Match": '"1"'}
        )
        await eventually(lambda: len(receiver.verified_payloads()) == 2)

    assert off["active"] is False and off["disabled_reason"] == "gone"
    assert count_while_off == 1
    assert resumed.json()["active"] is True and resumed.json()["disabled_reason"] is None
    # The first event was refused with 410 (failed, replayable); the second of the first batch
    # and the one emitted while it was off follow once it is on again.
    assert [p["data"]["n"] for p in receiver.verified_payloads()] == [2, 1]


async def test_after_the_last_retry_the_delivery_fails_and_the_subscription_is_failing(
    app, client, session, receiver
):
    _, admin = await signed_in(app, session)
    app.state.settings.webhooks_retry_window_seconds = 0.5
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    receiver.default = "fail"
    await _emit(session, 1)
    path = f"/api/v1/webhooks/{created['id']}"

    async with running_worker(app):
        (failed,) = await until_deliveries(
            client, admin, created["id"], lambda d: d and d[0]["status"] == "failed"
        )
        failing = (await client.get(path, headers=admin)).json()
        receiver.default = "ok"
        await _emit(session, 1)
        await eventually(lambda: len(receiver.verified_payloads()) == 1)
        await until_deliveries(
            client, admin, created["id"], lambda d: d[0]["status"] == "delivered"
        )
        healthy = (await client.get(path, headers=admin)).json()

    assert failed["attempts"] >= 2 and failed["last_status_code"] == 500
    assert failed["next_attempt_at"] is None
    # Tried until the window closed, then never again: the rest went to the next event.
    assert [r.answered for r in receiver.received] == ["fail"] * failed["attempts"] + ["ok"]
    assert failing["failing"] is True and failing["failing_since"] is not None
    assert healthy["failing"] is False


async def test_a_400_is_not_retried(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    receiver.plan = ["deny"]
    await _emit(session, 2)

    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 1)

    assert [r.answered for r in receiver.received] == ["deny", "ok"]
    assert receiver.received[1].payload["data"]["n"] == 2


async def test_a_rolled_back_change_sends_nothing(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    data = event_data("dossier.submitted", n="rolled back")
    await audit.emit(session, "dossier.submitted", "dossier", 1, data)
    await session.rollback()
    await _emit(session, 1)

    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 1)

    assert [p["data"]["n"] for p in receiver.verified_payloads()] == [1]
    assert len(await deliveries(client, admin, created["id"])) == 1


async def test_a_subscription_sees_only_what_its_owner_may_read(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    token = await client.post(
        "/api/v1/service-tokens", json={"name": "bảng điều khiển", "expires_on": "2030-12-31"},
        headers=admin,
    )  # fmt: skip
    reader = {"Authorization": f"Bearer {token.json()['token']}"}
    created = await subscribe(client, reader, receiver.url, event_types=["dossier.returned"])
    receiver.secret = created["secret"]
    unit = await make_unit(session)
    emit, returned, submitted = audit.emit, "dossier.returned", "dossier.submitted"
    await emit(session, returned, "dossier", 1, event_data(returned, n=1), unit_id=unit.id)
    await emit(session, returned, "dossier", 2, event_data(returned, n=2), restricted=True)
    await emit(session, submitted, "dossier", 3, event_data(submitted, n=3), unit_id=unit.id)
    await emit(session, returned, "dossier", 4, event_data(returned, n=4), unit_id=unit.id)
    await session.commit()

    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 2)

    feed = (await client.get("/api/v1/events?after=0", headers=reader)).json()["items"]
    expected = [e for e in feed if e["type"] == "dossier.returned"]
    assert receiver.verified_payloads() == expected
    assert [p["data"]["n"] for p in expected] == [1, 4]


async def test_ping_and_redeliver(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    await _emit(session, 1)
    base = f"/api/v1/webhooks/{created['id']}"

    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 1)
        # The receiver has it; the worker records the answer just after (until then the
        # delivery is still pending and cannot be sent again).
        for _ in range(1500):
            (sent,) = await deliveries(client, admin, created["id"])
            if sent["status"] != "pending":
                break
            await asyncio.sleep(0.02)
        again = await client.post(f"{base}/deliveries/{sent['id']}/redeliver", headers=admin)
        ping = await client.post(f"{base}/ping", headers=admin)
        await eventually(lambda: len(receiver.verified_payloads()) == 3)

    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert ping.status_code == 202 and ping.json()["event_type"] == "webhook.ping"
    first, replayed, pinged = receiver.received
    assert replayed.body == first.body
    assert replayed.headers["webhook-id"] == first.headers["webhook-id"]
    assert pinged.payload["type"] == "webhook.ping"


async def test_a_pending_delivery_is_not_redelivered(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    ping = await client.post(f"/api/v1/webhooks/{created['id']}/ping", headers=admin)
    base = f"/api/v1/webhooks/{created['id']}/deliveries"

    pending = await client.post(f"{base}/{ping.json()['id']}/redeliver", headers=admin)
    missing = await client.post(f"{base}/999999/redeliver", headers=admin)

    assert pending.status_code == 409 and pending.json()["code"] == "delivery_pending"
    assert missing.status_code == 404


async def test_after_a_rotation_both_secrets_verify_for_the_grace_period(
    app, client, session, receiver
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    rotated = await client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret", headers=admin)
    await _emit(session, 1)

    async with running_worker(app):
        await eventually(lambda: len(receiver.received) == 1)

    (message,) = receiver.received
    receiver.secret = created["secret"]
    assert receiver._verify(message.headers, message.body)
    receiver.secret = rotated.json()["secret"]
    assert receiver._verify(message.headers, message.body)
    assert len(message.headers["webhook-signature"].split(" ")) == 2


async def test_the_loopback_receiver_is_refused_at_delivery_when_the_setting_is_off(
    app, client, session, receiver
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    app.state.settings.webhooks_allow_private_addresses = False
    await _emit(session, 1)

    async with running_worker(app):
        (refused,) = await until_deliveries(
            client, admin, created["id"], lambda d: d and d[0]["attempts"] >= 1
        )

    assert receiver.received == []
    assert "127.0.0.1" in refused["last_error"] and refused["last_status_code"] is None
    rows = (await session.scalars(select(WebhookDelivery))).all()
    assert rows and all(r.status == "pending" for r in rows)


async def test_a_returned_dossier_reaches_the_mobile_backend_with_unit_reason_and_deadline(
    app, client, session, receiver
):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    dossier = await make_dossier(session, unit, round_, status="submitted")
    await session.commit()
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url, event_types=["dossier.returned"])
    receiver.secret = created["secret"]

    async with running_worker(app):
        await asyncio.sleep(0.2)  # the worker is idle, polling
        returned = await client.post(
            f"/api/v1/dossiers/{dossier.id}/return", json={"reason": "Thiếu biên bản họp"},
            headers=admin,
        )  # fmt: skip
        await eventually(lambda: len(receiver.verified_payloads()) == 1)

    (message,) = receiver.received
    # How fast it arrives is measured by bench/webhooks.py, not asserted here.
    assert message.verified and message.payload["type"] == "dossier.returned"
    data = message.payload["data"]
    assert data["submitting_unit_id"] == unit.id and data["reason"] == "Thiếu biên bản họp"
    assert data["supplement_due_on"] == returned.json()["supplement_due_on"]


async def test_the_worker_deletes_what_is_past_the_retention(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    await _emit(session, 2)
    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 2)
    old = utcnow() - timedelta(days=40)
    await session.execute(update(Event).values(occurred_at=old))
    await session.execute(update(WebhookDelivery).values(created_at=old))
    await session.commit()
    app.state.settings.events_retention_days = 30

    async with running_worker(app):
        logged = await until_deliveries(client, admin, created["id"], lambda d: d == [])

    assert logged == []
    assert len((await session.scalars(select(Event))).all()) == 1  # the newest stays


async def test_revoking_the_owners_token_stops_its_webhooks(app, client, session, receiver):
    _, admin = await signed_in(app, session)
    token = await client.post(
        "/api/v1/service-tokens", json={"name": "app di động", "expires_on": "2030-12-31"},
        headers=admin,
    )  # fmt: skip
    reader = {"Authorization": f"Bearer {token.json()['token']}"}
    created = await subscribe(client, reader, receiver.url)
    receiver.secret = created["secret"]
    await _emit(session, 1)
    async with running_worker(app):
        await eventually(lambda: len(receiver.verified_payloads()) == 1)
        revoked = await client.delete(f"/api/v1/service-tokens/{token.json()['id']}", headers=admin)
        await _emit(session, 2)
        await asyncio.sleep(0.5)  # ten polls of the worker

    assert revoked.status_code == 204
    assert len(receiver.received) == 1
    assert len(await deliveries(client, admin, created["id"])) == 1
