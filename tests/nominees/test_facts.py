"""A unit records its officers' ratings, initiatives and discipline; the checks decide on them
and say which facts they used."""

from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_round, nomination_body

API = "/api/v1"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"
NAME = "Lò Thị Mai"


async def _world(app, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp", code="STP")
    other = await make_unit(session, name="Sở Tài chính", code="STC")
    await session.commit()
    _, admin = await signed_in(app, session)
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    return round_, unit, other, admin, officer


def _rating(year: int, rating: str = "htxs", **kw) -> dict:
    return {"nominee_name": NAME, "year": year, "rating": rating,
            "decision_no": f"{year}/QĐ-STP", **kw}  # fmt: skip


async def _propose(client, headers, round_id, unit_id, code=CSTD_TINH):
    body = {
        "round_id": round_id, "kind": "periodic", "title": "Tờ trình",
        "nominations": [nomination_body(nominee_name=NAME, nominee_unit_id=unit_id,
                                        award_type_code=code)],
    }  # fmt: skip
    response = await client.post(f"{API}/dossiers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return {c["rule"]: c for c in response.json()["nominations"][0]["checks"]}


async def test_a_unit_enters_ratings_and_initiatives_and_the_checks_decide(app, client, session):
    round_, unit, _, admin, officer = await _world(app, session)
    history = "Họ và tên,Loại,Đơn vị,Danh hiệu,Năm,Số quyết định\n" + "".join(
        f"{NAME},Cá nhân,STP,Chiến sĩ thi đua cơ sở,{y},{y}/QĐ-CSTĐ\n" for y in (2023, 2024, 2025)
    )
    await client.post(
        f"{API}/award-history/import",
        files={"file": ("h.csv", history.encode(), "text/csv")}, headers=admin,
    )  # fmt: skip
    rated = [await client.post(f"{API}/ratings", json=_rating(y), headers=officer)
             for y in (2023, 2024, 2025)]  # fmt: skip
    initiatives = [
        await client.post(
            f"{API}/initiatives",
            json={"title": title, "authors": [NAME, "Cầm Văn Hùng"], "scope": "provincial",
                  "year": year, "recognised_by": "Hội đồng sáng kiến tỉnh",
                  "decision_no": number, "decided_on": f"{year}-11-20"},
            headers=officer,
        )
        for title, year, number in [("Số hoá hộ tịch", 2024, "88/QĐ-HĐSK"),
                                    ("Một cửa liên thông", 2025, "99/QĐ-HĐSK")]
    ]  # fmt: skip

    checks = await _propose(client, officer, round_.id, unit.id)

    assert [r.status_code for r in rated + initiatives] == [201] * 5
    assert rated[0].json()["unit_id"] == unit.id and rated[0].json()["confirmed"] is False
    assert {c["result"] for c in checks.values()} <= {"pass", "fail"}, checks
    assert checks["consecutive_cstdcs_3"]["result"] == "pass"
    assert "2023/QĐ-CSTĐ" in checks["consecutive_cstdcs_3"]["message"]
    assert checks["initiative_provincial"]["result"] == "pass"
    assert "Số hoá hộ tịch" in checks["initiative_provincial"]["message"]
    assert checks["no_discipline"]["result"] == "pass"


async def test_discipline_fails_the_check_with_its_reason_and_restarts_the_count(
    app, client, session
):
    round_, unit, _, _admin, officer = await _world(app, session)
    for year in (2022, 2023, 2024, 2025):
        await client.post(f"{API}/ratings", json=_rating(year), headers=officer)
    ended = await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "kind": "discipline", "form": "Khiển trách",
              "decision_no": "5/QĐ-KL", "started_on": "2023-03-01", "ended_on": "2024-03-01"},
        headers=officer,
    )  # fmt: skip

    # Bằng khen: HTXS in 2024 and 2025; the discipline ended in 2024, so only 2025 counts.
    restarted = await _propose(client, officer, round_.id, unit.id, "bang_khen_chu_tich_ubnd_tinh")
    running = await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "kind": "investigation", "started_on": "2026-01-05"},
        headers=officer,
    )  # fmt: skip
    failed = await _propose(client, officer, round_.id, unit.id)

    assert ended.status_code == 201 and running.status_code == 201
    assert "tính lại từ năm 2025" in restarted["bang_khen_individual"]["message"], restarted
    assert failed["no_discipline"]["result"] == "fail"
    assert "Đang bị điều tra từ 05/01/2026" in failed["no_discipline"]["message"]


