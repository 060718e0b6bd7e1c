"""The review workflow: submit in the window, receive, return, appraise; clocks in working days;
concurrent moves leave one effect."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.core.working_days import HolidayCalendar
from app.models import Dossier, DossierSubmission, Round
from app.services.dossiers import rules
from app.services.dossiers.rules import today
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import (
    grant_extension,
    load_catalogue,
    make_dossier,
    make_round,
    nomination_body,
)


async def _world(app, session, *, status="draft", round_status="open", closes_on=None, **kw):
    """A unit with one dossier in a round, and a Sở Nội vụ officer."""
    await load_catalogue(session)
    round_ = await make_round(session, status=round_status, closes_on=closes_on)
    unit = await make_unit(session)
    dossier = await make_dossier(session, unit, round_, status=status, **kw)
    await session.commit()
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    _, admin = await signed_in(app, session)
    return dossier, owner, admin


def _act(client, dossier_id, action, headers, json=None):
    return client.post(f"/api/v1/dossiers/{dossier_id}/{action}", headers=headers, json=json)


# ---- submit ----------------------------------------------------------------------------------


async def test_owner_submits_while_the_round_is_open(app, client, session):
    dossier, owner, _ = await _world(app, session)

    response = await _act(client, dossier.id, "submit", owner, {"comment": "Kính trình"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "submitted" and body["submission_count"] == 1
    assert body["submitted_at"] is not None
    calendar = HolidayCalendar()
    assert body["return_due_on"] == calendar.add_working_days(today(), 5).isoformat()
    assert {n["status"] for n in body["nominations"]} == {"submitted"}


@pytest.mark.parametrize(
    ("utc_time", "expected"),
    [
        (time(16, 30), 200),  # 23:30 in Sơn La: still the closing day
        (time(17, 30), 409),  # 00:30 the next day in Sơn La, whatever the server's date
    ],
)
async def test_the_last_day_of_the_window_counts_in_vietnam_time(
    app, client, session, monkeypatch, utc_time, expected
):
    closes = date(2026, 3, 16)
    dossier, owner, _ = await _world(app, session, closes_on=closes)
    monkeypatch.setattr(rules, "now", lambda: datetime.combine(closes, utc_time, tzinfo=UTC))

    response = await _act(client, dossier.id, "submit", owner)

    assert response.status_code == expected, response.text
    if expected == 409:
        assert response.json()["code"] == "round_closed"


async def test_after_the_window_only_an_extension_lets_a_unit_submit(app, client, session):
    yesterday = today() - timedelta(days=1)
    dossier, owner, _ = await _world(app, session, round_status="closed", closes_on=yesterday)

    refused = await _act(client, dossier.id, "submit", owner)
    round_ = await session.get(Round, dossier.round_id)
    await grant_extension(session, round_, dossier.submitting_unit_id, today())
    await session.commit()
    allowed = await _act(client, dossier.id, "submit", owner)

    assert refused.status_code == 409 and refused.json()["code"] == "round_closed"
    assert allowed.status_code == 200, allowed.text
    late = await session.scalar(select(DossierSubmission.late))
    assert late is True


async def test_a_returned_dossier_comes_back_by_its_deadline_after_the_round_closed(
    app, client, session
):
    yesterday = today() - timedelta(days=1)
    on_time, owner, _ = await _world(
        app, session, status="returned", round_status="closed", closes_on=yesterday - timedelta(5),
        supplement_due_on=today(),
    )  # fmt: skip
    other = await make_unit(session)
    round_ = await session.get(Round, on_time.round_id)
    too_late = await make_dossier(
        session, other, round_, status="returned", supplement_due_on=yesterday
    )
    await session.commit()
    _, other_owner = await signed_in(app, session, "unit", unit_id=other.id)

    allowed = await _act(client, on_time.id, "submit", owner)
    refused = await _act(client, too_late.id, "submit", other_owner)

    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["submission_count"] == 2
    assert refused.status_code == 409 and refused.json()["code"] == "round_closed"
    late = await session.scalar(select(DossierSubmission.late))
    assert late is False


async def test_a_draft_round_takes_no_dossier(app, client, session):
    dossier, owner, _ = await _world(app, session, round_status="draft")

    response = await _act(client, dossier.id, "submit", owner)

    assert response.status_code == 409 and response.json()["code"] == "round_closed"


async def test_missing_papers_are_named(app, client, session):
    dossier, owner, _ = await _world(app, session, papers=False)

    response = await _act(client, dossier.id, "submit", owner)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "missing_documents"
    names = {m["document_name"] for m in body["missing"]}
    assert names == {
        "Tờ trình",
        "Biên bản họp Hội đồng TĐKT cơ sở / xét khen",
        "Báo cáo thành tích",
    }
    assert "Tờ trình" in body["detail"]


async def test_the_same_nominee_is_not_proposed_twice_a_year(app, client, session):
    person = {"nominee_name": "Quàng Văn Sơn", "birth_year": 1975}
    dossier, owner, _ = await _world(app, session, nominee=person)
    other_unit = await make_unit(session)
    round_ = await session.get(Round, dossier.round_id)
    other = await make_dossier(session, other_unit, round_, status="submitted", nominee=person)
    await session.commit()

    clash = await _act(client, dossier.id, "submit", owner)
    other.status = "withdrawn"
    await session.commit()
    fine = await _act(client, dossier.id, "submit", owner)

    assert clash.status_code == 409 and clash.json()["code"] == "duplicate_nomination"
    assert clash.json()["duplicates"][0]["nominee_name"] == "Quàng Văn Sơn"
    assert fine.status_code == 200, fine.text


async def test_an_empty_dossier_is_not_submitted(app, client, session):
    dossier, owner, _ = await _world(app, session, nominations=0)

    response = await _act(client, dossier.id, "submit", owner)

    assert response.status_code == 422 and response.json()["code"] == "no_nominations"


# ---- Sở Nội vụ's moves -----------------------------------------------------------------------


async def test_receive_return_resubmit_appraise_complete(app, client, session):
    dossier, owner, admin = await _world(app, session, nominations=2)
    await _act(client, dossier.id, "submit", owner)

    returned = await _act(client, dossier.id, "return", admin, {"reason": "Thiếu chữ ký"})
    resubmitted = await _act(client, dossier.id, "submit", owner)
    received = await _act(client, dossier.id, "receive", admin)
    first, second = (n["id"] for n in received.json()["nominations"])
    eligible = await client.post(
        f"/api/v1/nominations/{first}/appraisal", json={"conclusion": "eligible"}, headers=admin
    )
    early = await _act(client, dossier.id, "complete-appraisal", admin)
    await client.post(
        f"/api/v1/nominations/{second}/appraisal",
        json={"conclusion": "ineligible", "note": "Chưa đủ 2 năm HTXS"},
        headers=admin,
    )
    done = await _act(client, dossier.id, "complete-appraisal", admin)

    assert returned.json()["status"] == "returned"
    assert returned.json()["supplement_due_on"] == (
        HolidayCalendar().add_working_days(today(), 5).isoformat()
    )
    assert {n["status"] for n in returned.json()["nominations"]} == {"draft"}
    assert resubmitted.json()["submission_count"] == 2
    assert received.json()["status"] == "under_appraisal"
    assert received.json()["appraisal_due_on"] == (
        HolidayCalendar().add_working_days(today(), 20).isoformat()
    )
    assert eligible.json()["status"] == "eligible"
    assert eligible.json()["appraisal"]["conclusion"] == "eligible"
    assert early.status_code == 409 and early.json()["code"] == "appraisal_incomplete"
    assert done.status_code == 200 and done.json()["status"] == "appraised"
    statuses = {n["id"]: n["status"] for n in done.json()["nominations"]}
    assert statuses == {first: "eligible", second: "ineligible"}


async def test_return_needs_a_reason_and_a_future_deadline(app, client, session):
    dossier, _, admin = await _world(app, session, status="submitted")

    no_reason = await _act(client, dossier.id, "return", admin, {})
    past = await _act(
        client, dossier.id, "return", admin,
        {"reason": "Thiếu", "supplement_due_on": (today() - timedelta(days=1)).isoformat()},
    )  # fmt: skip
    given = (today() + timedelta(days=15)).isoformat()
    chosen = await _act(
        client, dossier.id, "return", admin, {"reason": "Thiếu", "supplement_due_on": given}
    )

    assert no_reason.status_code == 422
    assert past.status_code == 422 and past.json()["code"] == "due_in_past"
    assert chosen.status_code == 200 and chosen.json()["supplement_due_on"] == given


@pytest.mark.parametrize(
    ("status", "action", "who"),
    [
        ("draft", "receive", "admin"),
        ("draft", "return", "admin"),
        ("draft", "complete-appraisal", "admin"),
        ("submitted", "submit", "owner"),
        ("under_appraisal", "withdraw", "owner"),
        ("appraised", "receive", "admin"),
        ("withdrawn", "submit", "owner"),
    ],
)
async def test_any_other_move_is_an_invalid_transition(app, client, session, status, action, who):
    dossier, owner, admin = await _world(app, session, status=status)
    headers = owner if who == "owner" else admin
    body = {"reason": "x"} if action == "return" else None

    response = await _act(client, dossier.id, action, headers, body)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


async def test_appraisal_waits_for_receipt(app, client, session):
    dossier, _, admin = await _world(app, session, status="submitted")
    nomination = (await client.get(f"/api/v1/dossiers/{dossier.id}", headers=admin)).json()[
        "nominations"
    ][0]

    response = await client.post(
        f"/api/v1/nominations/{nomination['id']}/appraisal",
        json={"conclusion": "eligible"},
        headers=admin,
    )

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


async def test_withdraw_a_draft(app, client, session):
    dossier, owner, _ = await _world(app, session)

    response = await _act(client, dossier.id, "withdraw", owner)

    assert response.json()["status"] == "withdrawn"
    assert {n["status"] for n in response.json()["nominations"]} == {"withdrawn"}


async def test_stale_if_match_on_an_action_is_412(app, client, session):
    dossier, owner, _ = await _world(app, session)

    response = await _act(client, dossier.id, "submit", {**owner, "If-Match": '"99"'})

    assert response.status_code == 412


async def test_history_lists_every_step_oldest_first(app, client, session):
    dossier, owner, admin = await _world(app, session)
    await _act(client, dossier.id, "submit", owner, {"comment": "Kính trình"})
    await _act(client, dossier.id, "return", admin, {"reason": "Bổ sung biên bản"})
    _, reader = await signed_in(app, session, "reader")

    response = await client.get(f"/api/v1/dossiers/{dossier.id}/history", headers=owner)
    as_reader = await client.get(f"/api/v1/dossiers/{dossier.id}/history", headers=reader)

    entries = response.json()["items"]
    assert [e["action"] for e in entries] == ["dossier.submitted", "dossier.returned"]
    assert entries[0]["comment"] == "Kính trình" and entries[0]["actor_role"] == "unit"
    assert entries[1]["comment"] == "Bổ sung biên bản"
    assert entries[1]["before"]["status"] == "submitted"
    assert entries[1]["after"]["status"] == "returned"
    assert as_reader.json()["items"][1]["after"] is None


# ---- clocks ----------------------------------------------------------------------------------


async def test_appraisal_clock_skips_tet(app, client, session, monkeypatch):
    dossier, _, admin = await _world(app, session, status="submitted")
    monkeypatch.setattr(rules, "today", lambda: date(2027, 1, 29))

    response = await _act(client, dossier.id, "receive", admin)

    # Tết 2027 (4-10 Feb) pushes 20 working days from Fri 29 Jan to Fri 5 Mar, not 26 Feb.
    assert response.json()["appraisal_due_on"] == "2027-03-05"


async def test_a_day_off_added_by_noi_vu_shifts_the_clock(app, client, session, monkeypatch):
    dossier, _, admin = await _world(app, session, status="submitted")
    monkeypatch.setattr(rules, "today", lambda: date(2027, 1, 29))

    added = await client.put(
        "/api/v1/holidays/2027-03-01", json={"off": True, "name": "Nghỉ bù"}, headers=admin
    )
    response = await _act(client, dossier.id, "receive", admin)

    assert added.status_code == 200
    assert response.json()["appraisal_due_on"] == "2027-03-08"


async def test_holidays_are_listed_amended_and_restored(app, client, session):
    _, admin = await signed_in(app, session)
    _, unit = await signed_in(app, session, "unit")

    worked = await client.put(
        "/api/v1/holidays/2027-02-10", json={"off": False, "name": "Làm bù"}, headers=admin
    )
    listed = await client.get("/api/v1/holidays?year=2027&limit=200", headers=unit)
    removed = await client.delete("/api/v1/holidays/2027-02-10", headers=admin)
    again = await client.delete("/api/v1/holidays/2027-02-10", headers=admin)

    days = {d["day"]: d for d in listed.json()["items"]}
    assert worked.status_code == 200
    assert days["2027-02-10"] == {
        "day": "2027-02-10", "name": "Làm bù", "off": False, "source": "amended",
        "updated_at": worked.json()["updated_at"],
    }  # fmt: skip
    assert days["2027-02-10"]["updated_at"] is not None
    assert days["2027-02-08"]["off"] is True and days["2027-02-08"]["source"] == "library"
    assert days["2027-02-08"]["updated_at"] is None
    assert removed.status_code == 204 and again.status_code == 404


# ---- concurrency -----------------------------------------------------------------------------


async def test_twenty_concurrent_submits_leave_one_submission(app, client, session):
    dossier, owner, _ = await _world(app, session)

    responses = await asyncio.gather(
        *(_act(client, dossier.id, "submit", owner) for _ in range(20))
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) == {200, 409}
    assert {r.json()["code"] for r in responses if r.status_code == 409} <= {
        "invalid_transition",
        "concurrent_update",
    }
    count = await session.scalar(select(func.count()).select_from(DossierSubmission))
    assert count == 1


async def test_six_units_proposing_one_person_at_once_leave_one_submitted(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    person = {"nominee_name": "Lò Văn Khánh", "birth_year": 1979}
    owners = []
    for _ in range(6):
        unit = await make_unit(session)
        dossier = await make_dossier(session, unit, round_, nominee=person)
        owners.append((dossier.id, unit.id))
    await session.commit()
    headers = [(d, (await signed_in(app, session, "unit", unit_id=u))[1]) for d, u in owners]

    responses = await asyncio.gather(*(_act(client, d, "submit", h) for d, h in headers))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409, 409, 409], statuses
    codes = {r.json()["code"] for r in responses if r.status_code == 409}
    assert codes == {"duplicate_nomination"}
    submitted = select(func.count()).where(Dossier.status == "submitted")
    assert await session.scalar(submitted) == 1


async def test_twenty_units_drafting_at_once_get_consecutive_codes(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    await make_dossier(session, await make_unit(session), round_)
    units = [await make_unit(session) for _ in range(20)]
    await session.commit()
    headers = [(await signed_in(app, session, "unit", unit_id=u.id))[1] for u in units]
    body = {"round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
            "nominations": [nomination_body()]}  # fmt: skip

    responses = await asyncio.gather(
        *(client.post("/api/v1/dossiers", json=body, headers=h) for h in headers)
    )

    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
    codes = sorted(r.json()["code"] for r in responses)
    # The dossier arranged before counts too: numbering goes on after it.
    assert codes == [f"HS-{round_.year}-{n:04d}" for n in range(2, 22)]


async def test_twenty_concurrent_creates_with_one_key_make_one_dossier(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    await session.commit()
    _, owner = await signed_in(app, session, "unit")
    headers = {**owner, "Idempotency-Key": "ho-so-dot-1"}
    body = {"round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
            "nominations": [nomination_body(nominee_name="Cầm Thị Hoa")]}  # fmt: skip

    responses = await asyncio.gather(
        *(client.post("/api/v1/dossiers", json=body, headers=headers) for _ in range(20))
    )
    reused = await client.post("/api/v1/dossiers", json={**body, "title": "Khác"}, headers=headers)

    statuses = {r.status_code for r in responses}
    assert statuses <= {201, 409} and 201 in statuses
    assert len({r.json()["id"] for r in responses if r.status_code == 201}) == 1
    assert await session.scalar(select(func.count()).select_from(Dossier)) == 1
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
