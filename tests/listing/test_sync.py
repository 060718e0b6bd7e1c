"""Incremental sync on every list: `updated_since=`, `sort=` and offset paging that neither skips
nor repeats a row while rows tie on the sort key, checked the same way on each list.

Each case makes a few rows of its list the way the feature does, then dates every row of the
table explicitly: all at OLD (so they tie on `updated_at`) except one at NEW. A caller in
Vietnam asks for `updated_since` between the two, written with its +07:00 offset.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.working_days import today_in_vietnam
from app.models import (
    AuditEntry,
    AwardHistory,
    AwardType,
    CalendarFeed,
    Cluster,
    ClusterVote,
    Council,
    Decision,
    DisciplineRecord,
    Dossier,
    Holiday,
    Initiative,
    Meeting,
    Plan,
    RoleGrant,
    Round,
    RoundExtension,
    RuleValue,
    ScoreSheet,
    ScoreTable,
    ServiceToken,
    Task,
    TaskReport,
    Unit,
    User,
    WebhookDelivery,
    WebhookSubscription,
    YearlyRating,
)
from tests.factories import make_cluster, make_council, make_unit, make_user, signed_in
from tests.factories_council import make_meeting
from tests.factories_dossiers import (
    grant_extension,
    load_catalogue,
    make_dossier,
    make_history,
    make_round,
)
from tests.factories_plans import make_plan, make_task

OLD = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
NEW = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
# 2026-03-01 02:00 UTC, as a caller in Vietnam writes it
BETWEEN = "2026-03-01T09:00:00+07:00"


@dataclass
class Made:
    path: str
    model: type
    ids: list[int]  # the rows made; the list may hold others (the caller itself, …)
    key: str = "id"  # what identifies a row in the answer
    # The list also shows rows no one stored (the law's holidays, default rule values): they
    # have no `updated_at` and no `updated_since` returns them.
    unstored: bool = False
    # How the answer names a stored row when not by a column (a rule value: `<key>/<date>`).
    identity: Callable[[Any], Any] | None = None


Maker = Callable[[AsyncSession, User], Awaitable[Made]]


async def _units(session, me):
    return Made("/units", Unit, [(await make_unit(session)).id for _ in range(3)])


async def _clusters(session, me):
    return Made("/clusters", Cluster, [(await make_cluster(session)).id for _ in range(3)])


async def _councils(session, me):
    return Made("/councils", Council, [(await make_council(session)).id for _ in range(3)])


async def _users(session, me):
    return Made("/users", User, [(await make_user(session)).id for _ in range(3)])


async def _service_tokens(session, me):
    rows = [
        ServiceToken(name=f"Báo cáo {i}", expires_on=date(2027, 1, 1), jti=f"j{i}",
                     created_by_id=me.id)
        for i in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made("/service-tokens", ServiceToken, [r.id for r in rows])


async def _role_grants(session, me):
    user = await make_user(session, "unit")
    rows = [
        RoleGrant(user_id=user.id, role="reader", granted_at=OLD, granted_by_id=me.id)
        for _ in range(3)
    ]
    session.add_all(rows)
    await session.flush()
    return Made(f"/users/{user.id}/grants", RoleGrant, [r.id for r in rows])


async def _plans(session, me):
    return Made("/plans", Plan, [(await make_plan(session)).id for _ in range(3)])


async def _tasks(session, me):
    plan = await make_plan(session)
    return Made("/tasks", Task, [(await make_task(session, plan)).id for _ in range(3)])


async def _plan_tasks(session, me):
    plan = await make_plan(session)
    ids = [(await make_task(session, plan)).id for _ in range(3)]
    await make_task(session, await make_plan(session))  # another plan's task: not listed
    return Made(f"/plans/{plan.id}/tasks", Task, ids)


async def _task_reports(session, me):
    task = await make_task(session, await make_plan(session))
    rows = [
        TaskReport(
            task_id=task.id, status="in_progress", progress_percent=10 * i, content="Báo cáo"
        )
        for i in range(3)
    ]
    session.add_all(rows)
    await session.flush()
    return Made(f"/tasks/{task.id}/reports", TaskReport, [r.id for r in rows])


async def _rounds(session, me):
    ids = [(await make_round(session, year=year)).id for year in (2025, 2026, 2027)]
    return Made("/rounds", Round, ids)


async def _extensions(session, me):
    round_ = await make_round(session)
    for _ in range(3):
        await grant_extension(session, round_, (await make_unit(session)).id, date(2026, 12, 31))
    return Made(f"/rounds/{round_.id}/extensions", RoundExtension, [])


async def _dossiers(session, me):
    await load_catalogue(session)
    unit, round_ = await make_unit(session), await make_round(session)
    ids = [(await make_dossier(session, unit, round_)).id for _ in range(3)]
    return Made("/dossiers", Dossier, ids)


def _audit(entity_type: str, entity_id: int | None, i: int) -> dict:
    return {"occurred_at": OLD, "action": f"thu.{i}", "entity_type": entity_type,
            "entity_id": entity_id}  # fmt: skip


async def _audit_log(session, me):
    await session.execute(insert(AuditEntry), [_audit("unit", None, i) for i in range(4)])
    return Made("/audit", AuditEntry, [])


async def _dossier_history(session, me):
    await load_catalogue(session)
    dossier = await make_dossier(session, await make_unit(session), await make_round(session))
    await session.execute(insert(AuditEntry), [_audit("dossier", dossier.id, i) for i in range(4)])
    return Made(f"/dossiers/{dossier.id}/history", AuditEntry, [])


async def _award_types(session, me):
    rows = [
        AwardType(code=f"loai_{i}", name=f"Loại {i}", level="provincial", recipient="individual",
                  decided_by="Chủ tịch UBND tỉnh", position=1)
        for i in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made("/award-types", AwardType, [r.id for r in rows], key="code")


async def _award_history(session, me):
    unit = await make_unit(session)
    ids = [(await make_history(session, "Lò Văn Páo", unit.id, year=2024)).id for _ in range(3)]
    return Made("/award-history", AwardHistory, ids)


async def _ratings(session, me):
    unit = await make_unit(session)
    rows = [
        YearlyRating(nominee_kind="individual", nominee_name="Cầm Thị Xuân",
                     nominee_key=f"cam thi xuan {i}", unit_id=unit.id, year=2025, rating="htxs")
        for i in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made("/ratings", YearlyRating, [r.id for r in rows])


async def _discipline(session, me):
    unit = await make_unit(session)
    rows = [
        DisciplineRecord(nominee_name="Quàng Văn Hặc", nominee_key="quang van hac",
                         unit_id=unit.id, kind="discipline", started_on=date(2025, 1, 1))
        for _ in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made("/discipline-records", DisciplineRecord, [r.id for r in rows])


async def _initiatives(session, me):
    rows = [Initiative(title=f"Sáng kiến {i}", scope="grassroots", year=2025) for i in range(3)]
    session.add_all(rows)
    await session.flush()
    return Made("/initiatives", Initiative, [r.id for r in rows])


async def _meetings(session, me):
    council = await make_council(session)
    when = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
    ids = [(await make_meeting(session, council, scheduled_at=when)).id for _ in range(3)]
    return Made("/meetings", Meeting, ids)


async def _decisions(session, me):
    rows = [
        Decision(kind="provincial_award", number=f"{i}/QĐ", number_key=f"{i}/qd", year=2026,
                 signed_on=date(2026, 4, 1), signed_by="Chủ tịch UBND tỉnh")
        for i in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made("/decisions", Decision, [r.id for r in rows])


async def _score_tables(session, me):
    cluster = await make_cluster(session)
    rows = [
        ScoreTable(cluster_id=cluster.id, year=2026, revision=i + 1, title=f"Bảng điểm {i}",
                   scoring_due_on=date(2026, 11, 30))
        for i in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made("/emulation/tables", ScoreTable, [r.id for r in rows])


async def _score_sheets(session, me):
    units = [await make_unit(session) for _ in range(3)]
    cluster = await make_cluster(session, members=units)
    table = ScoreTable(cluster_id=cluster.id, year=2026, title="Bảng điểm",
                       scoring_due_on=date(2026, 11, 30))  # fmt: skip
    session.add(table)
    await session.flush()
    rows = [ScoreSheet(table_id=table.id, cluster_id=cluster.id, unit_id=u.id) for u in units]
    session.add_all(rows)
    await session.flush()
    return Made(f"/emulation/tables/{table.id}/sheets", ScoreSheet, [r.id for r in rows])


def _subscription(me: User) -> WebhookSubscription:
    return WebhookSubscription(url="https://hooks.example.vn/tdkt", owner_role="noi_vu",
                               owner_user_id=me.id, secret="whsec_thu")  # fmt: skip


async def _webhooks(session, me):
    rows = [_subscription(me) for _ in range(3)]
    session.add_all(rows)
    await session.flush()
    return Made("/webhooks", WebhookSubscription, [r.id for r in rows])


async def _deliveries(session, me):
    subscription = _subscription(me)
    session.add(subscription)
    await session.flush()
    rows = [
        WebhookDelivery(subscription_id=subscription.id, event_type="dossier.submitted",
                        message_id=f"msg_{i}", payload={})
        for i in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made(f"/webhooks/{subscription.id}/deliveries", WebhookDelivery, [r.id for r in rows])


async def _calendar_feeds(session, me):
    rows = [CalendarFeed(user_id=me.id, name=f"Lịch {i}", token_hash=f"{i:064d}") for i in range(3)]
    session.add_all(rows)
    await session.flush()
    return Made("/calendar-feeds", CalendarFeed, [r.id for r in rows])


async def _holidays(session, me):
    year = today_in_vietnam().year
    rows = [Holiday(day=date(year, 8, 10 + i), off=True, name=f"Nghỉ bù {i}") for i in range(3)]
    session.add_all(rows)
    await session.flush()
    return Made("/holidays", Holiday, [r.day for r in rows], key="day", unstored=True)


async def _rule_values(session, me):
    # The clocks may be stored already (the migrations move those stored before); a shipped
    # value not stored is listed with no `updated_at`. Three thresholds stored at their shipped
    # date here: still one row per key.
    keys = [f"council_vote_threshold_percent.{code}" for code in
            ("anh_hung_lao_dong", "bang_khen_thu_tuong", "co_thi_dua_chinh_phu")]  # fmt: skip
    session.add_all(
        RuleValue(key=key, effective_from=date(2024, 1, 1), value=80, unit="percent",
                  name=key, legal_basis="Thử")
        for key in keys
    )  # fmt: skip
    await session.flush()
    ids = list(await session.scalars(select(RuleValue.id).where(RuleValue.key.in_(keys))))
    return Made("/rule-values", RuleValue, sorted(ids), unstored=True,
                identity=lambda row: f"{row.key}/{row.effective_from.isoformat()}")  # fmt: skip


async def _progress(session, me):
    ids = [(await make_cluster(session, year=2026)).id for _ in range(3)]
    return Made("/emulation/progress?year=2026", Cluster, ids, key="cluster_id")


async def _cluster_votes(session, me):
    cluster = await make_cluster(session)
    table = ScoreTable(cluster_id=cluster.id, year=2026, title="Bảng điểm",
                       scoring_due_on=date(2026, 11, 30))  # fmt: skip
    session.add(table)
    await session.flush()
    rows = [
        ClusterVote(table_id=table.id, cluster_id=cluster.id, opened_at=OLD, voters_total=6,
                    present=5, quorum_percent=66.67, threshold_percent=50)
        for _ in range(3)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return Made(f"/emulation/tables/{table.id}/votes", ClusterVote, [r.id for r in rows])


MAKERS: dict[str, Maker] = {
    "units": _units, "clusters": _clusters, "councils": _councils, "users": _users,
    "service-tokens": _service_tokens, "role-grants": _role_grants, "plans": _plans,
    "tasks": _tasks,
    "plan-tasks": _plan_tasks, "task-reports": _task_reports, "rounds": _rounds,
    "round-extensions": _extensions, "dossiers": _dossiers, "audit": _audit_log,
    "dossier-history": _dossier_history, "award-types": _award_types,
    "award-history": _award_history, "ratings": _ratings, "discipline-records": _discipline,
    "initiatives": _initiatives, "meetings": _meetings, "decisions": _decisions,
    "score-tables": _score_tables, "score-sheets": _score_sheets, "webhooks": _webhooks,
    "webhook-deliveries": _deliveries, "calendar-feeds": _calendar_feeds,
    "holidays": _holidays, "rule-values": _rule_values, "emulation-progress": _progress,
    "cluster-votes": _cluster_votes,
}  # fmt: skip


async def _arrange(app, session, name: str) -> tuple[Made, dict[str, str], int]:
    """The rows of list `name`, every one at OLD but the returned id, changed at NEW."""
    me, headers = await signed_in(app, session)
    made = await MAKERS[name](session, me)
    model = made.model
    if model is AuditEntry:  # append-only: its rows are dated when they are written
        changed = AuditEntry(occurred_at=NEW, action="thu.moi", entity_type="dossier",
                             entity_id=int(made.path.split("/")[2]) if "history" in made.path
                             else None)  # fmt: skip
        session.add(changed)
        await session.flush()
        changed_id = changed.id
    else:
        primary = model.__mapper__.primary_key[0]
        await session.execute(update(model).values(updated_at=OLD))
        changed_id = made.ids[-1] if made.ids else None
        if changed_id is None:  # the made rows are the list's only rows
            changed_id = (await session.execute(model.__table__.select())).first().id
        await session.execute(update(model).where(primary == changed_id).values(updated_at=NEW))
    if made.key != "id" and hasattr(model, made.key):  # an award type is known by its code
        changed_id = getattr(await session.get(model, changed_id), made.key)
    elif made.identity is not None:
        changed_id = made.identity(await session.get(model, changed_id))
    if isinstance(changed_id, date):  # a holiday, by its day
        changed_id = changed_id.isoformat()
    await session.commit()
    return made, headers, changed_id


def _get(client, path: str, headers, params: dict):
    """GET a list's path (which may carry its own query, `?year=2026`) with `params` added."""
    path, _, query = path.partition("?")
    fixed = dict(pair.split("=") for pair in query.split("&") if pair)
    return client.get(f"/api/v1{path}", params={**fixed, **params}, headers=headers)


