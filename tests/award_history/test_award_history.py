"""Award history: searched without diacritics within the caller's scope, imported from CSV or
XLSX for past years, and read by later criteria checks."""

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import AwardHistory
from tests.factories import make_cluster, make_unit, signed_in
from tests.factories_council import API, CSTD_TINH, CSTD_TOAN_QUOC, eligible_nominations, the_round
from tests.factories_dossiers import load_catalogue, make_dossier, make_history

CSTDCS = "chien_si_thi_dua_co_so"


async def _count(session) -> int:
    n = await session.scalar(select(func.count()).select_from(AwardHistory))
    await session.commit()
    return n


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    return ("\n".join(delimiter.join(r) for r in rows) + "\n").encode("utf-8-sig")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(client, headers, data: bytes, name: str = "lich-su.csv", **params):
    return client.post(
        f"{API}/award-history/import",
        headers=headers,
        params={k: str(v).lower() for k, v in params.items()},
        files={"file": (name, data, "application/octet-stream")},
    )


VI_HEADER = ["Họ và tên", "Loại (cá nhân/tập thể)", "Đơn vị", "Danh hiệu", "Năm", "Số quyết định",
             "Ngày quyết định"]  # fmt: skip


# ---- search ----------------------------------------------------------------------------------


async def test_search_ignores_diacritics_and_filters(app, client, session):
    unit = await make_unit(session)
    await make_history(session, "Nguyễn Văn Đức", unit.id, year=2023)
    await make_history(session, "Nguyễn Văn Đức", unit.id, year=2025)
    await make_history(session, "Trần Thị Hà", unit.id, year=2024)
    await make_history(
        session, "Phòng Tổ chức", unit.id, nominee_kind="collective",
        award_type_code="tap_the_lao_dong_tien_tien", year=2024,
    )  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)

    found = await client.get(f"{API}/award-history", params={"q": "nguyen van duc"}, headers=admin)
    ranged = await client.get(
        f"{API}/award-history", params={"year_from": 2024, "year_to": 2024}, headers=admin
    )
    kind = await client.get(
        f"{API}/award-history", params={"nominee_kind": "collective"}, headers=admin
    )
    code = await client.get(
        f"{API}/award-history", params={"award_type_code": CSTDCS, "unit_id": unit.id},
        headers=admin,
    )  # fmt: skip

    assert [(r["nominee_name"], r["year"]) for r in found.json()["items"]] == [
        ("Nguyễn Văn Đức", 2025),
        ("Nguyễn Văn Đức", 2023),
    ]
    item = found.json()["items"][0]
    assert set(item) >= {"id", "nominee_kind", "nominee_name", "unit_id", "award_type_code",
                         "year", "decision_no", "decided_on", "source"}  # fmt: skip
    assert ranged.json()["total"] == 2
    assert [r["nominee_name"] for r in kind.json()["items"]] == ["Phòng Tổ chức"]
    assert code.json()["total"] == 3


async def test_a_searched_page_and_its_total_agree_on_every_page(app, client, session):
    """A search counts its matches with its page; a page past the end still says how many."""
    unit = await make_unit(session)
    for year in range(2018, 2025):
        await make_history(session, "Lò Văn Thắng", unit.id, year=year)
    await make_history(session, "Trần Thị Hà", unit.id, year=2024)
    await session.commit()
    _, admin = await signed_in(app, session)

    def page(**params):
        return client.get(
            f"{API}/award-history", params={"q": "lo van thang", **params}, headers=admin
        )

    first, second, past, none = (
        await page(limit=5), await page(limit=5, offset=5), await page(limit=5, offset=20),
        await page(q="khong ai co ten nay"),
    )  # fmt: skip

    assert [first.json()["total"], second.json()["total"], past.json()["total"]] == [7, 7, 7]
    assert [r["year"] for r in first.json()["items"] + second.json()["items"]] == list(
        range(2024, 2017, -1)
    )
    assert past.json()["items"] == []
    assert none.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


async def test_units_and_cluster_heads_see_their_own_history(app, client, session):
    mine, neighbour, stranger = [await make_unit(session) for _ in range(3)]
    cluster = await make_cluster(session, head=mine, members=[neighbour])
    for unit in (mine, neighbour, stranger):
        await make_history(session, f"Cán bộ {unit.code}", unit.id)
    await session.commit()
    _, unit_headers = await signed_in(app, session, "unit", unit_id=mine.id)
    _, head_headers = await signed_in(app, session, "cluster_head", cluster_id=cluster.id)
    _, reader = await signed_in(app, session, "reader")

    as_unit = await client.get(f"{API}/award-history", headers=unit_headers)
    as_head = await client.get(f"{API}/award-history", headers=head_headers)
    as_reader = await client.get(f"{API}/award-history", headers=reader)

    assert {r["unit_id"] for r in as_unit.json()["items"]} == {mine.id}
    assert {r["unit_id"] for r in as_head.json()["items"]} == {mine.id, neighbour.id}
    assert as_reader.json()["total"] == 3


