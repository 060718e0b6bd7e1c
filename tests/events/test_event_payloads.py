"""Each event type declares the shape of its `data` (`EventRead` is a union by `type`), and the
events a dossier's review and a council meeting really produce match what the document says."""

from datetime import timedelta

import jsonschema_rs
import pytest

from app.core.clock import utcnow
from app.core.event_types import EventType
from app.core.working_days import today_in_vietnam
from app.models import Event
from app.schemas.events import DELIVERY_ONLY, EVENT_DATA
from app.services import audit
from tests.factories import make_unit, signed_in
from tests.factories_council import (
    API,
    CO_THI_DUA,
    CSTD_TINH,
    HUAN_CHUONG,
    ballot,
    council_with_members,
    eligible_nominations,
    open_meeting_with,
    vote,
)
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.factories_events import event_data


def _declared(document: dict, type_: str) -> tuple[str, dict]:
    """The event schema the document names for `type_`, and the properties of its data."""
    schemas = document["components"]["schemas"]
    ref = schemas["EventRead"]["discriminator"]["mapping"][type_]
    event = schemas[ref.rsplit("/", 1)[1]]
    data = schemas[event["properties"]["data"]["$ref"].rsplit("/", 1)[1]]
    return ref, data["properties"]


async def test_every_event_type_of_the_feed_declares_its_data(app):
    document = app.openapi()
    mapping = document["components"]["schemas"]["EventRead"]["discriminator"]["mapping"]
    feed_types = {t.value for t in EventType} - DELIVERY_ONLY

    assert set(EVENT_DATA) == feed_types
    assert set(mapping) == feed_types
    for type_ in feed_types:
        _, properties = _declared(document, type_)
        assert properties, type_


async def test_a_type_without_a_payload_schema_is_caught(app, monkeypatch):
    monkeypatch.delitem(EVENT_DATA, EventType.ROUND_OPENED)

    with pytest.raises(ValueError, match=r"round\.opened"):
        audit.check_event_data(EventType.ROUND_OPENED, event_data("round.closed"))


@pytest.mark.parametrize(
    "data",
    [
        {"year": 2026, "number": 1, "status": "open"},  # previous_status missing
        {"year": 2026, "number": 1, "status": "opened", "previous_status": "draft"},
        {"year": "next", "number": 1, "status": "open", "previous_status": "draft"},
    ],
)
async def test_data_unlike_its_declaration_is_refused_before_it_is_stored(session, data):
    with pytest.raises(ValueError, match="RoundMovedData"):
        await audit.emit(session, "round.opened", "round", 1, data)


def _offences(document: dict, items: list[dict]) -> list[str]:
    """Each event that does not validate against `EventRead`, or whose data carries a member
    its schema does not declare."""
    validator = jsonschema_rs.Draft202012Validator(
        {"$ref": "#/components/schemas/EventRead", "components": document["components"]}
    )
    found = []
    for item in items:
        errors = [e.message for e in validator.iter_errors(item)]
        if errors:
            found.append(f"{item['type']}: {errors[0][:300]}")
        _, properties = _declared(document, item["type"])
        if undeclared := set(item["data"]) - set(properties):
            found.append(f"{item['type']}: undeclared {sorted(undeclared)}")
    return found


async def _post(client, path, headers, body=None):
    response = await client.post(f"{API}{path}", json=body, headers=headers)
    assert response.status_code in (200, 201), f"{path}: {response.text}"
    return response.json()


