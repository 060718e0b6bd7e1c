"""Rounds: Sở Nội vụ opens đợt 1 and đợt 2, links the plan's tasks, grants late extensions."""

from datetime import timedelta

from app.services.dossiers.rules import today
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round, make_task

ROUND_2026_1 = {
    "year": 2026,
    "number": 1,
    "submission_opens_on": "2026-02-02",
    "submission_closes_on": "2026-03-15",
    "appraisal_due_on": "2026-04-15",
    "council_meeting_on": "2026-04-25",
}


async def test_noi_vu_creates_a_round_linked_to_plan_tasks(app, client, session):
    i8 = await make_task(session, "I.8")
    i9 = await make_task(session, "I.9")
    await session.commit()
    _, admin = await signed_in(app, session)

    response = await client.post(
        "/api/v1/rounds", json={**ROUND_2026_1, "task_ids": [i8.id, i9.id]}, headers=admin
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "draft" and body["name"] == "Đợt 1 năm 2026"
    assert body["task_ids"] == [i8.id, i9.id]
    assert response.headers["location"] == f"/api/v1/rounds/{body['id']}"
    fetched = await client.get(f"/api/v1/rounds/{body['id']}", headers=admin)
    assert fetched.json() == body and etag_version(fetched) == body["version"]


async def test_one_round_per_year_and_number(app, client, session):
    _, admin = await signed_in(app, session)
    await client.post("/api/v1/rounds", json=ROUND_2026_1, headers=admin)

    again = await client.post("/api/v1/rounds", json=ROUND_2026_1, headers=admin)
    third = await client.post("/api/v1/rounds", json={**ROUND_2026_1, "number": 3}, headers=admin)

    assert again.status_code == 409 and again.json()["code"] == "duplicate_round"
    assert third.status_code == 422


async def test_unknown_task_and_inverted_window_are_refused(app, client, session):
    _, admin = await signed_in(app, session)

    task = await client.post(
        "/api/v1/rounds", json={**ROUND_2026_1, "task_ids": [999]}, headers=admin
    )
    window = await client.post(
        "/api/v1/rounds",
        json={**ROUND_2026_1, "submission_opens_on": "2026-04-01"},
        headers=admin,
    )
    status = await client.post(
        "/api/v1/rounds", json={**ROUND_2026_1, "status": "open"}, headers=admin
    )

    assert task.status_code == 422 and task.json()["code"] == "unknown_reference"
    assert window.status_code == 422 and window.json()["code"] == "invalid_window"
    assert status.status_code == 422


async def test_patch_relinks_tasks_with_if_match(app, client, session):
    task = await make_task(session, "IV.1")
    await session.commit()
    _, admin = await signed_in(app, session)
    created = (await client.post("/api/v1/rounds", json=ROUND_2026_1, headers=admin)).json()
    path = f"/api/v1/rounds/{created['id']}"

    stale = await client.patch(path, json={"name": "x"}, headers={**admin, "If-Match": '"9"'})
    patched = await client.patch(
        path,
        json={"task_ids": [task.id], "council_meeting_on": None},
        headers={**admin, "If-Match": f'"{created["version"]}"'},
    )

    assert stale.status_code == 412
    assert patched.status_code == 200
    assert patched.json()["task_ids"] == [task.id]
    assert patched.json()["council_meeting_on"] is None
    assert patched.json()["version"] > created["version"]


async def test_status_moves_draft_open_closed_completed(app, client, session):
    _, admin = await signed_in(app, session)
    round_id = (await client.post("/api/v1/rounds", json=ROUND_2026_1, headers=admin)).json()["id"]
    base = f"/api/v1/rounds/{round_id}"

    early = await client.post(f"{base}/complete", headers=admin)
    moves = [await client.post(f"{base}/{a}", headers=admin) for a in ("open", "close", "complete")]
    reopen = await client.post(f"{base}/open", headers=admin)

    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"
    assert [m.json()["status"] for m in moves] == ["open", "closed", "completed"]
    assert reopen.status_code == 409 and reopen.json()["code"] == "invalid_transition"
    patch = await client.patch(base, json={"name": "x"}, headers={**admin, "If-Match": "*"})
    assert patch.status_code == 409 and patch.json()["code"] == "round_completed"


async def test_lists_filter_by_year_and_status(app, client, session):
    await make_round(session, year=2026, number=1, status="open")
    await make_round(session, year=2026, number=2, status="draft")
    await make_round(session, year=2027, number=1, status="draft")
    await session.commit()
    _, headers = await signed_in(app, session, "unit")

    year = await client.get("/api/v1/rounds?year=2026", headers=headers)
    drafts = await client.get("/api/v1/rounds?status=draft", headers=headers)

    assert [r["number"] for r in year.json()["items"]] == [1, 2]
    assert drafts.json()["total"] == 2


async def test_extension_records_the_approver_and_is_seen_by_its_unit_only(app, client, session):
    round_ = await make_round(session, status="closed", closes_on=today() - timedelta(days=3))
    late, other = await make_unit(session), await make_unit(session)
    await session.commit()
    admin_user, admin = await signed_in(app, session)
    _, late_headers = await signed_in(app, session, "unit", unit_id=late.id)
    _, other_headers = await signed_in(app, session, "unit", unit_id=other.id)
    until = (today() + timedelta(days=5)).isoformat()

    granted = await client.post(
        f"/api/v1/rounds/{round_.id}/extensions",
        json={"unit_id": late.id, "until": until, "reason": "Mưa lũ chia cắt giao thông"},
        headers=admin,
    )

    assert granted.status_code == 201, granted.text
    assert granted.json()["approved_by_id"] == admin_user.id
    path = f"/api/v1/rounds/{round_.id}/extensions"
    assert (await client.get(path, headers=late_headers)).json()["total"] == 1
    assert (await client.get(path, headers=other_headers)).json()["total"] == 0
    assert (await client.get(path, headers=admin)).json()["total"] == 1


async def test_extension_needs_a_live_round_a_known_unit_and_a_future_day(app, client, session):
    draft = await make_round(session, status="draft")
    live = await make_round(session, number=2)
    unit = await make_unit(session)
    await session.commit()
    _, admin = await signed_in(app, session)
    future = (today() + timedelta(days=2)).isoformat()
    past = (today() - timedelta(days=1)).isoformat()

    on_draft = await client.post(
        f"/api/v1/rounds/{draft.id}/extensions",
        json={"unit_id": unit.id, "until": future, "reason": "x"},
        headers=admin,
    )
    unknown = await client.post(
        f"/api/v1/rounds/{live.id}/extensions",
        json={"unit_id": 999, "until": future, "reason": "x"},
        headers=admin,
    )
    in_past = await client.post(
        f"/api/v1/rounds/{live.id}/extensions",
        json={"unit_id": unit.id, "until": past, "reason": "x"},
        headers=admin,
    )
    missing = await client.post(
        "/api/v1/rounds/999/extensions",
        json={"unit_id": unit.id, "until": future, "reason": "x"},
        headers=admin,
    )

    assert on_draft.status_code == 409 and on_draft.json()["code"] == "round_not_open"
    assert unknown.status_code == 422
    assert in_past.status_code == 422 and in_past.json()["code"] == "until_in_past"
    assert missing.status_code == 404


async def test_year_and_number_are_fixed_once_the_round_has_dossiers(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, status="draft")
    empty = await make_round(session, status="draft", year=today().year + 1, number=2)
    await make_dossier(session, await make_unit(session), round_)
    await session.commit()
    _, admin = await signed_in(app, session)
    headers = {**admin, "If-Match": "*"}

    year = await client.patch(
        f"/api/v1/rounds/{round_.id}", json={"year": round_.year + 1}, headers=headers
    )
    number = await client.patch(f"/api/v1/rounds/{round_.id}", json={"number": 2}, headers=headers)
    same = await client.patch(
        f"/api/v1/rounds/{round_.id}",
        json={"year": round_.year, "name": "Đợt 1 (sửa tên)"},
        headers=headers,
    )
    free = await client.patch(f"/api/v1/rounds/{empty.id}", json={"number": 1}, headers=headers)

    assert year.status_code == 409 and year.json()["code"] == "round_has_dossiers"
    assert number.status_code == 409 and number.json()["code"] == "round_has_dossiers"
    assert same.status_code == 200, same.text
    assert free.status_code == 200 and free.json()["number"] == 1
