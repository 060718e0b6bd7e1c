"""The bảng tổng hợp điểm as a reporting script reads it: CSV with the csv module, XLSX with
openpyxl, JSON as it comes; ids joined back to the API, numbers as numbers, dates as dates."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from app.core.working_days import today_in_vietnam
from tests.factories_dossiers import load_catalogue

from .test_year import _criteria, _score_and_submit, _set_up

KEYS = ["rank", "unit_id", "unit", "sheet_id", "sheet_status", "sheet_status_label",
        "criterion_1.1", "criterion_1.2", "criterion_2.1", "criterion_3.1", "criterion_3.2",
        "self_total", "total", "late", "submitted_on", "verified_on"]  # fmt: skip
HEADERS = ["Xếp hạng", "ID đơn vị", "Đơn vị", "ID bản tự chấm", "Trạng thái bản chấm (mã)",
           "Trạng thái bản chấm", "1.1. Hoàn thành chỉ tiêu, nhiệm vụ được giao",
           "1.2. Cải cách hành chính, chuyển đổi số", "2.1. Tổ chức phong trào thi đua",
           "3.1. Sáng kiến được công nhận", "3.2. Báo cáo chậm, sai sót", "Tự chấm",
           "Tổng điểm", "Nộp muộn", "Ngày nộp", "Ngày thẩm tra"]  # fmt: skip


async def _scored(app, client, session):
    """Three units submitted, Sở Tài chính's 1.1 taken down to 36 and its sheet verified."""
    await load_catalogue(session)
    year = await _set_up(app, client, session)
    await session.commit()
    sheets = {
        name: await _score_and_submit(client, year, name)
        for name in ("Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Tư pháp")
    }
    criteria = {c["code"]: c for c in _criteria(year.table)}
    url = f"/api/v1/emulation/sheets/{sheets['Sở Tài chính']['id']}"
    adjusted = await client.post(
        f"{url}/adjustments",
        json={"criterion_id": criteria["1.1"]["id"], "points": 36, "reason": "Chưa đạt 1 chỉ tiêu"},
        headers=year.head_headers,
    )
    assert adjusted.status_code == 200, adjusted.text
    verified = await client.post(f"{url}/verify", headers=year.head_headers)
    assert verified.status_code == 200, verified.text
    return year, sheets


def _export(client, year, fmt):
    return client.get(
        f"/api/v1/emulation/tables/{year.table['id']}/export", params={"format": fmt},
        headers=year.admin,
    )  # fmt: skip


async def test_the_json_rows_join_back_to_the_ranking_and_the_sheets(app, client, session):
    year, sheets = await _scored(app, client, session)

    response = await _export(client, year, "json")
    ranking = await client.get(
        f"/api/v1/emulation/tables/{year.table['id']}/ranking", headers=year.admin
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].endswith(".json")
    items = response.json()["items"]
    assert [list(item) for item in items] == [KEYS] * 3
    ranked = {r["unit_id"]: r for r in ranking.json()["items"]}
    for item in items:
        assert (item["rank"], item["sheet_id"], item["total"], item["self_total"]) == (
            ranked[item["unit_id"]]["rank"], ranked[item["unit_id"]]["sheet_id"],
            ranked[item["unit_id"]]["total"], ranked[item["unit_id"]]["self_total"],
        )  # fmt: skip
    finance = next(i for i in items if i["sheet_id"] == sheets["Sở Tài chính"]["id"])
    assert finance["unit_id"] == year.units["Sở Tài chính"] and finance["unit"] == "Sở Tài chính"
    assert (finance["criterion_1.1"], finance["criterion_3.2"]) == (36.0, 2.0)
    assert (finance["self_total"], finance["total"]) == (96.0, 93.0)
    assert (finance["sheet_status"], finance["sheet_status_label"]) == (
        "verified", "Đã được Trưởng khối thẩm tra",
    )  # fmt: skip
    today = today_in_vietnam().isoformat()
    assert finance["submitted_on"] == finance["verified_on"] == today
    assert finance["late"] is False
    submitted = next(i for i in items if i["unit"] == "Sở Tư pháp")
    assert submitted["sheet_status"] == "submitted" and submitted["verified_on"] is None


async def test_the_csv_has_one_header_row_iso_dates_and_plain_numbers(app, client, session):
    year, sheets = await _scored(app, client, session)

    response = await _export(client, year, "csv")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == 4
    finance = next(r for r in rows[1:] if r[3] == str(sheets["Sở Tài chính"]["id"]))
    assert finance[:6] == ["3", str(year.units["Sở Tài chính"]), "Sở Tài chính",
                           str(sheets["Sở Tài chính"]["id"]), "verified",
                           "Đã được Trưởng khối thẩm tra"]  # fmt: skip
    assert [float(v) for v in finance[6:13]] == [36.0, 29.0, 28.0, 2.0, 2.0, 96.0, 93.0]
    assert finance[13] == "false"
    assert date.fromisoformat(finance[14]) == today_in_vietnam()


async def test_the_xlsx_data_sheet_has_typed_cells_and_the_title_block_apart(app, client, session):
    year, sheets = await _scored(app, client, session)

    response = await _export(client, year, "xlsx")

    assert response.status_code == 200, response.text
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Bảng tổng hợp điểm", "Thông tin"]
    rows = list(workbook["Bảng tổng hợp điểm"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 4
    assert rows[1][:3] == (1, year.units["Văn phòng UBND tỉnh"], "Văn phòng UBND tỉnh")
    finance = next(r for r in rows[1:] if r[3] == sheets["Sở Tài chính"]["id"])
    assert finance[6:13] == (36, 29, 28, 2, 2, 96, 93)
    assert all(isinstance(v, int | float) for v in finance[6:13])
    assert finance[13] is None  # "Nộp muộn": on time prints an empty cell, late prints "Có"
    assert finance[14].date() == finance[15].date() == today_in_vietnam()  # date cells
    about = [r for r in workbook["Thông tin"].iter_rows(values_only=True)]
    assert about[0][0] == "BẢNG TỔNG HỢP ĐIỂM THI ĐUA"
    assert ("ID bảng điểm", year.table["id"]) in about
    assert ("ID cụm, khối", year.cluster_id) in about


async def test_a_cluster_head_exports_its_own_table_and_an_unknown_format_is_a_422(
    app, client, session
):
    year, _ = await _scored(app, client, session)

    own = await client.get(
        f"/api/v1/emulation/tables/{year.table['id']}/export?format=csv", headers=year.head_headers
    )
    odd = await _export(client, year, "ods")

    assert own.status_code == 200 and own.content.decode("utf-8-sig").startswith("Xếp hạng,")
    assert odd.status_code == 422