async def test_a_review_and_a_council_meeting_send_the_data_the_document_declares(
    app, client, session
):
    await load_catalogue(session)
    unit = await make_unit(session)
    round_ = await make_round(session, status="open")
    dossier = await make_dossier(session, unit, round_, status="draft", nominations=2)
    await session.commit()
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    _, admin = await signed_in(app, session)
    first, second = (n.id for n in dossier.nominations)
    path = f"/dossiers/{dossier.id}"

    # A round, an extension; a dossier created, returned with a request, appraised.
    new_round = await _post(
        client, "/rounds", admin,
        {"year": 2031, "number": 1, "submission_opens_on": "2031-01-05",
         "submission_closes_on": "2031-02-05"},
    )  # fmt: skip
    await _post(client, f"/rounds/{new_round['id']}/open", admin)
    until = (utcnow() + timedelta(days=20)).date().isoformat()
    await _post(
        client, f"/rounds/{round_.id}/extensions", admin,
        {"unit_id": unit.id, "until": until, "reason": "Lũ quét"},
    )  # fmt: skip
    await _post(
        client, "/dossiers", owner,
        {"round_id": round_.id, "title": "Tờ trình", "nominations": []},
    )  # fmt: skip
    await _post(client, f"{path}/submit", owner)
    await _post(
        client, f"{path}/return", admin,
        {"reason": "Thiếu báo cáo", "requests": [
            {"nomination_id": first, "document_types": ["bao_cao_thanh_tich"]}]},
    )  # fmt: skip
    await _post(client, f"{path}/submit", owner)
    await _post(client, f"{path}/receive", admin)
    for nomination_id in (first, second):
        await _post(
            client, f"/nominations/{nomination_id}/appraisal", admin,
            {"conclusion": "eligible"},
        )  # fmt: skip
    await _post(client, f"{path}/complete-appraisal", admin)

    # A council meeting: one nomination passes, one fails; a decision; an upheld complaint.
    group = await council_with_members(app, session, 3)
    passing = (await eligible_nominations(session, CO_THI_DUA))[0]
    failing = (await eligible_nominations(session, CO_THI_DUA))[0]
    complained = (await eligible_nominations(session, CSTD_TINH))[0]
    mid, _ = await open_meeting_with(app, client, session, group, [passing, failing])
    for headers in group.headers:
        await vote(client, mid, headers, ballot([passing, failing], **{f"n{failing.id}": "reject"}))
    await _post(client, f"/meetings/{mid}/close", admin)
    await _post(
        client, "/decisions", admin,
        {"kind": "provincial_award", "number": "300/QĐ-UBND", "signed_on": "2026-12-28",
         "signed_by": "Chủ tịch UBND tỉnh", "nomination_ids": [passing.id]},
    )  # fmt: skip
    complaint = await _post(
        client, f"/nominations/{complained.id}/complaints", admin,
        {"received_on": "2026-12-01", "summary": "Thành tích chưa đúng"},
    )  # fmt: skip
    await _post(
        client, f"/complaints/{complaint['id']}/resolve", admin,
        {"resolution": "Có cơ sở", "upheld": True},
    )  # fmt: skip

    feed = await client.get(f"{API}/events?limit=200", headers=admin)

    assert feed.status_code == 200, feed.text
    items = feed.json()["items"]
    assert _offences(app.openapi(), items) == []
    assert {e["type"] for e in items} >= {
        "round.created", "round.opened", "round.extension_granted", "dossier.created",
        "dossier.submitted", "dossier.returned", "dossier.received", "nomination.appraised",
        "dossier.appraised", "meeting.scheduled", "meeting.opened", "meeting.closed",
        "nomination.approved", "nomination.rejected", "decision.recorded", "nomination.awarded",
        "complaint.recorded", "complaint.resolved",
    }  # fmt: skip
    rejected = [e["data"] for e in items if e["type"] == "nomination.rejected"]
    assert {(d["meeting_id"] is not None, d["complaint_id"] is not None) for d in rejected} == {
        (True, False), (False, True),
    }  # fmt: skip
    returned = next(e["data"] for e in items if e["type"] == "dossier.returned")
    assert returned["requests"][0]["document_types"] == ["bao_cao_thanh_tich"]
    assert returned["requests"][0]["nomination_id"] == first
    assert "nominee_name" not in returned["requests"][0]


async def test_an_event_outside_the_document_would_be_caught(app):
    document = app.openapi()
    wrong = {
        "id": 1, "type": "meeting.closed", "occurred_at": "2026-12-07T08:00:00Z",
        "entity_type": "meeting", "entity_id": 1,
        "data": {**event_data("meeting.closed"), "chair": "Nguyễn Văn A"},
    }  # fmt: skip
    missing = {**wrong, "data": {"status": "closed"}}

    assert _offences(document, [wrong]) == ["meeting.closed: undeclared ['chair']"]
    assert _offences(document, [missing])[0].startswith("meeting.closed: ")


async def test_an_event_stored_by_an_older_version_is_served_as_stored(app, client, session):
    # Written before `round.opened` declared `previous_status`: the feed does not stop at it.
    session.add(Event(type="round.opened", entity_type="round", entity_id=1, data={"year": 2025}))
    await audit.emit(session, "round.closed", "round", 1, event_data("round.closed"))
    await session.commit()
    _, admin = await signed_in(app, session)

    # Pydantic says, once, that the value it serialises lacks members; the answer is whole.
    with pytest.warns(UserWarning, match="RoundMovedData"):
        feed = await client.get(f"{API}/events", headers=admin)

    assert feed.status_code == 200, feed.text
    assert [(e["type"], e["data"].get("year")) for e in feed.json()["items"]] == [
        ("round.opened", 2025), ("round.closed", 1),
    ]  # fmt: skip
    assert feed.json()["items"][0]["data"] == {"year": 2025}