# ---- import ----------------------------------------------------------------------------------


async def test_import_a_csv_with_vietnamese_headers(app, client, session):
    await load_catalogue(session)
    office = await make_unit(
        session, code="VPUBND", name="Văn phòng Ủy ban nhân dân tỉnh",
        aliases=["Văn phòng UBND tỉnh"],
    )  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)
    person = ["Lò Văn Páo", "Cá nhân", "Văn phòng UBND tỉnh", "Chiến sĩ thi đua cơ sở", "2024",
              "12/QĐ-VP", "15/12/2024"]  # fmt: skip
    office_team = ["Phòng Hành chính", "tập thể", "VPUBND", "tap_the_lao_dong_tien_tien", "2024"]
    data = _csv([VI_HEADER, person, [*office_team, "", ""]], delimiter=";")

    response = await _import(client, admin, data)

    assert response.status_code == 200, response.text
    assert response.json() == {"imported": 2, "skipped_duplicates": 0, "errors": [],
                               "dry_run": False, "warnings": []}  # fmt: skip
    rows = (
        await client.get(f"{API}/award-history", params={"q": "lo van pao"}, headers=admin)
    ).json()
    assert rows["items"][0] | {"id": 0, "updated_at": None} == {
        "id": 0, "nominee_kind": "individual", "nominee_name": "Lò Văn Páo",
        "unit_id": office.id, "collective_id": None, "award_type_code": CSTDCS, "year": 2024,
        "decision_year": 2024, "decision_no": "12/QĐ-VP", "decided_on": "2024-12-15",
        "source": "import", "kind": "regular", "nomination_id": None,
        "confirmed": True, "confirmed_at": None, "version": 1, "updated_at": None,
    }  # fmt: skip
    team = (
        await client.get(f"{API}/award-history", params={"q": "phong hanh"}, headers=admin)
    ).json()["items"][0]
    assert team["collective_id"] is not None and team["decision_year"] is None


async def test_import_an_xlsx_with_english_headers_and_dates(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session)
    await session.commit()
    _, admin = await signed_in(app, session)
    data = _xlsx(
        [
            ["nominee_name", "nominee_kind", "unit", "award_type_code", "year", "decision_no",
             "decided_on"],
            ["Hoàng Thị Mai", "individual", unit.code, CSTDCS, 2023, "5/QĐ", date(2023, 12, 1)],
        ]
    )  # fmt: skip

    response = await _import(client, admin, data, name="history.xlsx")

    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 1
    row = (await session.scalars(select(AwardHistory))).one()
    await session.commit()
    assert (row.unit_id, row.year, row.decided_on) == (unit.id, 2023, date(2023, 12, 1))


async def test_a_dry_run_saves_nothing_and_duplicates_are_skipped(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session)
    await session.commit()
    _, admin = await signed_in(app, session)
    row = ["Lê Văn Nam", "cá nhân", unit.code, CSTDCS, "2025", "", ""]
    data = _csv([VI_HEADER, row, row])

    preview = await _import(client, admin, data, dry_run=True)
    counted = await _count(session)
    first = await _import(client, admin, data)
    second = await _import(client, admin, data)

    assert preview.json() == {"imported": 1, "skipped_duplicates": 1, "errors": [],
                              "dry_run": True, "warnings": []}  # fmt: skip
    assert counted == 0
    assert (first.json()["imported"], first.json()["skipped_duplicates"]) == (1, 1)
    assert (second.json()["imported"], second.json()["skipped_duplicates"]) == (0, 2)
    assert await _count(session) == 1


async def test_rows_in_error_refuse_the_import_unless_skipped(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session)
    await session.commit()
    _, admin = await signed_in(app, session)
    data = _csv(
        [
            VI_HEADER,
            ["Đúng Người", "cá nhân", unit.code, CSTDCS, "2025", "", ""],
            ["Sai Đơn Vị", "cá nhân", "Sở Không Có", CSTDCS, "2025", "", ""],
            ["Sai Danh Hiệu", "cá nhân", unit.code, "Huy chương vàng", "2025", "", ""],
            ["Sai Năm", "cá nhân", unit.code, CSTDCS, "năm ngoái", "", ""],
            ["", "cá nhân", unit.code, CSTDCS, "2025", "", ""],
            ["Sai Ngày", "cá nhân", unit.code, CSTDCS, "2025", "", "32/13/2025"],
        ]
    )

    refused = await _import(client, admin, data)
    counted = await _count(session)
    skipped = await _import(client, admin, data, skip_invalid=True)

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "import_rows_invalid"
    assert [e["row"] for e in problem["errors"]] == [3, 4, 5, 6, 7]
    assert "Sở Không Có" in problem["errors"][0]["message"]
    assert counted == 0
    assert skipped.status_code == 200
    assert skipped.json()["imported"] == 1 and len(skipped.json()["errors"]) == 5