async def test_a_unit_enters_facts_for_its_own_people_only(app, client, session):
    _, _, other, admin, officer = await _world(app, session)

    rating = await client.post(
        f"{API}/ratings", json=_rating(2025, unit_id=other.id), headers=officer
    )
    discipline = await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "unit_id": other.id, "kind": "discipline",
              "started_on": "2025-01-01"},
        headers=officer,
    )  # fmt: skip
    by_admin = await client.post(
        f"{API}/ratings", json=_rating(2025, unit_id=other.id), headers=admin
    )
    listed = await client.get(f"{API}/ratings", headers=officer)
    _, reader = await signed_in(app, session, "reader")
    hidden = await client.get(f"{API}/discipline-records", headers=reader)

    assert rating.status_code == 403 and rating.json()["code"] == "not_own_unit"
    assert discipline.status_code == 403 and discipline.json()["code"] == "not_own_unit"
    assert by_admin.status_code == 201
    assert listed.json()["total"] == 0  # the other unit's rating is not the officer's to see
    assert hidden.status_code == 403


async def test_sở_nội_vụ_confirms_a_rating_and_a_second_one_is_refused(app, client, session):
    _, _, _, admin, officer = await _world(app, session)
    first = await client.post(f"{API}/ratings", json=_rating(2025), headers=officer)
    again = await client.post(f"{API}/ratings", json=_rating(2025, "httt"), headers=officer)
    by_unit = await client.post(f"{API}/ratings/{first.json()['id']}/confirm", headers=officer)
    confirmed = await client.post(f"{API}/ratings/{first.json()['id']}/confirm", headers=admin)
    missing = await client.post(f"{API}/ratings/999999/confirm", headers=admin)
    found = await client.get(f"{API}/ratings?q=lo thi mai", headers=admin)

    assert again.status_code == 409 and again.json()["code"] == "duplicate_rating"
    assert by_unit.status_code == 403
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True
    assert missing.status_code == 404
    assert found.json()["total"] == 1


async def test_ratings_import_in_the_officials_layout_with_row_errors(app, client, session):
    _, _unit, _, _admin, officer = await _world(app, session)
    table = (
        "Họ và tên,Đơn vị,Năm,Xếp loại,Số quyết định/văn bản\n"
        f"{NAME},Sở Tư pháp,2024,Hoàn thành xuất sắc nhiệm vụ,12/QĐ-STP\n"
        f"{NAME},STP,2025,HTTT,13/QĐ-STP\n"
        "Cầm Văn Hùng,Sở Tư pháp,2025,Xuất sắc lắm,14/QĐ-STP\n"
    ).encode()

    def send(**params):
        return client.post(
            f"{API}/ratings/import", params=params,
            files={"file": ("xep-loai.csv", table, "text/csv")}, headers=officer,
        )  # fmt: skip

    refused = await send()
    skipped = await send(skip_invalid="true")
    again = await send(skip_invalid="true")
    listed = await client.get(f"{API}/ratings", headers=officer)

    assert refused.status_code == 422 and refused.json()["code"] == "import_rows_invalid"
    assert refused.json()["errors"][0]["row"] == 4
    assert "HTXS, HTTT, HTNV hoặc KHTNV" in refused.json()["errors"][0]["message"]
    assert skipped.json()["imported"] == 2
    assert (again.json()["imported"], again.json()["skipped_duplicates"]) == (0, 2)
    assert sorted((r["year"], r["rating"]) for r in listed.json()["items"]) == [
        (2024, "htxs"),
        (2025, "httt"),
    ]


async def test_a_year_through_the_api_decides_every_check_of_two_proposals(app, client, session):
    # The officer: Bằng khen tỉnh in 2020 and CSTĐCS 2023–2025 (imported by Sở Nội vụ); five
    # years of ratings and two provincial initiatives entered by her unit.
    round_, unit, _, admin, officer = await _world(app, session)
    history = "Họ và tên,Loại,Đơn vị,Danh hiệu,Năm,Số quyết định\n" + "".join(
        f"{NAME},Cá nhân,STP,{title},{y},{y}/QĐ\n"
        for title, y in [("Bằng khen của Chủ tịch UBND tỉnh", 2020),
                         *(("Chiến sĩ thi đua cơ sở", y) for y in (2023, 2024, 2025))]
    )  # fmt: skip
    await client.post(
        f"{API}/award-history/import",
        files={"file": ("h.csv", history.encode(), "text/csv")}, headers=admin,
    )  # fmt: skip
    for year, rating in [(2021, "httt"), (2022, "httt"), (2023, "htxs"), (2024, "htxs"),
                         (2025, "htxs")]:  # fmt: skip
        await client.post(f"{API}/ratings", json=_rating(year, rating), headers=officer)
    for title, year in [("Số hoá hộ tịch", 2024), ("Một cửa liên thông", 2025)]:
        await client.post(
            f"{API}/initiatives",
            json={"title": title, "authors": [NAME], "scope": "provincial", "year": year},
            headers=officer,
        )
    body = {
        "round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
        "nominations": [
            nomination_body(nominee_name=NAME, nominee_unit_id=unit.id, award_type_code=code)
            for code in (CSTD_TINH, "bang_khen_thu_tuong")
        ],
    }  # fmt: skip

    drafted = await client.post(f"{API}/dossiers", json=body, headers=officer)

    provincial, national = drafted.json()["nominations"]
    for nomination in (provincial, national):
        undecided = [c for c in nomination["checks"] if c["result"] == "unknown"]
        assert undecided == [], undecided
    checks = {c["rule"]: c for c in national["checks"]}
    assert checks["cstdcs_3_in_5"]["result"] == "pass"
    assert "2020/QĐ" in checks["prior_bang_khen_tinh"]["message"]
    assert "Điều 73 khoản 1 điểm b" in checks["consecutive_httt_5"]["legal_basis"]