async def _all(client, path: str, headers, **params) -> list[dict]:
    response = await _get(client, path, headers, {"limit": 200, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


LISTS = pytest.mark.parametrize("name", list(MAKERS))


@LISTS
async def test_updated_since_gives_what_changed_after_it_and_nothing_else(
    app, client, session, name
):
    made, headers, changed_id = await _arrange(app, session, name)

    everything = await _all(client, made.path, headers)
    changed = await _all(client, made.path, headers, updated_since=BETWEEN)

    assert len(everything) >= 3
    assert [row[made.key] for row in changed] == [changed_id]
    assert changed[0]["updated_at"] == "2026-03-01T03:00:00Z"
    unchanged = {"2026-03-01T01:00:00Z", *([None] if made.unstored else [])}
    assert all(row["updated_at"] in unchanged for row in everything
               if row[made.key] != changed_id)  # fmt: skip


@LISTS
async def test_sort_ascending_and_descending(app, client, session, name):
    made, headers, changed_id = await _arrange(app, session, name)

    key = made.key
    by_id = [row[key] for row in await _all(client, made.path, headers, sort=key)]
    by_id_desc = [row[key] for row in await _all(client, made.path, headers, sort=f"-{key}")]
    oldest_first = await _all(client, made.path, headers, sort="updated_at")
    newest_first = await _all(client, made.path, headers, sort="-updated_at")

    assert by_id == sorted(by_id) and by_id_desc == by_id[::-1]
    assert oldest_first[-1][key] == changed_id and newest_first[0][key] == changed_id


@LISTS
async def test_an_unknown_sort_key_is_refused_with_the_keys_allowed(app, client, session, name):
    made, headers, _ = await _arrange(app, session, name)

    response = await _get(client, made.path, headers, {"sort": "-colour"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_sort"
    assert "colour" in response.json()["detail"] and "updated_at" in response.json()["detail"]


@LISTS
@pytest.mark.parametrize("sort", [None, "updated_at", "-updated_at"])
async def test_paging_by_two_visits_every_row_once_while_rows_tie(app, client, session, name, sort):
    made, headers, _ = await _arrange(app, session, name)
    expected = {row[made.key] for row in await _all(client, made.path, headers)}

    seen: list[int] = []
    for offset in range(0, len(expected) + 2, 2):
        params = {"limit": 2, "offset": offset} | ({"sort": sort} if sort else {})
        response = await _get(client, made.path, headers, params)
        seen += [row[made.key] for row in response.json()["items"]]

    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected


async def test_a_real_edit_moves_updated_at_and_brings_the_row_into_the_next_sync(
    app, client, session
):
    _, headers = await signed_in(app, session)
    unit = await make_unit(session)
    other = await make_unit(session)
    await session.commit()
    before = (await client.get(f"/api/v1/units/{unit.id}", headers=headers)).json()
    last = (await client.get(f"/api/v1/units/{other.id}", headers=headers)).json()["updated_at"]
    since = (datetime.fromisoformat(last) + timedelta(microseconds=1)).isoformat()

    edit = await client.patch(
        f"/api/v1/units/{unit.id}",
        json={"name": "Sở Nội vụ tỉnh Sơn La"},
        headers=headers | {"If-Match": (await client.get(f"/api/v1/units/{unit.id}",
                                                         headers=headers)).headers["etag"]},
    )  # fmt: skip
    synced = await _all(client, "/units", headers, updated_since=since)

    assert edit.status_code == 200
    assert edit.json()["updated_at"] > before["updated_at"]
    assert [row["id"] for row in synced] == [unit.id]
    assert other.id not in [row["id"] for row in synced]


async def test_updated_since_without_a_timezone_is_refused(app, client, session):
    _, headers = await signed_in(app, session)

    response = await client.get(
        "/api/v1/units", params={"updated_since": "2026-03-01T09:00:00"}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "updated_since"]
    assert "múi giờ" in response.json()["errors"][0]["msg"]


def test_every_list_declares_its_sort_keys_as_an_enum_and_updated_since(app):
    document = app.openapi()
    lists = [
        (path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method == "get" and "ListEnvelope" in str(operation["responses"]["200"]["content"])
    ]

    missing = []
    for path, operation in lists:
        params = {p["name"]: p for p in operation.get("parameters", [])}
        # What identifies an item (`id`, an award type's `code`, a holiday's `day`) is the
        # first name `fields=` takes.
        key = params.get("fields", {}).get("schema", {}).get("items", {}).get("enum", ["id"])[0]
        items = params.get("sort", {}).get("schema", {}).get("items", {})
        if not {key, f"-{key}", "updated_at", "-updated_at"} <= set(items.get("enum", ())):
            missing.append(f"{path}: sort")
        elif (params["sort"].get("style"), params["sort"].get("explode")) != ("form", False):
            missing.append(f"{path}: sort=a,b")
        if "updated_since" not in params:
            missing.append(f"{path}: updated_since")
    assert len(lists) >= len(MAKERS)
    assert {made for made in MAKERS} >= {"holidays", "rule-values", "emulation-progress"}
    # The public surface keeps a fixed order: nothing to sync without an account.
    assert [m for m in missing if not m.startswith("/api/v1/public/")] == []


async def test_updated_since_beyond_the_calendar_in_utc_is_a_422_not_a_crash(app, client, session):
    _, headers = await signed_in(app, session)

    response = await client.get(
        "/api/v1/dossiers", params={"updated_since": "9999-12-31T23:00:00-05:00"}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "updated_since"]


@LISTS
async def test_fields_cuts_every_list_to_its_key_and_what_is_asked(app, client, session, name):
    """A mobile client syncing asks only for what changed and when: `fields=updated_at`."""
    made, headers, changed_id = await _arrange(app, session, name)

    rows = await _all(client, made.path, headers, updated_since=BETWEEN, fields="updated_at")

    assert rows == [{made.key: changed_id, "updated_at": "2026-03-01T03:00:00Z"}]