async def test_a_file_that_is_not_a_table_is_refused(app, client, session):
    _, admin = await signed_in(app, session)

    no_columns = await _import(client, admin, _csv([["a", "b"], ["1", "2"]]))
    empty = await _import(client, admin, b"")
    broken = await _import(client, admin, b"PK\x03\x04 not a workbook", name="x.xlsx")

    assert no_columns.status_code == 422 and no_columns.json()["code"] == "missing_columns"
    assert empty.status_code == 422 and empty.json()["code"] == "empty_file"
    assert broken.status_code == 422 and broken.json()["code"] == "unsupported_format"


async def test_a_csv_with_a_giant_cell_or_a_nul_byte_is_refused(app, client, session):
    _, admin = await signed_in(app, session)
    row = ["Lò Văn Páo", "Cá nhân", "VPUBND", "Chiến sĩ thi đua cơ sở", "2024", "", ""]
    giant = _csv([VI_HEADER, [*row[:5], "x" * (129 * 1024), ""]])
    nul = _csv([VI_HEADER, row, [*row[:5], "12/QĐ\x00", ""]])

    too_big = await _import(client, admin, giant)
    with_nul = await _import(client, admin, nul)

    assert too_big.status_code == 422 and too_big.json()["code"] == "unsupported_format"
    assert with_nul.status_code == 422 and with_nul.json()["code"] == "unsupported_format"
    assert with_nul.json()["row"] == 3


async def test_imported_history_makes_a_later_criteria_check_pass(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session, name="Sở Tư pháp")
    round_ = await the_round(session, 2026)
    name = "Quàng Văn Thắng"
    dossier = await make_dossier(
        session, unit, round_, status="submitted",
        nominee={"award_type_code": CSTD_TINH, "nominee_name": name, "nominee_unit_id": unit.id},
    )  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)

    def check_of(response) -> dict:
        checks = response.json()["nominations"][0]["checks"]
        return next(c for c in checks if c["rule"] == "consecutive_cstdcs_3")

    before = check_of(await client.get(f"{API}/dossiers/{dossier.id}", headers=admin))
    rows = [[name, "Cá nhân", "Sở Tư pháp", "Chiến sĩ thi đua cơ sở", str(y), f"{y}/QĐ", ""]
            for y in (2023, 2024, 2025)]  # fmt: skip
    imported = await _import(client, admin, _csv([VI_HEADER, *rows]))
    after = check_of(await client.get(f"{API}/dossiers/{dossier.id}", headers=admin))

    assert imported.json()["imported"] == 3
    assert before["result"] == "unknown"
    assert after["result"] == "pass", after


async def test_a_decided_award_makes_a_later_criteria_check_pass(app, client, session):
    # CSTĐ toàn quốc in 2027 needs CSTĐ cấp tỉnh twice, three years apart: 2023 (imported)
    # and 2026, which only the provincial decision records.
    await load_catalogue(session)
    unit = await make_unit(session, name="Sở Tài chính")
    name = "Cầm Thị Hoa"
    await make_history(session, name, unit.id, award_type_code=CSTD_TINH, year=2023)
    (approved,) = await eligible_nominations(
        session, CSTD_TINH, unit=unit, status="approved", nominee_name=name, nominee_unit_id=unit.id
    )
    later = await make_dossier(
        session, unit, await the_round(session, 2027), status="submitted",
        nominee={"award_type_code": CSTD_TOAN_QUOC, "nominee_name": name,
                 "nominee_unit_id": unit.id},
    )  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)

    def check_of(response) -> dict:
        checks = response.json()["nominations"][0]["checks"]
        return next(c for c in checks if c["rule"].startswith("consecutive_"))

    before = check_of(await client.get(f"{API}/dossiers/{later.id}", headers=admin))
    decided = await client.post(
        f"{API}/decisions",
        json={"kind": "provincial_award", "number": "77/QĐ-UBND", "signed_on": "2026-12-20",
              "signed_by": "Chủ tịch UBND tỉnh Sơn La", "nomination_ids": [approved.id]},
        headers=admin,
    )  # fmt: skip
    after = check_of(await client.get(f"{API}/dossiers/{later.id}", headers=admin))

    assert decided.status_code == 201, decided.text
    assert before["result"] != "pass"
    assert after["result"] == "pass", after
