"""Drafting dossiers and nominations; who sees which dossier; lists and their cost."""

import asyncio
import re
from datetime import timedelta

from sqlalchemy import update

from app.models import CouncilMemberCluster, Nomination
from app.schemas.common import ListEnvelope
from app.schemas.dossiers import DossierSummary
from app.services.dossiers.rules import today
from tests.factories import (
    etag_version,
    make_cluster,
    make_council,
    make_council_member,
    make_unit,
    signed_in,
)
from tests.factories_dossiers import (
    load_catalogue,
    make_dossier,
    make_history,
    make_round,
    nomination_body,
)


async def _unit_user(app, session, unit=None):
    unit = unit or await make_unit(session)
    _, headers = await signed_in(app, session, "unit", unit_id=unit.id)
    return unit, headers


async def _draft(client, headers, round_id, *nominations, **overrides):
    body = {"round_id": round_id, "kind": "periodic", "title": "Tờ trình đề nghị khen thưởng"}
    body.update(overrides)
    body["nominations"] = list(nominations) or [nomination_body()]
    return await client.post("/api/v1/dossiers", json=body, headers=headers)


# ---- drafting --------------------------------------------------------------------------------


async def test_unit_drafts_a_dossier_of_its_own_in_its_cluster(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    cluster = await make_cluster(session, year=round_.year, members=[unit])
    await session.commit()
    _, headers = await _unit_user(app, session, unit)

    response = await _draft(client, headers, round_.id)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"] == f"HS-{round_.year}-0001"
    assert body["status"] == "draft" and body["owner_kind"] == "unit"
    assert body["submitting_unit_id"] == unit.id and body["cluster_id"] == cluster.id
    nomination = body["nominations"][0]
    assert nomination["status"] == "draft" and nomination["dossier_id"] == body["id"]
    assert nomination["vote_result"] is None and nomination["decision"] is None
    assert {c["rule"] for c in nomination["checks"]} >= {"recipient_kind", "no_discipline"}
    assert etag_version(response) == body["version"]


async def test_codes_count_up_within_the_year(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    await session.commit()
    _, headers = await _unit_user(app, session)

    codes = [(await _draft(client, headers, round_.id)).json()["code"] for _ in range(3)]

    assert codes == [f"HS-{round_.year}-000{i}" for i in (1, 2, 3)]


async def test_cluster_head_drafts_the_clusters_own_nomination(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    head, leader = await make_unit(session), await make_unit(session)
    cluster = await make_cluster(session, year=round_.year, head=head, members=[leader])
    await session.commit()
    _, headers = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    flag = nomination_body(
        nominee_kind="collective",
        nominee_name=leader.name,
        nominee_unit_id=leader.id,
        award_type_code="co_thi_dua_ubnd_tinh",
        birth_year=None,
        position=None,
    )

    response = await _draft(client, headers, round_.id, flag)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["owner_kind"] == "cluster"
    assert body["submitting_unit_id"] == head.id and body["cluster_id"] == cluster.id


async def test_mass_assignment_is_refused(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    await session.commit()
    _, headers = await _unit_user(app, session)

    for field, value in (("status", "appraised"), ("submitting_unit_id", 1), ("id", 77)):
        response = await _draft(client, headers, round_.id, **{field: value})
        assert response.status_code == 422, field
        assert response.json()["code"] == "validation_error"
    nested = await _draft(client, headers, round_.id, nomination_body(status="eligible"))
    assert nested.status_code == 422


async def test_nominations_must_suit_the_award_type(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    await session.commit()
    _, headers = await _unit_user(app, session)

    unknown = await _draft(client, headers, round_.id, nomination_body(award_type_code="x_y"))
    mismatch = await _draft(
        client, headers, round_.id, nomination_body(award_type_code="co_thi_dua_ubnd_tinh")
    )
    no_round = await _draft(client, headers, None)
    roundless = await _draft(client, headers, None, kind="unscheduled")

    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_award_type"
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "recipient_mismatch"
    assert no_round.status_code == 422 and no_round.json()["code"] == "round_required"
    assert roundless.status_code == 201 and roundless.json()["round_id"] is None


async def test_nominations_are_added_patched_and_removed_while_draft(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    await session.commit()
    _, headers = await _unit_user(app, session)
    dossier = (await _draft(client, headers, round_.id)).json()
    base = f"/api/v1/dossiers/{dossier['id']}/nominations"

    added = await client.post(
        base, json=nomination_body(nominee_name="Lò Văn Mười"), headers=headers
    )
    nid = added.json()["id"]
    no_etag = await client.patch(
        f"{base}/{nid}", json={"position": "Trưởng phòng"}, headers=headers
    )
    patched = await client.patch(
        f"{base}/{nid}",
        json={"position": "Trưởng phòng", "birth_year": 1979},
        headers={**headers, "If-Match": added.headers["etag"]},
    )
    sneaky = await client.patch(
        f"{base}/{nid}", json={"status": "eligible"}, headers={**headers, "If-Match": "*"}
    )
    removed = await client.delete(f"{base}/{nid}", headers=headers)
    after = await client.get(f"/api/v1/dossiers/{dossier['id']}", headers=headers)

    assert added.status_code == 201 and added.json()["nominee_name"] == "Lò Văn Mười"
    assert no_etag.status_code == 428
    assert patched.status_code == 200 and patched.json()["birth_year"] == 1979
    assert sneaky.status_code == 422
    assert removed.status_code == 204
    assert len(after.json()["nominations"]) == 1
    assert after.json()["version"] > dossier["version"]


async def test_dossier_patch_changes_title_and_round(app, client, session):
    await load_catalogue(session)
    first = await make_round(session)
    second = await make_round(session, number=2)
    await session.commit()
    _, headers = await _unit_user(app, session)
    dossier = (await _draft(client, headers, first.id)).json()
    path = f"/api/v1/dossiers/{dossier['id']}"

    patched = await client.patch(
        path,
        json={"title": "Tờ trình đợt 2", "round_id": second.id},
        headers={**headers, "If-Match": f'"{dossier["version"]}"'},
    )
    sneaky = await client.patch(
        path, json={"status": "submitted"}, headers={**headers, "If-Match": "*"}
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["round_id"] == second.id and patched.json()["title"] == "Tờ trình đợt 2"
    assert sneaky.status_code == 422


async def test_a_submitted_dossier_is_not_edited(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit, headers = await _unit_user(app, session)
    dossier = await make_dossier(session, unit, round_, status="submitted")
    await session.commit()

    patch = await client.patch(
        f"/api/v1/dossiers/{dossier.id}", json={"title": "x"}, headers={**headers, "If-Match": "*"}
    )
    add = await client.post(
        f"/api/v1/dossiers/{dossier.id}/nominations", json=nomination_body(), headers=headers
    )

    assert patch.status_code == 409 and patch.json()["code"] == "dossier_not_editable"
    assert add.status_code == 409


# ---- scope -----------------------------------------------------------------------------------


async def test_another_units_dossier_is_404_everywhere(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    owner, stranger = await make_unit(session), await make_unit(session)
    dossier = await make_dossier(session, owner, round_)
    await session.commit()
    _, headers = await _unit_user(app, session, stranger)
    base = f"/api/v1/dossiers/{dossier.id}"

    responses = [
        await client.get(base, headers=headers),
        await client.patch(base, json={"title": "x"}, headers={**headers, "If-Match": "*"}),
        await client.post(f"{base}/submit", headers=headers),
        await client.post(f"{base}/nominations", json=nomination_body(), headers=headers),
        await client.get(f"{base}/history", headers=headers),
        await client.post(f"/api/v1/dossiers/{dossier.id + 1000}/withdraw", headers=headers),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    listed = await client.get("/api/v1/dossiers", headers=headers)
    assert listed.json()["total"] == 0


async def test_each_role_lists_its_own_scope(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    a, b, c = await make_unit(session), await make_unit(session), await make_unit(session)
    cluster = await make_cluster(session, year=round_.year, head=a, members=[b])
    other = await make_cluster(session, year=round_.year, members=[c])
    in_a = await make_dossier(session, a, round_, cluster_id=cluster.id)
    in_b = await make_dossier(session, b, round_, cluster_id=cluster.id)
    in_c = await make_dossier(session, c, round_, cluster_id=other.id)
    council = await make_council(session)
    member = await make_council_member(session, council)
    session.add(CouncilMemberCluster(member_id=member.id, cluster_id=other.id))
    await session.commit()
    _, unit_b = await _unit_user(app, session, b)
    _, head = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    _, monitor = await signed_in(app, session, "council_member", council_member_id=member.id)
    _, admin = await signed_in(app, session)
    _, reader = await signed_in(app, session, "reader")

    async def ids(headers):
        response = await client.get("/api/v1/dossiers", headers=headers)
        return sorted(d["id"] for d in response.json()["items"])

    assert await ids(unit_b) == [in_b.id]
    assert await ids(head) == sorted([in_a.id, in_b.id])
    assert await ids(monitor) == [in_c.id]
    assert await ids(admin) == sorted([in_a.id, in_b.id, in_c.id])
    assert await ids(reader) == sorted([in_a.id, in_b.id, in_c.id])


async def test_cluster_head_reads_members_dossiers_but_does_not_edit_them(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    head, member = await make_unit(session), await make_unit(session)
    cluster = await make_cluster(session, year=round_.year, head=head, members=[member])
    dossier = await make_dossier(session, member, round_, cluster_id=cluster.id)
    await session.commit()
    _, headers = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)

    read = await client.get(f"/api/v1/dossiers/{dossier.id}", headers=headers)
    submit = await client.post(f"/api/v1/dossiers/{dossier.id}/submit", headers=headers)

    assert read.status_code == 200
    assert submit.status_code == 403 and submit.json()["code"] == "not_dossier_owner"


async def test_readers_get_names_but_no_personal_data(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    prior = [{"award_type_code": "chien_si_thi_dua_co_so", "year": 2024}]
    dossier = await make_dossier(session, unit, round_, nominee={"prior_awards": prior})
    team = {"nominee_kind": "collective", "nominee_name": "Phòng Tổ chức", "position": None,
            "birth_year": None}  # fmt: skip
    collective = await make_dossier(session, await make_unit(session), round_, nominee=team)
    await session.commit()
    _, reader = await signed_in(app, session, "reader")
    _, admin = await signed_in(app, session)

    as_reader = (await client.get(f"/api/v1/dossiers/{dossier.id}", headers=reader)).json()
    as_admin = (await client.get(f"/api/v1/dossiers/{dossier.id}", headers=admin)).json()
    team_read = (await client.get(f"/api/v1/dossiers/{collective.id}", headers=reader)).json()

    person, seen_by_admin = as_reader["nominations"][0], as_admin["nominations"][0]
    assert person["nominee_name"] == seen_by_admin["nominee_name"]
    assert person["birth_year"] is None and person["position"] is None
    assert person["achievement_summary"] == "" and person["prior_awards"] == []
    declared = [{**prior[0], "decision_no": None, "status": "declared", "history_id": None}]
    assert seen_by_admin["birth_year"] == 1980 and seen_by_admin["prior_awards"] == declared
    assert seen_by_admin["achievement_summary"] == "Hoàn thành xuất sắc nhiệm vụ năm 2025."
    team_summary = team_read["nominations"][0]["achievement_summary"]
    assert team_summary == "Hoàn thành xuất sắc nhiệm vụ năm 2025."


# ---- filters, checks, cost -------------------------------------------------------------------


async def test_filters_narrow_the_list(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    later = await make_round(session, number=2)
    unit = await make_unit(session)
    draft = await make_dossier(session, unit, round_, title="Tờ trình Sở Tư pháp")
    submitted = await make_dossier(session, unit, later, status="submitted")
    late = await make_dossier(
        session, unit, round_, status="under_appraisal",
        appraisal_due_on=today() - timedelta(days=1),
    )  # fmt: skip
    returned = await make_dossier(
        session, unit, round_, status="returned", supplement_due_on=today() - timedelta(days=2)
    )
    await session.commit()
    _, admin = await signed_in(app, session)

    async def ids(query):
        response = await client.get(f"/api/v1/dossiers?{query}", headers=admin)
        assert response.status_code == 200, response.text
        return sorted(d["id"] for d in response.json()["items"])

    assert await ids(f"round_id={later.id}") == [submitted.id]
    assert await ids("status=draft") == [draft.id]
    assert await ids("q=so tu phap") == [draft.id]
    assert await ids("overdue=appraisal") == [late.id]
    assert await ids("overdue=supplement") == [returned.id]
    past = (today() - timedelta(days=5)).isoformat()
    assert await ids(f"overdue=appraisal&as_of={past}") == []
    assert len(await ids("award_type_code=bang_khen_chu_tich_ubnd_tinh")) == 4
    assert await ids("award_type_code=anh_hung_lao_dong") == []
    assert (await client.get("/api/v1/dossiers?overdue=late", headers=admin)).status_code == 422


async def test_a_third_consecutive_cstdcs_makes_the_provincial_check_pass(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session)
    for year in (2023, 2024, 2025):
        await make_history(session, "Hoàng Thị Lan", unit.id, year=year)
    await make_history(session, "Hoàng Thị Lan", None, year=2022)  # another person: no unit
    await session.commit()
    _, headers = await _unit_user(app, session, unit)
    nominee = nomination_body(
        nominee_name="HOANG THI LAN", nominee_unit_id=unit.id,
        award_type_code="chien_si_thi_dua_cap_tinh",
    )  # fmt: skip

    response = await _draft(client, headers, round_.id, nominee)

    checks = {c["rule"]: c for c in response.json()["nominations"][0]["checks"]}
    assert checks["consecutive_cstdcs_3"]["result"] == "pass", checks
    assert checks["initiative_provincial"]["result"] == "unknown"


async def test_declared_prior_awards_count_but_say_so(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    await session.commit()
    _, headers = await _unit_user(app, session)
    nominee = nomination_body(
        prior_awards=[
            {"award_type_code": "chien_si_thi_dua_co_so", "year": 2024, "decision_no": "1/QĐ"},
            {"award_type_code": "chien_si_thi_dua_co_so", "year": 2025, "decision_no": "2/QĐ"},
        ]
    )

    response = await _draft(client, headers, round_.id, nominee)

    checks = {c["rule"]: c for c in response.json()["nominations"][0]["checks"]}
    assert checks["bang_khen_individual"]["result"] == "pass"
    assert "theo kê khai" in checks["bang_khen_individual"]["message"]


async def test_a_page_of_200_costs_what_a_page_of_1_costs(app, client, session, count_queries):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    await make_dossier(session, unit, round_, nominations=2)
    await session.commit()
    _, admin = await signed_in(app, session)

    with count_queries() as one:
        small = await client.get("/api/v1/dossiers", headers=admin)
    for _ in range(199):
        await make_dossier(session, unit, round_, nominations=2)
    await session.commit()
    with count_queries() as many:
        large = await client.get("/api/v1/dossiers?limit=200", headers=admin)

    assert small.json()["total"] == 1 and len(large.json()["items"]) == 200
    assert all(d["attachment_count"] == 3 for d in large.json()["items"])
    assert many.count == one.count


async def test_a_list_page_is_written_as_its_schema_and_never_shows_a_stale_tally(
    app, client, session
):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    received = await make_dossier(
        session, unit, round_, status="under_appraisal", nominations=2,
        appraisal_due_on=today() + timedelta(days=20),
    )  # fmt: skip
    await make_dossier(session, unit, round_, nominations=1)
    await session.commit()
    _, admin = await signed_in(app, session)
    full = (await client.get(f"/api/v1/dossiers/{received.id}", headers=admin)).json()
    stale = full["nominations"][0]
    # Its stored tally says something else, from another day: the list must not believe it.
    await session.execute(
        update(Nomination)
        .where(Nomination.id == stale["id"])
        .values(checks_tally="2000-01-01 9 9 9")
    )
    await session.commit()

    page = await client.get("/api/v1/dossiers?limit=50", headers=admin)

    assert page.status_code == 200, page.text
    schema = ListEnvelope[DossierSummary]
    assert (
        page.content
        == schema.model_validate_json(page.content).model_dump_json(by_alias=True).encode()
    )
    listed = next(d for d in page.json()["items"] if d["id"] == received.id)
    summary = next(n for n in listed["nominations"] if n["id"] == stale["id"])
    results = [c["effective_result"] for c in stale["checks"]]
    assert summary["checks"] == {r: results.count(r) for r in ("pass", "fail", "unknown")}
    assert summary["eligibility"] == stale["eligibility"]
    assert listed["received_at"] == full["received_at"] and listed["appraisal_due_on"]
    past_the_end = (await client.get("/api/v1/dossiers?offset=5", headers=admin)).json()
    assert (past_the_end["items"], past_the_end["total"]) == ([], 2)
    assert page.json()["total"] == 2


# What the README promises of a `GET /dossiers` page: each dossier at most 4,000 bytes besides
# its nominations, each nomination at most 2,200 bytes, whatever their summaries, prior awards and
# papers hold. The worst name escapes each of its 300 characters to six bytes (\u0001).
DOSSIER_BYTES = 4_000
NOMINATION_SUMMARY_BYTES = 2_200


async def test_a_list_page_of_the_largest_dossiers_stays_within_its_stated_bound(
    app, client, session
):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    prior = {"award_type_code": "chien_si_thi_dua_co_so", "year": 2024, "decision_no": "Q" * 100}
    largest = {
        "nominee_name": "\x01" * 300,
        "achievement_summary": "Ữ" * 20_000,
        "prior_awards": [prior] * 100,
    }
    for _ in range(2):
        await make_dossier(
            session, unit, round_, nominations=500, nominee=largest, title="\x01" * 500
        )
    await session.commit()
    _, admin = await signed_in(app, session)

    page = await client.get("/api/v1/dossiers?limit=200", headers=admin)

    assert page.status_code == 200, page.text
    assert len(page.content) <= 2 * (DOSSIER_BYTES + 500 * NOMINATION_SUMMARY_BYTES)
    listed = page.json()["items"][0]
    summary = listed["nominations"][0]
    assert "achievement_summary" not in summary and "prior_awards" not in summary
    assert listed["attachment_count"] == 3 and "attachments" not in listed
    # The full nomination is one request away, and the list's counts are its checks counted.
    full = (await client.get(f"/api/v1/dossiers/{listed['id']}", headers=admin)).json()
    nomination = next(n for n in full["nominations"] if n["id"] == summary["id"])
    assert len(nomination["achievement_summary"]) == 20_000
    assert len(nomination["prior_awards"]) == 100
    results = [c["result"] for c in nomination["checks"]]
    assert summary["checks"] == {r: results.count(r) for r in ("pass", "fail", "unknown")}
    assert summary["checks"]["pass"] > 0
    assert {summary["nominee_name"], summary["status"]} == {"\x01" * 300, "draft"}


def _parameters(statement: str) -> int:
    return len(re.findall(r"\?|\$\d+", statement))


async def test_large_dossiers_name_their_nominees_by_subquery(app, client, session, count_queries):
    # 32,767 bound parameters is PostgreSQL's limit: a page must never bind one per nominee.
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    for _ in range(3):
        await make_dossier(session, unit, round_, nominations=1)
    await session.commit()
    _, admin = await signed_in(app, session)

    with count_queries() as small:
        await client.get("/api/v1/dossiers", headers=admin)
    for _ in range(3):
        await make_dossier(session, unit, round_, nominations=200)
    await session.commit()
    with count_queries() as large:
        response = await client.get("/api/v1/dossiers?limit=3&offset=3", headers=admin)

    assert response.status_code == 200, response.text
    assert sum(len(d["nominations"]) for d in response.json()["items"]) == 600
    assert large.count == small.count
    assert max(_parameters(s) for s in large.statements) <= 50


async def test_concurrent_edits_with_one_fresh_etag_let_one_through(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit, headers = await _unit_user(app, session)
    dossier = await make_dossier(session, unit, round_)
    await session.commit()
    fresh = {**headers, "If-Match": f'"{dossier.version}"'}

    responses = await asyncio.gather(
        *(
            client.patch(f"/api/v1/dossiers/{dossier.id}", json={"title": f"Tờ trình {i}"},
                         headers=fresh)
            for i in range(8)
        )
    )  # fmt: skip

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * 7, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 412} == {"version_mismatch"}


async def test_a_search_without_diacritics_pages_with_its_total(app, client, session):
    """A dossier search ignores diacritics; its pages show the same summaries as the plain list
    and the same total, a page past the end included."""
    await load_catalogue(session)
    round_ = await make_round(session)
    _, headers = await _unit_user(app, session)
    await session.commit()
    for title in ("Tờ trình khen thưởng đột xuất", "Tờ trình khen thưởng năm", "Báo cáo khác"):
        await _draft(client, headers, round_.id, nomination_body(), title=title)

    def search(**params):
        return client.get(
            "/api/v1/dossiers", params={"q": "khen thuong", **params}, headers=headers
        )

    first, past = await search(limit=1), await search(limit=1, offset=5)
    plain = await client.get("/api/v1/dossiers", headers=headers)

    assert [first.json()["total"], past.json()["total"]] == [2, 2]
    assert past.json()["items"] == []
    found = first.json()["items"][0]
    assert found["title"] == "Tờ trình khen thưởng đột xuất"
    assert found == next(d for d in plain.json()["items"] if d["id"] == found["id"])
