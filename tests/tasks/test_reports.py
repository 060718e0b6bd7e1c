"""Progress reports: the lead unit moves its task, a coordinating unit reports for the record."""

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.core.working_days import today_in_vietnam
from app.models import AuditEntry, Event, Task, TaskReport
from tests.factories import (
    make_cluster,
    make_council,
    make_council_member,
    make_unit,
    signed_in,
)
from tests.factories_plans import load_seed, make_papers, make_plan, make_task, seed_tasks
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

REPORT = {"status": "in_progress", "progress_percent": 40, "content": "Đã dự thảo Chỉ thị"}
ENDPOINTS = [
    Endpoint("POST", "/api/v1/tasks/1/reports", "task.report", json=REPORT),
    Endpoint("GET", "/api/v1/tasks/1/reports", "task.list_reports"),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_report_endpoint_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


async def _task_with_units(session):
    """A task led by one unit with one coordinating unit; plus a unit that has no part in it."""
    lead, helper, stranger = [await make_unit(session) for _ in range(3)]
    plan = await make_plan(session)
    task = await make_task(session, plan, lead_unit_id=lead.id, coordinators=[helper])
    return task, lead, helper, stranger


async def _task(app, task_id: int) -> Task:
    async with app.state.db.sessionmaker() as s:
        return await s.get(Task, task_id)


async def test_the_lead_units_report_moves_the_task(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)

    response = await client.post(f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers=headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["applied"] is True and body["unit_id"] == lead.id
    assert body["status"] == "in_progress" and body["attachment_ids"] == []
    moved = await _task(app, task.id)
    assert (moved.status, moved.progress_percent, moved.version) == ("in_progress", 40, 2)


async def test_the_lead_finishing_stamps_today_and_reopening_clears_it(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)
    url = f"/api/v1/tasks/{task.id}/reports"

    await client.post(
        url, json={**REPORT, "status": "done", "progress_percent": 100}, headers=headers
    )
    done = await _task(app, task.id)
    await client.post(url, json=REPORT, headers=headers)
    reopened = await _task(app, task.id)

    assert done.status == "done" and done.completed_on == today_in_vietnam()
    assert done.progress_percent == 100
    assert reopened.status == "in_progress" and reopened.completed_on is None


async def test_a_coordinating_units_report_is_kept_but_moves_nothing(app, client, session):
    task, _, helper, _ = await _task_with_units(session)
    first, second, _ = await make_papers(session, helper)
    _, headers = await signed_in(app, session, "unit", unit_id=helper.id)

    response = await client.post(
        f"/api/v1/tasks/{task.id}/reports",
        json={**REPORT, "status": "done", "progress_percent": 100,
              "attachment_ids": [second.id, first.id, second.id]},
        headers=headers,
    )  # fmt: skip

    assert response.status_code == 201, response.text
    assert response.json()["applied"] is False
    assert response.json()["attachment_ids"] == [second.id, first.id]
    unchanged = await _task(app, task.id)
    assert (unchanged.status, unchanged.progress_percent, unchanged.version) == (
        "not_started",
        0,
        1,
    )


async def test_a_unit_with_no_part_in_the_task_is_refused(app, client, session):
    task, _, _, stranger = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=stranger.id)

    response = await client.post(f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers=headers)
    seen = await client.get(f"/api/v1/tasks/{task.id}", headers=headers)

    assert response.status_code == 403 and response.json()["code"] == "not_task_participant"
    assert seen.status_code == 200  # plan tasks are public to units
    assert (await _task(app, task.id)).status == "not_started"


async def test_noi_vu_reports_for_any_task(app, client, session):
    task, *_ = await _task_with_units(session)
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"/api/v1/tasks/{task.id}/reports",
        json={**REPORT, "status": "cancelled", "content": "Không còn phù hợp"},
        headers=admin,
    )

    assert response.status_code == 201 and response.json()["applied"] is True
    assert (await _task(app, task.id)).status == "cancelled"


async def test_only_noi_vu_cancels_and_a_cancelled_task_takes_no_unit_report(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)
    url = f"/api/v1/tasks/{task.id}/reports"

    cancel = await client.post(url, json={**REPORT, "status": "cancelled"}, headers=headers)
    task.status = "cancelled"
    await session.commit()
    late = await client.post(url, json=REPORT, headers=headers)

    assert cancel.status_code == 403 and cancel.json()["code"] == "cancel_not_allowed"
    assert late.status_code == 409 and late.json()["code"] == "task_cancelled"


async def test_a_report_with_a_stale_if_match_is_412(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)

    response = await client.post(
        f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers={**headers, "If-Match": '"5"'}
    )

    assert response.status_code == 412


