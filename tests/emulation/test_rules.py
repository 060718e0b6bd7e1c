"""Each refusal of cluster emulation, who sees what, and the role × endpoint matrix."""

from datetime import timedelta

import pytest

from app.core.working_days import today_in_vietnam
from app.models import CouncilMemberCluster
from tests.factories import make_cluster, make_council, make_council_member, make_unit, signed_in
from tests.factories_plans import make_papers
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

from .factories import TABLE, make_khoi

SCORES = {"entries": []}
ENDPOINTS = [
    Endpoint("GET", "/api/v1/emulation/tables", "emulation.list_tables"),
    Endpoint("POST", "/api/v1/emulation/tables", "emulation.create_table",
             json={"cluster_id": 999999, "scoring_due_on": "2026-12-31", **TABLE}),
    Endpoint("GET", "/api/v1/emulation/tables/999999", "emulation.read_table"),
    Endpoint("PATCH", "/api/v1/emulation/tables/999999", "emulation.update_table", json={}),
    Endpoint("POST", "/api/v1/emulation/tables/999999/open", "emulation.open_table"),
    Endpoint("POST", "/api/v1/emulation/tables/999999/revise", "emulation.revise_table"),
    Endpoint("GET", "/api/v1/emulation/tables/999999/sheets", "emulation.list_sheets"),
    Endpoint("PUT", "/api/v1/emulation/tables/999999/sheets/mine", "emulation.save_sheet",
             json=SCORES),
    Endpoint("POST", "/api/v1/emulation/tables/999999/sheets/mine/submit",
             "emulation.submit_sheet"),
    Endpoint("GET", "/api/v1/emulation/sheets/999999", "emulation.read_sheet"),
    Endpoint("POST", "/api/v1/emulation/sheets/999999/adjustments", "emulation.adjust_score",
             json={"criterion_id": 1, "points": 1, "reason": "x"}),
    Endpoint("POST", "/api/v1/emulation/sheets/999999/verify", "emulation.verify_sheet"),
    Endpoint("POST", "/api/v1/emulation/sheets/999999/disagreements", "emulation.dispute_score",
             json={"criterion_id": 1, "reason": "x"}),
    Endpoint("GET", "/api/v1/emulation/tables/999999/ranking", "emulation.ranking"),
    Endpoint("POST", "/api/v1/emulation/tables/999999/publish", "emulation.publish_ranking"),
    Endpoint("POST", "/api/v1/emulation/tables/999999/result", "emulation.record_result",
             json={"round_id": 1, "leader_unit_id": 1}),
    Endpoint("GET", "/api/v1/emulation/tables/999999/result", "emulation.read_result"),
    Endpoint("GET", "/api/v1/emulation/tables/999999/export", "emulation.export_scores"),
    Endpoint("GET", "/api/v1/emulation/progress?year=2026", "emulation.progress"),
    Endpoint("POST", "/api/v1/emulation/tables/999999/votes", "emulation.open_vote",
             json={"candidates": [{"unit_id": 1, "proposal": "co_thi_dua"}],
                   "present_unit_ids": []}),
    Endpoint("GET", "/api/v1/emulation/tables/999999/votes", "emulation.list_votes"),
    Endpoint("GET", "/api/v1/emulation/votes/999999", "emulation.read_vote"),
    Endpoint("POST", "/api/v1/emulation/votes/999999/close", "emulation.close_vote"),
    Endpoint("POST", "/api/v1/emulation/votes/999999/ballots", "emulation.cast_vote",
             json={"votes": [{"candidate_id": 1, "choice": "approve"}]}),
    Endpoint("GET", "/api/v1/emulation/votes/999999/ballots/mine", "emulation.read_my_ballot"),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_emulation_endpoint_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


def _due(days: int) -> str:
    return (today_in_vietnam() + timedelta(days=days)).isoformat()


async def _open_table(app, client, session, *, due_in=10, **overrides):
    cluster, units = await make_khoi(session)
    _, admin = await signed_in(app, session)
    body = {"cluster_id": cluster.id, "scoring_due_on": _due(due_in), **TABLE, **overrides}
    table = (await client.post("/api/v1/emulation/tables", json=body, headers=admin)).json()
    opened = await client.post(f"/api/v1/emulation/tables/{table['id']}/open", headers=admin)
    assert opened.status_code == 200, opened.text
    return cluster, units, admin, opened.json()


def _ids(table):
    return {c["code"]: c["id"] for g in table["groups"] for c in g["criteria"]}


def _full(table, **points):
    ids = _ids(table)
    values = {"1.1": 30, "1.2": 20, "2.1": 20, **points}
    return {"entries": [{"criterion_id": ids[k], "points": v} for k, v in values.items()]}


async def test_a_table_is_frozen_once_scoring_opens_and_changes_by_a_new_revision(
    app, client, session
):
    _cluster, _, admin, table = await _open_table(app, client, session)
    url = f"/api/v1/emulation/tables/{table['id']}"

    frozen = await client.patch(url, json={"title": "Sửa"}, headers={**admin, "If-Match": '"2"'})
    revised = await client.post(f"{url}/revise", headers=admin)
    new_id = revised.json()["id"]
    amended = await client.patch(
        f"/api/v1/emulation/tables/{new_id}", json={"tie_rule": "shared"},
        headers={**admin, "If-Match": '"1"'},
    )  # fmt: skip
    opened = await client.post(f"/api/v1/emulation/tables/{new_id}/open", headers=admin)
    old = await client.get(url, headers=admin)

    assert frozen.status_code == 409 and frozen.json()["code"] == "score_table_frozen"
    assert revised.status_code == 201 and revised.json()["revision"] == 2
    assert revised.json()["status"] == "draft" and revised.json()["copied_from_id"] == table["id"]
    assert [c["code"] for c in _criteria(revised.json())] == ["1.1", "1.2", "2.1", "3.1", "3.2"]
    assert amended.status_code == 200 and amended.json()["tie_rule"] == "shared"
    assert opened.json()["status"] == "scoring" and old.json()["status"] == "superseded"


def _criteria(table):
    return [c for g in table["groups"] for c in g["criteria"]]


async def test_next_years_table_is_copied_from_this_years(app, client, session):
    _cluster, units, admin, table = await _open_table(app, client, session)
    next_year = await make_cluster(session, year=2027, members=list(units.values())[:2])
    await session.commit()

    copied = await client.post(
        "/api/v1/emulation/tables",
        json={"cluster_id": next_year.id, "scoring_due_on": "2027-11-30",
              "copy_from_id": table["id"]},
        headers=admin,
    )  # fmt: skip
    twice = await client.post(
        "/api/v1/emulation/tables",
        json={"cluster_id": next_year.id, "scoring_due_on": "2027-11-30",
              "copy_from_id": table["id"]},
        headers=admin,
    )  # fmt: skip

    assert copied.status_code == 201, copied.text
    body = copied.json()
    assert (body["year"], body["status"], body["tie_rule"]) == (2027, "draft", "fewer_penalties")
    assert [(c["code"], c["max_points"]) for c in _criteria(body)] == [
        (c["code"], c["max_points"]) for c in _criteria(table)
    ]
    assert twice.status_code == 409 and twice.json()["code"] == "duplicate_score_table"


async def test_a_table_without_criteria_or_with_a_code_twice_is_refused(app, client, session):
    cluster, _ = await make_khoi(session)
    _, admin = await signed_in(app, session)
    base = {"cluster_id": cluster.id, "scoring_due_on": _due(5)}
    doubled = {"name": "I", "criteria": [{"code": "1", "name": "a", "max_points": 5},
                                         {"code": "1", "name": "b", "max_points": 5}]}  # fmt: skip

    empty = await client.post("/api/v1/emulation/tables", json=base, headers=admin)
    twice = await client.post(
        "/api/v1/emulation/tables", json={**base, "groups": [doubled]}, headers=admin
    )
    too_precise = await client.post(
        "/api/v1/emulation/tables",
        json={**base, "groups": [{"name": "I", "criteria": [
            {"code": "1", "name": "a", "max_points": 5.125}]}]},
        headers=admin,
    )  # fmt: skip

    assert empty.status_code == 422 and empty.json()["code"] == "empty_score_table"
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate_criterion"
    assert too_precise.status_code == 422


async def test_a_units_scores_are_checked_against_the_table(app, client, session):
    _, units, _, table = await _open_table(app, client, session)
    unit = units["Sở Tư pháp"]
    papers = await make_papers(session, unit)
    _, headers = await signed_in(app, session, "unit", unit_id=unit.id)
    url = f"/api/v1/emulation/tables/{table['id']}/sheets/mine"
    ids = _ids(table)

    over = await client.put(url, json=_full(table, **{"1.1": 40.5}), headers=headers)
    partial = {"entries": [{"criterion_id": ids["1.1"], "points": 30}]}
    await client.put(url, json=partial, headers=headers)
    incomplete = await client.post(f"{url}/submit", headers=headers)
    await client.put(url, json=_full(table, **{"3.1": 2}), headers=headers)
    unproved = await client.post(f"{url}/submit", headers=headers)
    proved = _full(table, **{"3.1": 2})
    proved["entries"][-1]["attachment_ids"] = [papers[0].id]
    await client.put(url, json=proved, headers=headers)
    submitted = await client.post(f"{url}/submit", headers=headers)
    again = await client.put(url, json=proved, headers=headers)

    assert over.status_code == 422 and over.json()["code"] == "points_over_maximum"
    assert incomplete.status_code == 422 and incomplete.json()["code"] == "incomplete_score_sheet"
    assert "1.2" in incomplete.json()["detail"]
    assert unproved.status_code == 422 and unproved.json()["code"] == "missing_evidence"
    assert submitted.status_code == 200 and submitted.json()["total"] == 72.0
    assert again.status_code == 409


async def test_a_unit_outside_the_cluster_cannot_score_and_sees_no_table(app, client, session):
    _, _, _, table = await _open_table(app, client, session)
    stranger = await make_unit(session)
    _, headers = await signed_in(app, session, "unit", unit_id=stranger.id)

    saved = await client.put(
        f"/api/v1/emulation/tables/{table['id']}/sheets/mine", json=_full(table), headers=headers
    )
    listed = await client.get("/api/v1/emulation/tables", headers=headers)

    assert saved.status_code == 404
    assert listed.json()["total"] == 0


async def test_scores_wait_until_the_table_opens(app, client, session):
    cluster, units = await make_khoi(session)
    _, admin = await signed_in(app, session)
    body = {"cluster_id": cluster.id, "scoring_due_on": _due(5), **TABLE}
    table = (await client.post("/api/v1/emulation/tables", json=body, headers=admin)).json()
    _, headers = await signed_in(app, session, "unit", unit_id=units["Sở Tư pháp"].id)

    saved = await client.put(
        f"/api/v1/emulation/tables/{table['id']}/sheets/mine", json=_full(table), headers=headers
    )

    assert saved.status_code == 409 and saved.json()["code"] == "scoring_closed"


async def test_a_late_sheet_is_taken_and_shown_late_and_missing_ones_are_counted(
    app, client, session
):
    cluster, units, admin, table = await _open_table(app, client, session, due_in=-1)
    _, headers = await signed_in(app, session, "unit", unit_id=units["Sở Tư pháp"].id)
    url = f"/api/v1/emulation/tables/{table['id']}/sheets/mine"
    await client.put(url, json=_full(table), headers=headers)

    submitted = await client.post(f"{url}/submit", headers=headers)
    progress = await client.get(f"/api/v1/emulation/progress?year={cluster.year}", headers=admin)

    assert submitted.status_code == 200 and submitted.json()["late"] is True
    row = next(r for r in progress.json()["items"] if r["cluster_id"] == cluster.id)
    assert (row["submitted"], row["late"], row["missing"], row["overdue"]) == (1, 1, 5, True)


async def _submitted(app, client, session, unit_name="Sở Tư pháp"):
    cluster, units, admin, table = await _open_table(app, client, session)
    _, unit = await signed_in(app, session, "unit", unit_id=units[unit_name].id)
    url = f"/api/v1/emulation/tables/{table['id']}/sheets/mine"
    await client.put(url, json=_full(table), headers=unit)
    sheet = (await client.post(f"{url}/submit", headers=unit)).json()
    return cluster, units, admin, table, unit, sheet


async def test_only_the_clusters_head_verifies_and_a_dispute_needs_a_change(app, client, session):
    cluster, units, _, table, unit, sheet = await _submitted(app, client, session)
    _, other_head = await signed_in(app, session, "cluster_head")
    _, head = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    _, neighbour = await signed_in(app, session, "unit", unit_id=units["Sở Tài chính"].id)
    url = f"/api/v1/emulation/sheets/{sheet['id']}"
    change = {"criterion_id": _ids(table)["1.1"], "points": 25, "reason": "Thiếu minh chứng"}

    foreign = await client.post(f"{url}/adjustments", json=change, headers=other_head)
    early = await client.post(
        f"{url}/disagreements", json={"criterion_id": change["criterion_id"], "reason": "x"},
        headers=unit,
    )  # fmt: skip
    over = await client.post(f"{url}/adjustments", json={**change, "points": 41}, headers=head)
    await client.post(f"{url}/adjustments", json=change, headers=head)
    others = await client.post(
        f"{url}/disagreements", json={"criterion_id": change["criterion_id"], "reason": "x"},
        headers=neighbour,
    )  # fmt: skip
    verified = await client.post(f"{url}/verify", headers=head)
    twice = await client.post(f"{url}/verify", headers=head)
    late_change = await client.post(f"{url}/adjustments", json=change, headers=head)

    assert foreign.status_code == 404
    assert early.status_code == 409 and early.json()["code"] == "score_not_adjusted"
    assert over.status_code == 422 and over.json()["code"] == "points_over_maximum"
    assert others.status_code == 404
    assert verified.status_code == 200 and verified.json()["total"] == 65.0
    assert twice.status_code == 409 and twice.json()["code"] == "invalid_transition"
    assert late_change.status_code == 409


async def test_who_sees_the_scores(app, client, session):
    cluster, units, _admin, table, _unit, _sheet = await _submitted(app, client, session)
    council = await make_council(session)
    watching = await make_council_member(session, council)
    elsewhere = await make_council_member(session, council)
    session.add(CouncilMemberCluster(member_id=watching.id, cluster_id=cluster.id))
    await session.flush()
    _, member = await signed_in(app, session, "council_member", council_member_id=watching.id)
    _, other = await signed_in(app, session, "council_member", council_member_id=elsewhere.id)
    _, reader = await signed_in(app, session, "reader")
    _, neighbour = await signed_in(app, session, "unit", unit_id=units["Sở Tài chính"].id)
    sheets = f"/api/v1/emulation/tables/{table['id']}/sheets"

    by_member = await client.get(sheets, headers=member)
    by_other = await client.get(sheets, headers=other)
    by_reader = await client.get(sheets, headers=reader)
    by_neighbour = await client.get(sheets, headers=neighbour)
    ranking_member = await client.get(
        f"/api/v1/emulation/tables/{table['id']}/ranking", headers=member
    )

    assert by_member.json()["total"] == 1 and by_member.json()["items"][0]["entries"]
    assert by_other.status_code == 404
    assert by_reader.json()["items"][0]["entries"] is None
    assert by_reader.json()["items"][0]["total"] == 70.0
    assert by_neighbour.json()["total"] == 0  # a member sees its own sheet only
    assert ranking_member.status_code == 200 and ranking_member.json()["final"] is False


async def test_publishing_needs_a_verified_sheet(app, client, session):
    cluster, _, _, table = await _open_table(app, client, session)
    _, head = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)

    refused = await client.post(f"/api/v1/emulation/tables/{table['id']}/publish", headers=head)

    assert refused.status_code == 409 and refused.json()["code"] == "sheets_not_verified"