async def test_the_nominee_record_shows_everything_known_to_who_may_see_it(app, client, session):
    round_, unit, other, admin, officer = await _world(app, session)
    await client.post(f"{API}/ratings", json=_rating(2025), headers=officer)
    await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "kind": "inspection", "started_on": "2020-01-01",
              "ended_on": "2020-06-30"},
        headers=officer,
    )  # fmt: skip
    await client.post(
        f"{API}/initiatives",
        json={"title": "Số hoá hộ tịch", "authors": [NAME], "scope": "grassroots", "year": 2025},
        headers=officer,
    )
    await _propose(client, officer, round_.id, unit.id)
    _, council = await signed_in(app, session, "council_member")
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)
    path = f"{API}/nominees/people?name=lo thi mai&unit_id={unit.id}"

    mine = await client.get(path, headers=officer)
    theirs = await client.get(path, headers=council)
    hidden = await client.get(path, headers=stranger)
    nobody = await client.get(f"{API}/nominees/people?name=ai do&unit_id={unit.id}", headers=admin)

    assert mine.status_code == 200, mine.text
    record = mine.json()
    assert record["nominee_name"] == NAME
    assert [r["year"] for r in record["ratings"]] == [2025]
    assert [i["title"] for i in record["initiatives"]] == ["Số hoá hộ tịch"]
    assert [d["kind"] for d in record["discipline"]] == ["inspection"]
    assert [n["award_type_code"] for n in record["nominations"]] == [CSTD_TINH]
    assert theirs.status_code == 200 and theirs.json()["discipline"] is None
    assert hidden.status_code == 404
    assert nobody.status_code == 404


async def test_a_collectives_record_follows_its_register_row(app, client, session):
    _, _, other, admin, officer = await _world(app, session)
    rated = await client.post(
        f"{API}/ratings",
        json={"nominee_kind": "collective", "nominee_name": "Phòng Hộ tịch, Sở Tư pháp",
              "year": 2025, "rating": "htxs"},
        headers=officer,
    )  # fmt: skip
    collective_id = rated.json()["collective_id"]
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)

    record = await client.get(f"{API}/nominees/collectives/{collective_id}", headers=officer)
    hidden = await client.get(f"{API}/nominees/collectives/{collective_id}", headers=stranger)
    missing = await client.get(f"{API}/nominees/collectives/999999", headers=admin)

    assert record.status_code == 200, record.text
    assert record.json()["nominee_name"] == "Phòng Hộ tịch, Sở Tư pháp"
    assert [r["rating"] for r in record.json()["ratings"]] == ["htxs"]
    assert hidden.status_code == 404 and missing.status_code == 404


async def test_the_ratings_import_looks_duplicates_up_in_one_batch(
    app, client, session, count_queries
):
    _, _unit, _, _admin, officer = await _world(app, session)
    header = "Họ và tên,Loại,Đơn vị,Năm,Xếp loại,Số quyết định/văn bản\n"

    def table(names: list[str]) -> bytes:
        rows = [f"{n},Cá nhân,STP,2025,HTXS,1/QĐ\n" for n in names]
        rows += [f"Phòng {n},Tập thể,STP,2025,HTXS,2/QĐ\n" for n in names]
        return (header + "".join(rows)).encode()

    async def send(names: list[str]):
        with count_queries() as counter:
            response = await client.post(
                f"{API}/ratings/import", files={"file": ("x.csv", table(names), "text/csv")},
                headers=officer,
            )  # fmt: skip
        assert response.status_code == 200, response.text
        lookups = [
            s
            for s in counter.statements
            if s.lstrip().upper().startswith("SELECT") and "FROM yearly_ratings" in s
        ]
        return response.json(), len(lookups)

    few = [f"Người {i}" for i in range(2)]
    many = [f"Người {i}" for i in range(40)]
    first, few_lookups = await send(few)
    again, _ = await send(few)
    more, many_lookups = await send(many)
    # A repeat inside one file is skipped too.
    repeated, _ = await send(["Người 99", "Người 99"])

    assert (first["imported"], again["skipped_duplicates"]) == (4, 4)
    assert (more["imported"], more["skipped_duplicates"]) == (76, 4)
    assert (repeated["imported"], repeated["skipped_duplicates"]) == (2, 2)
    # 20 times the rows, the same lookups of ratings already recorded: not one per row.
    assert many_lookups == few_lookups <= 2