@pytest.mark.parametrize(
    "body",
    [
        {**REPORT, "progress_percent": 101},
        {**REPORT, "status": "late"},
        {**REPORT, "content": ""},
        {**REPORT, "applied": True},
    ],
)
async def test_invalid_reports_are_422(app, client, session, body):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)

    response = await client.post(f"/api/v1/tasks/{task.id}/reports", json=body, headers=headers)

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("status", "progress"), [("done", 90), ("not_started", 10), ("not_started", 100)]
)
async def test_progress_that_does_not_fit_the_status_is_refused(
    app, client, session, status, progress
):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)

    response = await client.post(
        f"/api/v1/tasks/{task.id}/reports",
        json={**REPORT, "status": status, "progress_percent": progress},
        headers=headers,
    )

    assert response.status_code == 422 and response.json()["code"] == "progress_mismatch"
    assert (await _task(app, task.id)).version == 1


async def test_a_report_cites_only_papers_of_its_own_units_dossiers(app, client, session):
    task, lead, helper, _ = await _task_with_units(session)
    ours, *_ = await make_papers(session, lead)
    theirs, *_ = await make_papers(session, helper)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)
    url = f"/api/v1/tasks/{task.id}/reports"

    foreign = await client.post(url, json={**REPORT, "attachment_ids": [ours.id, theirs.id]},
                                headers=headers)  # fmt: skip
    missing = await client.post(url, json={**REPORT, "attachment_ids": [99999]}, headers=headers)
    own = await client.post(url, json={**REPORT, "attachment_ids": [ours.id]}, headers=headers)

    assert foreign.status_code == 422 and foreign.json()["code"] == "unknown_attachment"
    assert (
        str(theirs.id) in foreign.json()["detail"] and str(ours.id) not in foreign.json()["detail"]
    )
    assert missing.status_code == 422 and missing.json()["code"] == "unknown_attachment"
    assert own.status_code == 201 and own.json()["attachment_ids"] == [ours.id]
    async with app.state.db.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(TaskReport)) == 1


async def test_noi_vu_cites_the_papers_of_any_dossier(app, client, session):
    task, _, helper, _ = await _task_with_units(session)
    paper, *_ = await make_papers(session, helper)
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"/api/v1/tasks/{task.id}/reports",
        json={**REPORT, "attachment_ids": [paper.id]},
        headers=admin,
    )

    assert response.status_code == 201 and response.json()["attachment_ids"] == [paper.id]


async def test_reporting_on_a_missing_task_is_404(app, client, session):
    _, admin = await signed_in(app, session)

    posted = await client.post("/api/v1/tasks/9999/reports", json=REPORT, headers=admin)
    listed = await client.get("/api/v1/tasks/9999/reports", headers=admin)

    assert posted.status_code == 404 and listed.status_code == 404


async def test_a_report_is_audited_and_announced_to_the_units_cluster(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    cluster = await make_cluster(session, year=2026, members=[lead])
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)

    response = await client.post(f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers=headers)

    async with app.state.db.sessionmaker() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "task.reported"))
        event = await s.scalar(select(Event).where(Event.type == "task.reported"))
    assert entry.entity_id == task.id and entry.after["report_id"] == response.json()["id"]
    assert entry.before["status"] == "not_started" and entry.after["status"] == "in_progress"
    assert (event.unit_id, event.cluster_id) == (lead.id, cluster.id)
    assert event.data["applied"] is True and event.data["code"] == task.code


# ---- reports sent together -------------------------------------------------------------------


async def test_ten_reports_sent_together_by_the_lead_all_count(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)
    sent = [10, 20, 30, 40, 50, 60, 70, 80, 90, 95]

    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/tasks/{task.id}/reports",
                json={**REPORT, "progress_percent": progress},
                headers=headers,
            )
            for progress in sent
        )
    )

    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    moved = await _task(app, task.id)
    assert moved.progress_percent in sent and moved.status == "in_progress"
    async with app.state.db.sessionmaker() as s:
        stored = await s.scalar(
            select(func.count()).select_from(TaskReport).where(TaskReport.task_id == task.id)
        )
    assert stored == 10


async def test_ten_reports_with_one_if_match_apply_once(app, client, session):
    task, lead, _, _ = await _task_with_units(session)
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)

    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/tasks/{task.id}/reports",
                json={**REPORT, "progress_percent": 10 + n},
                headers={**headers, "If-Match": '"1"'},
            )
            for n in range(10)
        )
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 412: 9}, [r.text for r in responses]
    async with app.state.db.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(TaskReport)) == 1


# ---- who reads which reports -----------------------------------------------------------------


async def _reports_by_lead_helper_and_noi_vu(app, client, session):
    task, lead, helper, stranger = await _task_with_units(session)
    for unit in (lead, helper):
        _, headers = await signed_in(app, session, "unit", unit_id=unit.id)
        await client.post(f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers=headers)
    _, admin = await signed_in(app, session)
    await client.post(f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers=admin)
    return task, lead, helper, stranger


