"""The live stream: resumes after Last-Event-ID, sends what happens meanwhile, beats while
idle, shows each caller only its scope, and ends when the token expires."""

import asyncio
import json
from datetime import timedelta

from app.services import audit
from tests.factories import make_unit, make_user
from tests.factories_events import event_data


def _short_lived(app, user, seconds: float) -> dict[str, str]:
    token, _ = app.state.tokens.encode(
        subject=str(user.id), typ="access", ttl=timedelta(seconds=seconds),
        claims={"ver": user.token_version, "role": user.role},
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def _parse(body: str) -> tuple[list[dict], list[str], list[str]]:
    """(messages with an id, the `end` messages' data, the comment lines)."""
    messages, ends, comments = [], [], []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line]
        comments += [line for line in lines if line.startswith(":")]
        fields = dict(line.split(": ", 1) for line in lines if not line.startswith(":"))
        if fields.get("event") == "end":
            ends.append(fields["data"])
        elif "id" in fields:
            messages.append({"id": int(fields["id"]), **json.loads(fields["data"])})
    return messages, ends, comments


async def test_the_stream_resumes_follows_and_ends_with_the_token(app, client, session):
    app.state.settings.events_stream_heartbeat_seconds = 0.3
    app.state.settings.events_stream_poll_seconds = 0.05
    unit, other = await make_unit(session), await make_unit(session)
    for i in range(3):
        await audit.emit(
            session,
            "dossier.submitted",
            "dossier",
            i + 1,
            event_data("dossier.submitted"),
            unit_id=unit.id,
        )
    await audit.emit(
        session,
        "dossier.submitted",
        "dossier",
        9,
        event_data("dossier.submitted"),
        unit_id=other.id,
    )
    user = await make_user(session, "unit", unit_id=unit.id)
    await session.commit()
    seen = (await client.get("/api/v1/events", headers=_short_lived(app, user, 60))).json()
    first_id = seen["items"][0]["id"]
    # The stream ends when this token does: long enough for a busy machine to deliver the two
    # events emitted below before it expires.
    headers = {**_short_lived(app, user, 5), "Last-Event-ID": str(first_id)}

    streaming = asyncio.create_task(client.get("/api/v1/events/stream", headers=headers))
    await asyncio.sleep(0.5)
    await audit.emit(
        session, "dossier.returned", "dossier", 1, event_data("dossier.returned"), unit_id=unit.id
    )
    await audit.emit(
        session, "dossier.returned", "dossier", 9, event_data("dossier.returned"), unit_id=other.id
    )
    await session.commit()
    response = await asyncio.wait_for(streaming, timeout=15)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    messages, ends, comments = _parse(response.text)
    assert [(m["type"], m["entity_id"]) for m in messages] == [
        ("dossier.submitted", 2), ("dossier.submitted", 3), ("dossier.returned", 1),
    ]  # fmt: skip
    assert messages[0] == {"id": messages[0]["id"], **seen["items"][1]}
    assert ends == ["token_expired"]
    assert comments  # heartbeats while idle


async def test_without_last_event_id_the_stream_starts_from_now(app, client, session):
    app.state.settings.events_stream_poll_seconds = 0.05
    await audit.emit(session, "round.opened", "round", 1, event_data("round.opened"))
    user = await make_user(session, "reader")
    await session.commit()

    response = await client.get("/api/v1/events/stream", headers=_short_lived(app, user, 1))

    messages, ends, _ = _parse(response.text)
    assert messages == [] and ends == ["token_expired"]


async def test_a_stream_needs_a_token_and_a_sane_cursor(app, client, session):
    user = await make_user(session, "reader")
    await session.commit()
    headers = _short_lived(app, user, 30)

    anonymous = await client.get("/api/v1/events/stream")
    beyond = await client.get(
        "/api/v1/events/stream", headers={**headers, "Last-Event-ID": "12345"}
    )
    garbage = await client.get("/api/v1/events/stream", headers={**headers, "Last-Event-ID": "x"})

    assert anonymous.status_code == 401
    assert beyond.status_code == 422 and beyond.json()["code"] == "cursor_beyond_head"
    assert garbage.status_code == 422
