"""Calendar subscriptions: a user makes a secret feed address for a calendar app, which reads
the deadlines, rounds, meetings and disclosure periods the user may see, without a Bearer
header; the owner revokes it."""

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from app.models import CalendarFeed
from app.services.calendar_feeds import MAX_FEEDS_PER_USER
from tests.factories import auth, make_council, make_council_member, make_unit, make_user
from tests.factories_council import disclosure as disclosure_of
from tests.factories_council import make_meeting
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.factories_plans import make_plan, make_task
from tests.permissions import (
    Endpoint,
    permission_walk,
)

ENDPOINTS = [
    Endpoint("POST", "/api/v1/calendar-feeds", "calendar_feed.create", {"name": "Điện thoại"}),
    Endpoint("GET", "/api/v1/calendar-feeds", "calendar_feed.list"),
    Endpoint("DELETE", "/api/v1/calendar-feeds/999999", "calendar_feed.revoke"),
]


test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401 = permission_walk(
    ENDPOINTS
)


async def _feed(client, headers, name: str = "Điện thoại") -> dict:
    created = await client.post("/api/v1/calendar-feeds", json={"name": name}, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()


def _events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]).split("@")[0]: {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend") if "dtend" in event else None,
        }
        for event in calendar.walk("VEVENT")
    }


async def _world(session):
    """A plan task, a round, two councils each with a meeting, and a disclosed nomination."""
    await load_catalogue(session)
    task = await make_task(session, await make_plan(session), content="Tổng kết phong trào")
    round_ = await make_round(session, name="Đợt 1 năm 2026", appraisal_due_on=date(2026, 12, 20))
    ours, theirs = await make_council(session), await make_council(session)
    member = await make_council_member(session, ours)
    soon = datetime(2026, 12, 28, 2, 0, tzinfo=UTC)
    meeting = await make_meeting(session, ours, scheduled_at=soon)
    other_meeting = await make_meeting(session, theirs, scheduled_at=soon)
    unit = await make_unit(session)
    dossier = await make_dossier(session, unit, round_, status="submitted")
    disclosure = disclosure_of([dossier.nominations[0].id], date(2026, 12, 1))
    session.add(disclosure)
    await session.flush()
    return locals()


async def test_a_calendar_app_reads_the_feed_without_a_token(app, client, session):
    world = await _world(session)
    owner = await make_user(session, "noi_vu")
    await session.commit()

    created = await _feed(client, auth(app, owner))
    feed = await client.get(created["url"])  # no Authorization header

    assert created["url"].startswith("http://testserver/api/v1/calendar/")
    assert created["url"].endswith(f"/{created['token']}.ics")
    assert len(created["token"]) >= 40
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["cache-control"] == "private, no-cache"
    events = _events(feed)
    task, round_ = world["task"], world["round_"]
    assert events[f"task-{task.id}"]["start"] == date(2026, 3, 31)
    assert "Tổng kết phong trào" in events[f"task-{task.id}"]["summary"]
    submission = events[f"round-{round_.id}-submission"]
    assert submission["start"] == round_.submission_opens_on
    assert submission["end"] == round_.submission_closes_on + timedelta(days=1)
    assert events[f"round-{round_.id}-appraisal"]["start"] == date(2026, 12, 20)
    assert events[f"meeting-{world['meeting'].id}"]["start"] == world["soon"]
    assert f"meeting-{world['other_meeting'].id}" in events  # Sở Nội vụ sees every council
    disclosure = events[f"disclosure-{world['disclosure'].id}"]
    # 1/12/2026 (Tuesday) + 10 working days = 15/12/2026; DTEND is the day after
    assert (disclosure["start"], disclosure["end"]) == (date(2026, 12, 1), date(2026, 12, 16))


async def test_each_owner_sees_only_what_their_role_and_scope_allow(app, client, session):
    world = await _world(session)
    member = await make_user(session, "council_member", council_member_id=world["member"].id)
    unit_officer = await make_user(session, "unit", unit_id=world["unit"].id)
    await session.commit()

    for_member = _events(await client.get((await _feed(client, auth(app, member)))["url"]))
    for_unit = _events(await client.get((await _feed(client, auth(app, unit_officer)))["url"]))

    assert f"meeting-{world['meeting'].id}" in for_member
    assert f"meeting-{world['other_meeting'].id}" not in for_member  # another council's
    assert not any(uid.startswith(("meeting-", "disclosure-")) for uid in for_unit)
    assert f"task-{world['task'].id}" in for_unit
    assert f"round-{world['round_'].id}-submission" in for_unit


