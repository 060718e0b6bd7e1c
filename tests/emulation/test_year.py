"""One khối of the Sơn La directory through its emulation year: the table, six members score
themselves, the head adjusts two sheets, the ranking (with a tie broken by the table's rule and
one left shared), the result, the cluster's draft dossier, and the `cluster_leader` criterion of
Cờ thi đua passing for the leader and failing for the second."""

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.working_days import today_in_vietnam
from app.models import AuditEntry, Event
from app.services.documents.render import DOCX_TYPE
from tests.documents.docx_reading import all_text, table_rows
from tests.factories import signed_in
from tests.factories_dossiers import load_catalogue, make_round
from tests.factories_plans import make_papers

from .factories import KHOI_UNITS, TABLE, make_khoi, run_cluster_vote

# (1.1, 1.2, 2.1, bonus 3.1, penalty 3.2) each unit enters for itself
SELF_SCORES = {
    "Văn phòng UBND tỉnh": (38, 28, 29, 3, 0),  # 98
    "Sở Tài chính": (39, 29, 28, 2, 2),  # 96, the head takes 1.1 down to 36: 93
    "Sở Tư pháp": (37, 28.5, 27.5, 0, 0),  # 93, ranks above Sở Tài chính: fewer penalties
    "Thanh tra tỉnh": (36, 27, 28, 0, 1),  # 90
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh": (35, 27, 27, 0, 0),  # 89, 2.1 taken down: 88.5
    "Sở Khoa học và Công nghệ": (34.5, 27, 27, 0, 0),  # 88.5, shares 5th place
}


@dataclass
class Year:
    units: dict[str, int]
    head_headers: dict[str, str]
    unit_headers: dict[str, dict[str, str]]
    admin: dict[str, str]
    cluster_id: int
    table: dict


async def _table(client, admin, cluster_id, **overrides):
    due = (today_in_vietnam() + timedelta(days=10)).isoformat()
    body = {"cluster_id": cluster_id, "scoring_due_on": due, **TABLE, **overrides}
    return await client.post("/api/v1/emulation/tables", json=body, headers=admin)


async def _set_up(app, client, session) -> Year:
    cluster, units = await make_khoi(session)
    papers = {name: await make_papers(session, unit) for name, unit in units.items()}
    _, admin = await signed_in(app, session)
    _, head = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    unit_headers = {}
    for name, unit in units.items():
        unit_headers[name] = (await signed_in(app, session, "unit", unit_id=unit.id))[1]
    created = await _table(client, admin, cluster.id)
    assert created.status_code == 201, created.text
    table = created.json()
    opened = await client.post(f"/api/v1/emulation/tables/{table['id']}/open", headers=admin)
    assert opened.status_code == 200, opened.text
    year = Year({n: u.id for n, u in units.items()}, head, unit_headers, admin, cluster.id,
                opened.json())  # fmt: skip
    year.papers = {name: [p.id for p in items] for name, items in papers.items()}
    return year


def _criteria(table: dict) -> list[dict]:
    return [c for group in table["groups"] for c in group["criteria"]]


def _entries(year: Year, name: str) -> list[dict]:
    entries = []
    for criterion, points in zip(_criteria(year.table), SELF_SCORES[name], strict=True):
        entry = {"criterion_id": criterion["id"], "points": points,
                 "explanation": f"Tự đánh giá tiêu chí {criterion['code']}"}  # fmt: skip
        if criterion["evidence"] and points:
            entry["attachment_ids"] = year.papers[name][:1]
        entries.append(entry)
    return entries