async def _unit_ids(client, task, headers) -> list:
    response = await client.get(f"/api/v1/tasks/{task.id}/reports", headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == len(response.json()["items"])
    return [r["unit_id"] for r in response.json()["items"]]


async def test_noi_vu_and_reader_see_every_report_oldest_first(app, client, session):
    task, lead, helper, _ = await _reports_by_lead_helper_and_noi_vu(app, client, session)
    _, admin = await signed_in(app, session)
    _, reader = await signed_in(app, session, "reader")

    assert await _unit_ids(client, task, admin) == [lead.id, helper.id, None]
    assert await _unit_ids(client, task, reader) == [lead.id, helper.id, None]


async def test_a_unit_sees_only_its_own_reports(app, client, session):
    task, _, helper, stranger = await _reports_by_lead_helper_and_noi_vu(app, client, session)
    _, helper_headers = await signed_in(app, session, "unit", unit_id=helper.id)
    _, stranger_headers = await signed_in(app, session, "unit", unit_id=stranger.id)

    assert await _unit_ids(client, task, helper_headers) == [helper.id]
    assert await _unit_ids(client, task, stranger_headers) == []


async def test_a_cluster_head_sees_its_cluster_units_reports(app, client, session):
    task, lead, helper, _ = await _reports_by_lead_helper_and_noi_vu(app, client, session)
    ours = await make_cluster(session, members=[helper])
    await make_cluster(session, members=[lead])
    _, head = await signed_in(app, session, "cluster_head", cluster_id=ours.id)

    assert await _unit_ids(client, task, head) == [helper.id]


# ---- coordinators named as groups: the units of the plan's year ----------------------------


async def _report(app, client, session, unit, task):
    _, headers = await signed_in(app, session, "unit", unit_id=unit.id)
    return await client.post(f"/api/v1/tasks/{task.id}/reports", json=REPORT, headers=headers)


async def test_a_unit_that_joins_a_cluster_reports_on_the_clusters_task_i8(app, client, session):
    """I.8 names "các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh"."""
    plan = await load_seed(session)
    task = (await seed_tasks(session, plan))["I.8"]
    unit = await make_unit(session, name="Sở Xây dựng")
    before = await _report(app, client, session, unit, task)

    await make_cluster(session, year=2026, members=[unit])  # joins after the plan was imported
    after = await _report(app, client, session, unit, task)

    assert before.status_code == 403 and before.json()["code"] == "not_task_participant"
    assert after.status_code == 201, after.text
    assert after.json()["applied"] is False and after.json()["unit_id"] == unit.id


async def test_a_cluster_of_another_year_does_not_make_a_unit_a_participant(app, client, session):
    plan = await load_seed(session)
    task = (await seed_tasks(session, plan))["I.8"]
    unit = await make_unit(session)
    await make_cluster(session, year=2025, members=[unit])

    response = await _report(app, client, session, unit, task)

    assert response.status_code == 403 and response.json()["code"] == "not_task_participant"


async def test_a_council_members_unit_reports_on_a_task_of_the_council(app, client, session):
    """I.6 names "Thành viên Hội đồng TĐKT tỉnh": the units the council's members sit for."""
    plan = await load_seed(session)
    task = (await seed_tasks(session, plan))["I.6"]
    seated, left = await make_unit(session), await make_unit(session)
    council = await make_council(session)
    await make_council_member(session, council, unit_id=seated.id)
    await make_council_member(session, council, unit_id=left.id, active=False)

    admitted = await _report(app, client, session, seated, task)
    refused = await _report(app, client, session, left, task)

    assert admitted.status_code == 201, admitted.text
    assert refused.status_code == 403 and refused.json()["code"] == "not_task_participant"


async def test_a_group_coordinator_reaches_its_units_on_a_small_plan(app, client, session):
    plan = await make_plan(session, year=2027)
    member, outsider = await make_unit(session), await make_unit(session)
    await make_cluster(session, year=2027, members=[member])
    task = await make_task(
        session, plan, groups=[("cluster_member_units", "Các đơn vị tham gia cụm, khối")]
    )

    assert (await _report(app, client, session, member, task)).status_code == 201
    refused = await _report(app, client, session, outsider, task)
    assert refused.status_code == 403 and refused.json()["code"] == "not_task_participant"


async def test_the_task_list_for_a_unit_includes_the_tasks_of_its_groups(app, client, session):
    """`GET /tasks?unit_id=` shows a cluster member the task its cluster's group coordinates,
    in the plan's year only, as the report it may make."""
    plan = await make_plan(session, year=2027)
    member, earlier, outsider = [await make_unit(session) for _ in range(3)]
    await make_cluster(session, year=2027, members=[member])
    await make_cluster(session, year=2026, members=[earlier])
    task = await make_task(
        session, plan, groups=[("cluster_member_units", "Các đơn vị tham gia cụm, khối")]
    )
    _, admin = await signed_in(app, session)

    async def listed(unit) -> list[int]:
        response = await client.get(f"/api/v1/tasks?unit_id={unit.id}", headers=admin)
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()["items"]]

    assert task.id in await listed(member)
    assert task.id not in await listed(earlier)
    assert task.id not in await listed(outsider)
