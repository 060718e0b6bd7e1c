"""Tasks: every role follows the plan's tasks and what is late; Sở Nội vụ keeps them right."""

import asyncio
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.api import tasks as tasks_api
from app.core import working_days
from app.core.working_days import today_in_vietnam
from app.models import AuditEntry, Event, Task
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_plans import load_seed, make_plan, make_task, seed_tasks, unit_named
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

TASK_KEYS = {
    "id", "plan_id", "code", "period", "seq", "content", "note", "due", "lead_unit_id",
    "lead_unit_label", "coordinators", "status", "completed_on", "overdue", "warnings",
    "progress_percent", "issued_document_no", "version", "updated_at",
}  # fmt: skip

ENDPOINTS = [
    Endpoint("GET", "/api/v1/tasks", "task.list"),
    Endpoint(
        "POST",
        "/api/v1/tasks",
        "task.create",
        json={"plan_id": 1, "code": "I.1", "period": "Q1", "content": "Việc"},
    ),
    Endpoint("GET", "/api/v1/tasks/1", "task.read"),
    Endpoint("PATCH", "/api/v1/tasks/1", "task.update", json={"content": "Việc"}),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_task_endpoint_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


async def _codes(client, headers, query: str) -> list[str]:
    response = await client.get(f"/api/v1/tasks?limit=200&{query}", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return [t["code"] for t in body["items"]]


# ---- reading ---------------------------------------------------------------------------------


async def test_a_unit_reads_every_task_in_the_contract_shape(app, client, session):
    plan = await load_seed(session)
    _, unit = await signed_in(app, session, "unit")

    response = await client.get(f"/api/v1/plans/{plan.id}/tasks?limit=200", headers=unit)

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 22 and body["limit"] == 200 and body["offset"] == 0
    i8 = next(t for t in body["items"] if t["code"] == "I.8")
    assert set(i8) == TASK_KEYS
    assert i8["due"] == {
        "kind": "month",
        "month": "2026-03",
        "date": "2026-03-31",
        "text": "03/2026",
    }
    assert i8["coordinators"][0] == {
        "unit_id": None,
        "group": "council_members",
        "label": "Thành viên Hội đồng TĐKT tỉnh",
    }
    assert i8["period"] == "Q1" and i8["seq"] == 8 and i8["status"] == "not_started"
    iv3 = next(t for t in body["items"] if t["code"] == "IV.3")
    assert iv3["due"]["kind"] == "by_date" and iv3["due"]["date"] == "2026-11-30"


async def test_one_task_with_its_etag_and_404(app, client, session):
    plan = await load_seed(session)
    tasks = await seed_tasks(session, plan)
    _, reader = await signed_in(app, session, "reader")

    found = await client.get(f"/api/v1/tasks/{tasks['I.9'].id}", headers=reader)
    missing = await client.get("/api/v1/tasks/9999", headers=reader)
    missing_plan = await client.get("/api/v1/plans/9999/tasks", headers=reader)

    assert found.status_code == 200 and etag_version(found) == 1
    assert [w["code"] for w in found.json()["warnings"]] == ["due_year_mismatch"]
    assert missing.status_code == 404 and missing_plan.status_code == 404


async def test_default_order_follows_the_appendix(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    codes = await _codes(client, admin, "")

    assert codes[:3] == ["I.1", "I.2", "I.3"] and codes[9] == "I.10" and codes[-1] == "V.2"


# ---- overdue ---------------------------------------------------------------------------------


async def test_overdue_as_of_the_first_of_april(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    late = await _codes(client, admin, "overdue=true&as_of=2026-04-01")
    on_time = await _codes(client, admin, "overdue=false&as_of=2026-04-01")
    listed = await client.get("/api/v1/tasks?limit=200&as_of=2026-04-01", headers=admin)

    assert sorted(late) == sorted(f"I.{i}" for i in range(1, 11))
    assert len(on_time) == 12 and {"V.1", "V.2"} <= set(on_time)
    flags = {t["code"]: t["overdue"] for t in listed.json()["items"]}
    assert flags["I.10"] is True and flags["II.1"] is False
    assert flags["V.1"] is False and flags["V.2"] is False  # recurring and undated: never


async def test_a_month_is_due_on_its_last_day(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    on_the_day = await _codes(client, admin, "overdue=true&as_of=2026-03-31&period=Q1")
    day_after = await _codes(client, admin, "overdue=true&as_of=2026-04-01&period=Q1")

    assert "I.8" not in on_the_day and "I.8" in day_after
    assert sorted(on_the_day) == [f"I.{i}" for i in range(1, 8)] + ["I.9"]


async def test_row_i9_due_in_2025_is_overdue_early_in_2026(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    assert await _codes(client, admin, "overdue=true&as_of=2026-01-05") == ["I.9"]


async def test_done_and_cancelled_tasks_are_not_overdue(app, client, session):
    plan = await load_seed(session)
    tasks = await seed_tasks(session, plan)
    tasks["I.1"].status = "done"
    tasks["I.2"].status = "cancelled"
    await session.commit()
    _, admin = await signed_in(app, session)

    late = await _codes(client, admin, "overdue=true&as_of=2026-04-01")

    assert len(late) == 8 and "I.1" not in late and "I.2" not in late


async def test_overdue_pages_and_total_agree(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    first = await client.get("/api/v1/tasks?overdue=true&as_of=2026-04-01&limit=4", headers=admin)
    last = await client.get(
        "/api/v1/tasks?overdue=true&as_of=2026-04-01&limit=4&offset=8", headers=admin
    )

    assert first.json()["total"] == last.json()["total"] == 10
    assert len(first.json()["items"]) == 4 and len(last.json()["items"]) == 2


async def test_overdue_defaults_to_today_in_vietnam(app, client, session, monkeypatch):
    # 18:00 UTC on 31 March is already 1 April in Việt Nam: March's tasks are late there.
    instant = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)
    monkeypatch.setattr(
        tasks_api, "today_in_vietnam", lambda: working_days.today_in_vietnam(instant)
    )
    plan = await make_plan(session)
    await make_task(session, plan, code="MARCH")  # due 03/2026
    await make_task(session, plan, code="APRIL", due_date=date(2026, 4, 30), due_month="2026-04")
    await session.commit()
    _, admin = await signed_in(app, session)

    late = await _codes(client, admin, "overdue=true")
    listed = await client.get("/api/v1/tasks", headers=admin)

    assert late == ["MARCH"]
    assert {t["code"]: t["overdue"] for t in listed.json()["items"]} == {
        "MARCH": True,
        "APRIL": False,
    }


# ---- filters, search and sorting -------------------------------------------------------------


async def test_filters_by_period_status_and_dates(app, client, session):
    plan = await load_seed(session)
    (await seed_tasks(session, plan))["IV.1"].status = "in_progress"
    await session.commit()
    _, admin = await signed_in(app, session)

    assert len(await _codes(client, admin, f"plan_id={plan.id}&period=Q4")) == 6
    assert await _codes(client, admin, "status=in_progress") == ["IV.1"]
    assert await _codes(client, admin, "due_from=2026-11-01&due_to=2026-11-30") == ["IV.3", "IV.4"]
    assert await _codes(client, admin, "plan_id=9999") == []


async def test_filters_by_lead_or_coordinating_unit(app, client, session):
    plan = await load_seed(session)
    office = await unit_named(session, "Văn phòng Ủy ban nhân dân tỉnh")
    justice = await unit_named(session, "Sở Tư pháp")
    home = await unit_named(session, "Sở Nội vụ")
    _, admin = await signed_in(app, session)

    coordinated = await _codes(client, admin, f"unit_id={office.id}")
    led = await _codes(client, admin, f"lead_unit_id={home.id}")

    # IV.4 and V.1 name "các cơ quan, đơn vị, địa phương" (every active unit) as coordinator
    assert sorted(coordinated) == sorted(
        ["I.1", "I.2", "I.3", "I.5", "I.9", "I.10", "III.1", "IV.2", "IV.4", "IV.5", "IV.6",
         "V.1"]
    )  # fmt: skip
    assert await _codes(client, admin, f"unit_id={justice.id}") == ["I.5", "IV.4", "V.1"]
    assert len(led) == 22 and len(await _codes(client, admin, f"unit_id={home.id}")) == 22
    assert await _codes(client, admin, f"lead_unit_id={office.id}&plan_id={plan.id}") == []


async def test_search_ignores_accents_and_case(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    found = await _codes(client, admin, "q=THAM DINH ho so")
    by_code = await _codes(client, admin, "q=iv.3")
    in_note = await _codes(client, admin, "q=cao bang")

    assert found == ["I.8", "IV.1", "V.2"]
    assert by_code == ["IV.3"]
    assert in_note == ["I.10"]


async def test_sorting_by_a_whitelisted_field(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    by_due = await _codes(client, admin, "sort=due_date,-code")
    refused = await client.get("/api/v1/tasks?sort=content", headers=admin)
    injected = await client.get("/api/v1/tasks?sort=id;drop table tasks", headers=admin)

    assert by_due[0] == "I.9" and by_due[1:5] == ["I.4", "I.3", "I.2", "I.1"]
    assert by_due[-2:] == ["V.2", "V.1"]  # undated last
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_sort"
    assert injected.status_code == 422


async def test_a_list_of_200_costs_the_same_statements_as_a_list_of_1(
    app, client, session, count_queries
):
    plan = await make_plan(session)
    units = [await make_unit(session) for _ in range(3)]
    await make_task(session, plan, coordinators=units)
    _, admin = await signed_in(app, session)
    with count_queries() as one:
        small = await client.get("/api/v1/tasks?as_of=2026-04-01", headers=admin)
    for _ in range(199):
        await make_task(session, plan, coordinators=units, lead_unit_id=units[0].id)
    await session.commit()

    with count_queries() as many:
        large = await client.get("/api/v1/tasks?limit=200&as_of=2026-04-01", headers=admin)

    assert small.json()["total"] == 1 and len(large.json()["items"]) == 200
    assert all(len(t["coordinators"]) == 3 and t["overdue"] for t in large.json()["items"])
    assert many.count == one.count


# ---- creating and correcting -----------------------------------------------------------------


async def test_noi_vu_adds_a_task(app, client, session):
    plan = await make_plan(session)
    lead = await make_unit(session)
    helper = await make_unit(session, name="Sở Tài chính")
    _, admin = await signed_in(app, session)

    response = await client.post(
        "/api/v1/tasks",
        json={
            "plan_id": plan.id,
            "code": "II.3",
            "period": "Q2",
            "content": "Sơ kết phong trào thi đua",
            "due": {"kind": "month", "month": "2026-06"},
            "lead_unit_id": lead.id,
            "coordinators": [
                {"unit_id": helper.id},
                {"group": "council_members"},
                {"label": "Báo Sơn La"},
            ],
        },
        headers=admin,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/tasks/{body['id']}"
    assert body["seq"] == 3 and body["status"] == "not_started"
    assert body["due"] == {
        "kind": "month",
        "month": "2026-06",
        "date": "2026-06-30",
        "text": "06/2026",
    }
    assert body["coordinators"] == [
        {"unit_id": helper.id, "group": None, "label": "Sở Tài chính"},
        {"unit_id": None, "group": "council_members", "label": "Thành viên Hội đồng TĐKT tỉnh"},
        {"unit_id": None, "group": None, "label": "Báo Sơn La"},
    ]
    async with app.state.db.sessionmaker() as s:
        assert await s.scalar(select(AuditEntry.id).where(AuditEntry.action == "task.created"))


async def test_a_task_code_is_unique_in_its_plan(app, client, session):
    plan = await make_plan(session)
    await make_task(session, plan, code="I.1")
    _, admin = await signed_in(app, session)
    body = {"plan_id": plan.id, "code": "I.1", "period": "Q1", "content": "Việc khác"}

    response = await client.post("/api/v1/tasks", json=body, headers=admin)

    assert response.status_code == 409 and response.json()["code"] == "duplicate_task_code"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"plan_id": 9999}, 422),
        ({"lead_unit_id": 9999}, 422),
        ({"coordinators": [{"unit_id": 9999}]}, 422),
        ({"coordinators": [{}]}, 422),
        ({"due": {"kind": "month"}}, 422),
        ({"status": "done"}, 422),
        ({"period": "Q5"}, 422),
    ],
)
async def test_invalid_tasks_are_refused(app, client, session, change, status):
    plan = await make_plan(session)
    _, admin = await signed_in(app, session)
    body = {"plan_id": plan.id, "code": "I.1", "period": "Q1", "content": "Việc", **change}

    response = await client.post("/api/v1/tasks", json=body, headers=admin)

    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    "due",
    [
        {"kind": "by_date", "date": "2026-03-31", "month": "2026-03"},
        {"kind": "month", "month": "2026-03", "date": "2026-03-15"},
        {"kind": "by_date"},
        {"kind": "recurring", "month": "2026-03"},
        {"kind": "month", "month": "0000-01"},  # no year 0: a 422, not a 500 (found by fuzzing)
    ],
)
async def test_a_due_that_contradicts_itself_is_refused(app, client, session, due):
    plan = await make_plan(session)
    _, admin = await signed_in(app, session)
    body = {"plan_id": plan.id, "code": "I.1", "period": "Q1", "content": "Việc", "due": due}

    response = await client.post("/api/v1/tasks", json=body, headers=admin)

    assert response.status_code == 422 and response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    "change",
    [
        {"content": "Sơ kết\x07 phong trào"},
        {"note": "Ghi chú\x00"},
        {"code": "I.\x1b1"},
        {"lead_unit_label": "Sở\x0b Nội vụ"},
        {"coordinators": [{"label": "Báo\x01 Sơn La"}]},
        {"due": {"kind": "recurring", "text": "Thường\x08 xuyên"}},
    ],
)
async def test_control_characters_in_task_text_are_refused(app, client, session, change):
    plan = await make_plan(session)
    task = await make_task(session, plan)
    _, admin = await signed_in(app, session)
    body = {"plan_id": plan.id, "code": "I.1", "period": "Q1", "content": "Việc", **change}

    created = await client.post("/api/v1/tasks", json=body, headers=admin)
    patched = await client.patch(
        f"/api/v1/tasks/{task.id}", json=change, headers={**admin, "If-Match": "*"}
    )

    assert created.status_code == 422 and patched.status_code == 422


async def test_tabs_and_line_breaks_are_kept(app, client, session):
    plan = await make_plan(session)
    _, admin = await signed_in(app, session)
    content = "Sơ kết phong trào:\n\t- cấp tỉnh\r\n\t- cấp huyện"

    response = await client.post(
        "/api/v1/tasks",
        json={"plan_id": plan.id, "code": "I.1", "period": "Q1", "content": content},
        headers=admin,
    )

    assert response.status_code == 201 and response.json()["content"] == content


@pytest.mark.parametrize("field", ["code", "period", "seq", "content", "due", "coordinators",
                                   "status", "progress_percent"])  # fmt: skip
async def test_an_explicit_null_on_a_required_field_is_422(app, client, session, field):
    plan = await make_plan(session)
    task = await make_task(session, plan)
    _, admin = await signed_in(app, session)

    response = await client.patch(
        f"/api/v1/tasks/{task.id}", json={field: None}, headers={**admin, "If-Match": '"1"'}
    )

    assert response.status_code == 422, response.text
    async with app.state.db.sessionmaker() as s:
        assert (await s.get(Task, task.id)).version == 1


async def test_null_clears_an_optional_field(app, client, session):
    plan = await make_plan(session)
    task = await make_task(session, plan, note="Ghi chú cũ", lead_unit_label="Sở cũ")
    _, admin = await signed_in(app, session)

    response = await client.patch(
        f"/api/v1/tasks/{task.id}",
        json={"note": None, "lead_unit_label": None},
        headers={**admin, "If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.json()["note"] is None and response.json()["lead_unit_label"] is None


async def test_patch_needs_if_match_and_a_fresh_version(app, client, session):
    plan = await make_plan(session)
    task = await make_task(session, plan)
    _, admin = await signed_in(app, session)
    url = f"/api/v1/tasks/{task.id}"

    missing = await client.patch(url, json={"content": "Mới"}, headers=admin)
    stale = await client.patch(url, json={"content": "Mới"}, headers={**admin, "If-Match": '"7"'})
    fresh = await client.patch(url, json={"content": "Mới"}, headers={**admin, "If-Match": '"1"'})
    again = await client.patch(url, json={"content": "Lại"}, headers={**admin, "If-Match": '"1"'})

    assert missing.status_code == 428
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"
    assert fresh.status_code == 200 and etag_version(fresh) == 2
    assert again.status_code == 412


async def test_ten_patches_with_one_if_match_apply_once(app, client, session):
    plan = await make_plan(session)
    task = await make_task(session, plan)
    _, admin = await signed_in(app, session)

    responses = await asyncio.gather(
        *(
            client.patch(
                f"/api/v1/tasks/{task.id}",
                json={"content": f"Nội dung sửa lần {n}"},
                headers={**admin, "If-Match": '"1"'},
            )
            for n in range(10)
        )
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses[200] == 1 and 500 not in statuses, [r.text for r in responses]
    assert set(statuses) <= {200, 409, 412}
    [winner] = [r for r in responses if r.status_code == 200]
    async with app.state.db.sessionmaker() as s:
        stored = await s.get(Task, task.id)
        assert (stored.version, stored.content) == (2, winner.json()["content"])
        edits = await s.scalars(select(AuditEntry).where(AuditEntry.action == "task.updated"))
        assert len(edits.all()) == 1


async def test_finishing_stamps_the_day_and_reopening_clears_it(app, client, session):
    plan = await make_plan(session)
    task = await make_task(session, plan)
    _, admin = await signed_in(app, session)
    url = f"/api/v1/tasks/{task.id}"

    done = await client.patch(url, json={"status": "done"}, headers={**admin, "If-Match": "*"})
    reopened = await client.patch(
        url,
        json={"status": "in_progress", "progress_percent": 60},
        headers={**admin, "If-Match": "*"},
    )

    assert done.json()["completed_on"] == today_in_vietnam().isoformat()
    assert done.json()["progress_percent"] == 100 and done.json()["overdue"] is False
    assert reopened.json()["completed_on"] is None and reopened.json()["progress_percent"] == 60


async def test_correcting_the_due_drops_its_warning(app, client, session):
    plan = await load_seed(session)
    i9 = (await seed_tasks(session, plan))["I.9"]
    _, admin = await signed_in(app, session)

    response = await client.patch(
        f"/api/v1/tasks/{i9.id}",
        json={"due": {"kind": "month", "month": "2026-03"}},
        headers={**admin, "If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.json()["due"]["date"] == "2026-03-31" and response.json()["warnings"] == []
    async with app.state.db.sessionmaker() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "task.updated"))
        event = await s.scalar(select(Event).where(Event.type == "task.updated"))
    assert entry.before["due_month"] == "2025-03" and entry.after["due_month"] == "2026-03"
    assert event.entity_id == i9.id and event.unit_id == i9.lead_unit_id


async def test_replacing_coordinators_and_lead(app, client, session):
    plan = await make_plan(session)
    old = await make_unit(session)
    new = await make_unit(session, name="Sở Văn hóa, Thể thao và Du lịch")
    task = await make_task(session, plan, coordinators=[old], lead_unit_label="Sở cũ")
    _, admin = await signed_in(app, session)

    response = await client.patch(
        f"/api/v1/tasks/{task.id}",
        json={"lead_unit_id": new.id, "coordinators": [{"unit_id": old.id, "label": "Đơn vị A"}]},
        headers={**admin, "If-Match": '"1"'},
    )

    body = response.json()
    assert body["lead_unit_id"] == new.id and body["lead_unit_label"] is None
    assert body["coordinators"] == [{"unit_id": old.id, "group": None, "label": "Đơn vị A"}]
    async with app.state.db.sessionmaker() as s:
        assert (await s.get(Task, task.id)).version == 2