async def _score_and_submit(client, year: Year, name: str):
    url = f"/api/v1/emulation/tables/{year.table['id']}/sheets/mine"
    headers = year.unit_headers[name]
    saved = await client.put(url, json={"entries": _entries(year, name)}, headers=headers)
    assert saved.status_code == 200, saved.text
    submitted = await client.post(f"{url}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


async def test_a_khoi_runs_its_year_and_the_leader_passes_the_co_thi_dua_check(
    app, client, session
):
    await load_catalogue(session)
    year = await _set_up(app, client, session)
    round_ = await make_round(session)
    await session.commit()
    table_id = year.table["id"]
    criteria = {c["code"]: c for c in _criteria(year.table)}

    # the six members score themselves and submit
    sheets = {name: await _score_and_submit(client, year, name) for name in SELF_SCORES}
    assert sheets["Sở Tài chính"]["self_total"] == 96.0
    assert sheets["Sở Tư pháp"]["total"] == 93.0 and sheets["Sở Tư pháp"]["late"] is False

    # a member does not see the ranking before the head publishes it
    early = await client.get(
        f"/api/v1/emulation/tables/{table_id}/ranking", headers=year.unit_headers["Sở Tư pháp"]
    )
    assert early.status_code == 409 and early.json()["code"] == "ranking_not_published"

    # the head adjusts two sheets, with reasons the units see
    for name, code, points, reason in (
        ("Sở Tài chính", "1.1", 36, "Chưa hoàn thành 1 chỉ tiêu giao"),
        ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "2.1", 26.5, "Nộp báo cáo chậm"),
    ):
        adjusted = await client.post(
            f"/api/v1/emulation/sheets/{sheets[name]['id']}/adjustments",
            json={"criterion_id": criteria[code]["id"], "points": points, "reason": reason},
            headers=year.head_headers,
        )
        assert adjusted.status_code == 200, adjusted.text
    seen = await client.get(
        f"/api/v1/emulation/sheets/{sheets['Sở Tài chính']['id']}",
        headers=year.unit_headers["Sở Tài chính"],
    )
    entry = next(e for e in seen.json()["entries"] if e["criterion_id"] == criteria["1.1"]["id"])
    assert (entry["points"], entry["verified_points"]) == (39.0, 36.0)
    assert entry["adjustment_reason"] == "Chưa hoàn thành 1 chỉ tiêu giao"
    assert seen.json()["total"] == 93.0

    # the unit records that it disagrees
    disputed = await client.post(
        f"/api/v1/emulation/sheets/{sheets['Sở Tài chính']['id']}/disagreements",
        json={"criterion_id": criteria["1.1"]["id"], "reason": "Chỉ tiêu đã hoàn thành quý IV"},
        headers=year.unit_headers["Sở Tài chính"],
    )
    assert disputed.status_code == 200, disputed.text

    # publishing waits for every sheet to be verified
    refused = await client.post(
        f"/api/v1/emulation/tables/{table_id}/publish", headers=year.head_headers
    )
    assert refused.status_code == 409 and refused.json()["code"] == "sheets_not_verified"
    for sheet in sheets.values():
        verified = await client.post(
            f"/api/v1/emulation/sheets/{sheet['id']}/verify", headers=year.head_headers
        )
        assert verified.status_code == 200, verified.text
    published = await client.post(
        f"/api/v1/emulation/tables/{table_id}/publish", headers=year.head_headers
    )
    assert published.status_code == 200, published.text

    # the ranking: the tie at 93 broken by fewer penalties, the tie at 88.5 shared
    ranking = await client.get(
        f"/api/v1/emulation/tables/{table_id}/ranking", headers=year.unit_headers["Sở Tư pháp"]
    )
    assert ranking.status_code == 200, ranking.text
    places = [(r["rank"], r["unit_name"], r["total"]) for r in ranking.json()["items"]]
    assert places[:4] == [
        (1, "Văn phòng UBND tỉnh", 98.0),
        (2, "Sở Tư pháp", 93.0),
        (3, "Sở Tài chính", 93.0),
        (4, "Thanh tra tỉnh", 90.0),
    ]
    assert sorted(places[4:]) == [
        (5, "Sở Khoa học và Công nghệ", 88.5),
        (5, "Văn phòng Đoàn ĐBQH và HĐND tỉnh", 88.5),
    ]
    assert ranking.json()["final"] is True and ranking.json()["unscored_unit_ids"] == []

    # the leading unit must be the highest scorer
    leader, second = year.units["Văn phòng UBND tỉnh"], year.units["Sở Tư pháp"]
    wrong = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result",
        json={"round_id": round_.id, "leader_unit_id": second, "bang_khen_unit_ids": []},
        headers=year.head_headers,
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "leader_not_top_scorer"
    assert "xếp thứ 2" in wrong.json()["detail"]
    # the result is the cluster meeting's: its secret ballot first
    body = {"round_id": round_.id, "leader_unit_id": leader,
            "bang_khen_unit_ids": [second, year.units["Sở Tài chính"]]}  # fmt: skip
    no_vote = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result", json=body, headers=year.head_headers
    )
    assert no_vote.status_code == 409 and no_vote.json()["code"] == "cluster_vote_required"
    candidates = [{"unit_id": leader, "proposal": "co_thi_dua"}] + [
        {"unit_id": u, "proposal": "bang_khen"} for u in body["bang_khen_unit_ids"]
    ]
    vote = await run_cluster_vote(
        client, table_id, year.head_headers, year.unit_headers, candidates,
        present=list(year.units.values()), choose=lambda name, c: "approve",
    )  # fmt: skip
    assert [(c["approve"], c["passed"]) for c in vote["candidates"]] == [(6, True)] * 3
    result = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result",
        json={"round_id": round_.id, "leader_unit_id": leader,
              "bang_khen_unit_ids": [second, year.units["Sở Tài chính"]]},
        headers=year.head_headers,
    )  # fmt: skip
    assert result.status_code == 201, result.text
    proposals = {s["unit_id"]: (s["rank"], s["proposal"]) for s in result.json()["standings"]}
    assert proposals[leader] == (1, "co_thi_dua") and proposals[second] == (2, "bang_khen")

    # the draft cluster dossier for the head, with the nominations and the leader's check
    dossier = await client.get(
        f"/api/v1/dossiers/{result.json()['dossier_id']}", headers=year.head_headers
    )
    assert dossier.status_code == 200, dossier.text
    assert dossier.json()["status"] == "draft" and dossier.json()["cluster_id"] == year.cluster_id
    nominations = {n["nominee_unit_id"]: n for n in dossier.json()["nominations"]}
    assert nominations[leader]["award_type_code"] == "co_thi_dua_ubnd_tinh"
    assert nominations[second]["award_type_code"] == "bang_khen_chu_tich_ubnd_tinh"
    check = next(c for c in nominations[leader]["checks"] if c["rule"] == "cluster_leader")
    assert check["result"] == "pass"
    assert "Khối các cơ quan tổng hợp năm" in check["message"] and "xếp thứ 1" in check["message"]

    # the second unit cannot propose itself for Cờ thi đua outside the cluster's result
    own = await client.post(
        "/api/v1/dossiers",
        json={"round_id": round_.id, "kind": "periodic", "title": "Tờ trình của Sở Tư pháp",
              "nominations": [{"nominee_kind": "collective", "nominee_name": "Sở Tư pháp",
                               "nominee_unit_id": second,
                               "award_type_code": "co_thi_dua_ubnd_tinh"}]},
        headers=year.unit_headers["Sở Tư pháp"],
    )  # fmt: skip
    assert own.status_code == 422 and own.json()["code"] == "not_cluster_leader"
    assert "xếp thứ 2 (93.00 điểm)" in own.json()["detail"]
    assert "Khối các cơ quan tổng hợp" in own.json()["detail"]

    # Sở Nội vụ follows every cluster, and exports the score sheet
    progress = await client.get("/api/v1/emulation/progress?year=2026", headers=year.admin)
    row = next(r for r in progress.json()["items"] if r["cluster_id"] == year.cluster_id)
    assert (row["members"], row["submitted"], row["verified"], row["missing"]) == (6, 6, 6, 0)
    assert row["table_status"] == "decided" and row["leader_unit_id"] == leader
    exported = await client.get(
        f"/api/v1/emulation/tables/{table_id}/export?format=xlsx", headers=year.admin
    )
    assert exported.status_code == 200
    rows = list(load_workbook(BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Xếp hạng", "ID đơn vị", "Đơn vị")
    assert rows[1][:3] == (1, leader, "Văn phòng UBND tỉnh")
    assert rows[1][rows[0].index("Tổng điểm")] == 98.0

    # and as the paper the head signs (DOCX, NĐ 30/2020)
    paper = await client.get(
        f"/api/v1/emulation/tables/{table_id}/export?format=docx", headers=year.head_headers
    )
    assert paper.status_code == 200, paper.text
    assert paper.headers["content-type"].startswith(DOCX_TYPE)
    document = Document(BytesIO(paper.content))
    text = all_text(document)
    assert "BẢNG TỔNG HỢP ĐIỂM THI ĐUA" in text and "KHỐI CÁC CƠ QUAN TỔNG HỢP" in text
    assert "TRƯỞNG KHỐI" in text and "VĂN PHÒNG UBND TỈNH" in text
    ranking_rows = table_rows(document.tables[1])
    assert ranking_rows[1][:4] == ["1", "Văn phòng UBND tỉnh", "98", "98"]
    assert ranking_rows[3][:4] == ["3", "Sở Tài chính", "96", "93"]
    details = table_rows(document.tables[2])
    adjusted = next(r for r in details if r[0] == "1.1" and "Chưa hoàn thành" in r[5])
    assert adjusted[2:6] == ["40", "39", "36", "Chưa hoàn thành 1 chỉ tiêu giao"]
    assert "3. Sở Tài chính: 93 điểm, xếp thứ 3" in text

    # every change is audited and emitted as an event
    async with app.state.db.sessionmaker() as s:
        actions = set(await s.scalars(select(AuditEntry.action)))
        events = set(await s.scalars(select(Event.type)))
    for name in ("score_table.created", "score_table.opened", "score_sheet.submitted",
                 "score_sheet.adjusted", "score_sheet.disputed", "score_sheet.verified",
                 "score_table.published", "score_table.decided"):  # fmt: skip
        assert name in actions and name in events, name
    assert "score_sheet.saved" in actions


assert len(KHOI_UNITS) == len(SELF_SCORES)