async def test_a_return_stored_with_the_nominee_name_is_still_served(app, client, session):
    # Written when the event still named the nominee: served as stored, the feed goes on.
    data = event_data("dossier.returned", requests=[{
        "nomination_id": 7, "nominee_name": "Lò Thị Tám", "document_types": ["to_trinh"],
        "papers": ["Tờ trình"], "note": None,
    }])  # fmt: skip
    session.add(Event(type="dossier.returned", entity_type="dossier", entity_id=1, data=data))
    await session.commit()
    _, admin = await signed_in(app, session)

    feed = await client.get(f"{API}/events", headers=admin)

    assert feed.status_code == 200, feed.text
    assert feed.json()["items"][0]["data"]["requests"][0]["nomination_id"] == 7


async def test_a_disclosure_s_life_sends_the_data_the_document_declares(app, client, session):
    # A list of two units' nominations, its deadline extended, an opinion and its handling.
    unit = await make_unit(session, name="Sở Y tế")
    other = await make_unit(session, name="Sở Xây dựng")
    stranger = await make_unit(session, name="Sở Công Thương")
    (mine,) = await eligible_nominations(session, HUAN_CHUONG, unit=unit, nominee_name="Lò Văn A")
    (theirs,) = await eligible_nominations(session, HUAN_CHUONG, unit=other)
    _, admin = await signed_in(app, session)
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    _, outsider = await signed_in(app, session, "unit", unit_id=stranger.id)
    _, reader = await signed_in(app, session, "reader")
    today = today_in_vietnam()
    published = await _post(client, "/disclosures", admin, {
        "title": "Danh sách đề nghị tặng Huân chương Lao động", "published_on": today.isoformat(),
        "nomination_ids": [mine.id, theirs.id], "ends_on": (today + timedelta(days=10)).isoformat(),
        "channel": "Cổng thông tin điện tử tỉnh", "feedback_to": "tdkt@sonla.gov.vn",
    })  # fmt: skip
    path = f"{API}/disclosures/{published['id']}"
    later = (today + timedelta(days=15)).isoformat()
    patched = await client.patch(
        path, json={"ends_on": later}, headers={**admin, "If-Match": '"1"'}
    )
    opinion = await _post(client, f"/disclosures/{published['id']}/opinions", admin, {
        "received_on": today.isoformat(), "sender": "Nguyễn Thị Góp Ý", "nomination_id": mine.id,
        "content": "Ông Lò Văn A chưa hoàn thành nhiệm vụ năm 2024",
    })  # fmt: skip
    handled = await client.patch(
        f"{path}/opinions/{opinion['id']}",
        json={"handling": "Đã xác minh, không có cơ sở", "handled_on": today.isoformat()},
        headers={**admin, "If-Match": '"1"'},
    )

    assert patched.status_code == 200 and handled.status_code == 200, handled.text
    seen = {}
    for who, headers in (("admin", admin), ("owner", owner), ("outsider", outsider),
                         ("reader", reader)):  # fmt: skip
        feed = await client.get(f"{API}/events?limit=200", headers=headers)
        seen[who] = [e for e in feed.json()["items"] if e["type"].startswith("disclosure.")]
    assert _offences(app.openapi(), seen["admin"]) == []
    by_type = {e["type"]: e for e in seen["admin"]}
    assert by_type["disclosure.published"]["data"]["nomination_ids"] == sorted([mine.id, theirs.id])
    assert by_type["disclosure.updated"]["data"]["changed"] == ["ends_on"]
    assert by_type["disclosure.updated"]["data"]["ends_on"] == later
    assert by_type["disclosure.opinion_recorded"]["data"]["nomination_id"] == mine.id
    assert by_type["disclosure.opinion_updated"]["data"]["handled_on"] == today.isoformat()
    for personal in ("Lò Văn A", "Nguyễn Thị Góp Ý", "chưa hoàn thành", "không có cơ sở"):
        assert personal not in str(seen["admin"]), personal
    # The units whose nominees are on the list and readers follow the list; only Sở Nội vụ
    # learns of the opinions.
    list_events = ["disclosure.published", "disclosure.updated"]
    assert [e["type"] for e in seen["owner"]] == list_events
    assert [e["type"] for e in seen["reader"]] == list_events
    assert seen["outsider"] == []