async def test_the_token_is_shown_once_and_stored_hashed(app, client, session):
    owner = await make_user(session, "unit")
    await session.commit()
    headers = auth(app, owner)

    created = await _feed(client, headers)
    listed = await client.get("/api/v1/calendar-feeds", headers=headers)
    row = await session.scalar(select(CalendarFeed).where(CalendarFeed.id == created["id"]))

    assert listed.json()["items"] == [
        {
            "id": created["id"],
            "name": "Điện thoại",
            "created_at": created["created_at"],
            "updated_at": created["updated_at"],
        }
    ]
    assert created["token"] not in listed.text
    assert row.token_hash == hashlib.sha256(created["token"].encode()).hexdigest()
    assert created["token"] not in {row.name, row.token_hash}


async def test_a_replayed_create_does_not_show_the_token_again(app, client, session):
    owner = await make_user(session, "unit")
    await session.commit()
    headers = {**auth(app, owner), "Idempotency-Key": "feed-1"}

    first = await client.post("/api/v1/calendar-feeds", json={"name": "Outlook"}, headers=headers)
    again = await client.post("/api/v1/calendar-feeds", json={"name": "Outlook"}, headers=headers)

    assert first.json()["token"] and first.json()["url"]
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["token"] is None and again.json()["url"] is None


async def test_a_revoked_feed_stops_working_at_once(app, client, session):
    owner = await make_user(session, "unit")
    await session.commit()
    headers = auth(app, owner)
    created = await _feed(client, headers)

    revoked = await client.delete(f"/api/v1/calendar-feeds/{created['id']}", headers=headers)
    feed = await client.get(created["url"])

    assert revoked.status_code == 204
    assert feed.status_code == 404
    assert feed.headers["content-type"] == "application/problem+json"
    assert feed.json()["code"] == "not_found"
    listed = await client.get("/api/v1/calendar-feeds", headers=headers)
    assert listed.json()["total"] == 0


async def test_nobody_lists_or_revokes_another_users_feed(app, client, session):
    owner = await make_user(session, "unit")
    admin = await make_user(session, "noi_vu")
    await session.commit()
    created = await _feed(client, auth(app, owner))

    listed = await client.get("/api/v1/calendar-feeds", headers=auth(app, admin))
    refused = await client.delete(
        f"/api/v1/calendar-feeds/{created['id']}", headers=auth(app, admin)
    )

    assert listed.json()["total"] == 0
    assert refused.status_code == 404
    assert (await client.get(created["url"])).status_code == 200


async def test_a_deactivated_owners_feed_is_gone(app, client, session):
    owner = await make_user(session, "unit")
    await session.commit()
    created = await _feed(client, auth(app, owner))

    owner.active = False
    await session.commit()

    assert (await client.get(created["url"])).status_code == 404


async def test_an_unknown_token_is_404(client):
    response = await client.get("/api/v1/calendar/" + "x" * 43 + ".ics")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_polling_gets_304_until_something_in_it_changes(app, client, session):
    owner = await make_user(session, "noi_vu")
    task = await make_task(session, await make_plan(session))
    await session.commit()
    url = (await _feed(client, auth(app, owner)))["url"]
    first = await client.get(url)

    unchanged = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    moved = await client.patch(
        f"/api/v1/tasks/{task.id}", json={"content": "Nội dung mới"},
        headers={**auth(app, owner), "If-Match": f'"{task.version}"'},
    )  # fmt: skip
    changed = await client.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert unchanged.status_code == 304 and unchanged.content == b""
    assert moved.status_code == 200
    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]
    assert "Nội dung mới" in _events(changed)[f"task-{task.id}"]["summary"]


async def test_a_user_has_at_most_a_handful_of_feeds(app, client, session):
    owner = await make_user(session, "unit")
    await session.commit()
    headers = auth(app, owner)
    for i in range(MAX_FEEDS_PER_USER):
        await _feed(client, headers, name=f"Thiết bị {i}")

    refused = await client.post("/api/v1/calendar-feeds", json={"name": "Thêm"}, headers=headers)

    assert refused.status_code == 409
    assert refused.json()["code"] == "too_many_calendar_feeds"


async def test_a_feed_name_is_checked(app, client, session):
    owner = await make_user(session, "unit")
    await session.commit()

    for body in ({"name": ""}, {"name": "x" * 101}, {"name": "A", "token": "mine"}):
        response = await client.post("/api/v1/calendar-feeds", json=body, headers=auth(app, owner))
        assert response.status_code == 422, body
