"""What the plan's tasks give out: the calendar feed, the counts report and the exports."""

import csv
import io
from datetime import date, datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from app.services.documents import render
from app.services.tasks import export
from tests.documents.docx_reading import needs_calc, pdf_pages
from tests.factories import make_unit, signed_in
from tests.factories_plans import load_seed, make_plan, make_task, seed_tasks
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

HEADERS = ["ID nhiệm vụ", "TT", "ID kế hoạch", "Kỳ", "Nội dung", "Dự kiến thời gian",
           "Hạn (ngày)", "ID đơn vị chủ trì", "Đơn vị chủ trì", "Đơn vị phối hợp",
           "Trạng thái (mã)", "Trạng thái", "Tiến độ (%)", "Ngày hoàn thành",
           "Quá hạn", "Số văn bản ban hành", "Ngày báo cáo gần nhất",
           "Báo cáo gần nhất"]  # fmt: skip
KEYS = ["task_id", "code", "plan_id", "period", "content", "due_text", "due_date",
        "lead_unit_id", "lead_unit", "coordinators", "status", "status_label",
        "progress_percent", "completed_on", "overdue", "issued_document_no",
        "last_report_on", "last_report"]  # fmt: skip
ENDPOINTS = [
    Endpoint("GET", "/api/v1/plans/1/calendar.ics", "plan.calendar"),
    Endpoint("GET", "/api/v1/reports/tasks", "task.counts"),
    Endpoint("GET", "/api/v1/tasks/export?format=csv", "task.export"),
    Endpoint("GET", "/api/v1/tasks/export?format=xlsx", "task.export"),
    Endpoint("GET", "/api/v1/tasks/export?format=json", "task.export"),
]


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_output_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


# ---- calendar --------------------------------------------------------------------------------


async def test_the_calendar_has_one_all_day_event_per_dated_task(app, client, session):
    plan = await load_seed(session)
    tasks = await seed_tasks(session, plan)
    _, unit = await signed_in(app, session, "unit")

    response = await client.get(f"/api/v1/plans/{plan.id}/calendar.ics", headers=unit)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == plan.title
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 20  # 22 tasks less the recurring V.1 and the undated V.2
    i8 = events[f"task-{tasks['I.8'].id}@tdkt.sonla.gov.vn"]
    assert str(i8["SUMMARY"]).startswith("I.8 — Thẩm định hồ sơ")
    assert i8.decoded("DTSTART") == date(2026, 3, 31)
    assert i8.decoded("DTEND") == date(2026, 4, 1)
    description = str(i8["DESCRIPTION"])
    assert "Đơn vị chủ trì: Sở Nội vụ" in description
    assert "Thành viên Hội đồng TĐKT tỉnh" in description
    assert events[f"task-{tasks['I.9'].id}@tdkt.sonla.gov.vn"].decoded("DTSTART") == date(
        2025, 3, 31
    )


async def test_an_edited_task_keeps_its_event_uid(app, client, session):
    # A subscribed calendar matches events by UID: a moved deadline must move the event,
    # not add a second one next to the old.
    plan = await load_seed(session)
    i8 = (await seed_tasks(session, plan))["I.8"]
    _, admin = await signed_in(app, session)
    url = f"/api/v1/plans/{plan.id}/calendar.ics"

    before = _events(await client.get(url, headers=admin))
    moved = await client.patch(
        f"/api/v1/tasks/{i8.id}",
        json={"due": {"kind": "month", "month": "2026-05"}},
        headers={**admin, "If-Match": '"1"'},
    )
    after = _events(await client.get(url, headers=admin))

    assert moved.status_code == 200
    assert set(after) == set(before) and len(after) == 20
    uid = f"task-{i8.id}@tdkt.sonla.gov.vn"
    assert before[uid].decoded("DTSTART") == date(2026, 3, 31)
    assert after[uid].decoded("DTSTART") == date(2026, 5, 31)


def _events(response) -> dict:
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


async def test_the_calendar_of_a_missing_plan_is_404(app, client, session):
    _, reader = await signed_in(app, session, "reader")

    response = await client.get("/api/v1/plans/999/calendar.ics", headers=reader)

    assert response.status_code == 404


# ---- counts ----------------------------------------------------------------------------------


async def test_counts_per_period_and_lead_unit(app, client, session):
    plan = await load_seed(session)
    tasks = await seed_tasks(session, plan)
    tasks["I.1"].status = "done"
    tasks["I.2"].status = "in_progress"
    tasks["IV.1"].status = "cancelled"
    await session.commit()
    _, member = await signed_in(app, session, "council_member")

    response = await client.get(
        f"/api/v1/reports/tasks?plan_id={plan.id}&as_of=2026-04-01", headers=member
    )

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-04-01" and body["plan_id"] == plan.id
    assert body["totals"] == {
        "total": 22,
        "done": 1,
        "in_progress": 1,
        "not_started": 19,
        "cancelled": 1,
        "overdue": 9,
    }
    periods = {p["period"]: p for p in body["by_period"]}
    assert [p["period"] for p in body["by_period"]] == ["Q1", "Q2", "Q3", "Q4", "recurring"]
    assert (periods["Q1"]["total"], periods["Q1"]["overdue"], periods["Q1"]["done"]) == (10, 9, 1)
    assert periods["recurring"]["overdue"] == 0 and periods["Q4"]["cancelled"] == 1
    [lead] = body["by_lead_unit"]
    assert lead["lead_unit_name"] == "Sở Nội vụ" and lead["total"] == 22


async def test_counts_of_all_plans_and_of_a_missing_plan(app, client, session):
    first = await make_plan(session)
    second = await make_plan(session)
    home = await make_unit(session, name="Sở Nội vụ")
    await make_task(session, first, lead_unit_id=home.id, lead_unit_label="Sở Nội vụ tỉnh")
    await make_task(session, first, lead_unit_id=home.id, due_date=date(2026, 1, 31))
    # Two lead units the directory does not know: each is a row of its own, under its name.
    await make_task(session, first, lead_unit_label="Sở Y tế")
    await make_task(session, second, lead_unit_label="Sở Lao động", due_kind="recurring",
                    due_date=None, due_month=None, period="recurring")  # fmt: skip
    await make_task(session, second, lead_unit_label="Sở Lao động")
    await make_task(session, second)  # no lead unit at all
    await session.commit()
    _, reader = await signed_in(app, session, "reader")

    everything = await client.get("/api/v1/reports/tasks?as_of=2026-06-01", headers=reader)
    missing = await client.get("/api/v1/reports/tasks?plan_id=999", headers=reader)

    assert everything.json()["totals"]["total"] == 6
    assert everything.json()["totals"]["overdue"] == 5
    rows = [
        (r["lead_unit_id"], r["lead_unit_name"], r["total"])
        for r in everything.json()["by_lead_unit"]
    ]
    assert rows == [(None, "Sở Lao động", 2), (home.id, "Sở Nội vụ", 2), (None, "Sở Y tế", 1),
                    (None, None, 1)]  # fmt: skip
    assert missing.status_code == 404


# ---- exports ---------------------------------------------------------------------------------


async def test_xlsx_export_opens_with_the_appendix_headers(app, client, session):
    await load_seed(session)
    _, reader = await signed_in(app, session, "reader")

    response = await client.get("/api/v1/tasks/export?format=xlsx&as_of=2026-04-01", headers=reader)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert (
        disposition.startswith("attachment;")
        and 'filename="nhiem-vu-2026-04-01.xlsx"' in disposition
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 23
    i4 = dict(zip(HEADERS, next(r for r in rows if r[1] == "I.4"), strict=True))
    assert i4["Nội dung"].endswith("(gửi Hội đồng Thi đua - Khen thưởng Trung ương và Cụm Thi "
                                   "đua 7 tỉnh miền núi, biên giới phía Bắc)")  # fmt: skip
    assert isinstance(i4["ID nhiệm vụ"], int) and isinstance(i4["Tiến độ (%)"], int)
    assert (i4["Dự kiến thời gian"], i4["Đơn vị chủ trì"]) == ("01/2026", "Sở Nội vụ")
    assert i4["Đơn vị phối hợp"] == (
        "Các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh"
    )
    assert (i4["Trạng thái (mã)"], i4["Trạng thái"]) == ("not_started", "Chưa thực hiện")
    assert isinstance(i4["Hạn (ngày)"], datetime)  # a date cell, not text
    assert i4["Hạn (ngày)"].year == 2026
    # The printed sheet says "Có" for a person, not TRUE/FALSE; on time is an empty cell.
    assert i4["Quá hạn"] == "Có"
    assert {r[HEADERS.index("Quá hạn")] for r in rows[1:]} == {"Có", None}


async def test_csv_export_takes_the_list_filters(app, client, session):
    plan = await load_seed(session)
    (await seed_tasks(session, plan))["I.1"].status = "done"
    await session.commit()
    _, admin = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/tasks/export?format=csv&plan_id={plan.id}&period=Q1&as_of=2026-04-01",
        headers=admin,
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == 11
    by_code = {r[1]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    assert (by_code["I.1"]["Trạng thái (mã)"], by_code["I.1"]["Trạng thái"]) == (
        "done",
        "Hoàn thành",
    )
    assert by_code["I.1"]["Quá hạn"] == "false"
    assert by_code["I.5"]["Đơn vị phối hợp"] == "Sở Tư pháp; Văn phòng Ủy ban nhân dân tỉnh"
    assert by_code["I.9"]["Quá hạn"] == "true"
    due = by_code["I.9"]["Hạn (ngày)"]
    assert date.fromisoformat(due) <= date(2026, 4, 1)  # an ISO date, not 31/03/2026


def _as_csv_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


async def test_json_export_gives_the_same_rows_as_the_csv(app, client, session):
    plan = await load_seed(session)
    await seed_tasks(session, plan)
    await session.commit()
    _, reader = await signed_in(app, session, "reader")
    query = f"/api/v1/tasks/export?plan_id={plan.id}&period=Q1&as_of=2026-04-01"

    as_json = await client.get(f"{query}&format=json", headers=reader)
    as_csv = await client.get(f"{query}&format=csv", headers=reader)

    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["content-type"].startswith("application/json")
    items = as_json.json()["items"]
    assert len(items) == 10 and list(items[0]) == KEYS
    csv_rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))[1:]
    assert csv_rows == [[_as_csv_text(v) for v in item.values()] for item in items]
    one = items[0]
    task = await client.get(f"/api/v1/tasks/{one['task_id']}", headers=reader)
    assert task.status_code == 200 and task.json()["code"] == one["code"]
    assert task.json()["status"] == one["status"]


async def test_exported_text_never_runs_as_a_formula(app, client, session):
    plan = await make_plan(session)
    await make_task(session, plan, content='=HYPERLINK("http://x")')
    await session.commit()
    _, admin = await signed_in(app, session)

    as_csv = await client.get("/api/v1/tasks/export?format=csv", headers=admin)
    as_xlsx = await client.get("/api/v1/tasks/export?format=xlsx", headers=admin)

    assert list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))[1][4].startswith("'=")
    cell = load_workbook(io.BytesIO(as_xlsx.content)).active["E2"]
    assert cell.data_type == "s"


async def test_a_control_character_saved_in_a_task_does_not_break_the_xlsx(app, client, session):
    plan = await make_plan(session)
    await make_task(session, plan, content="Sơ kết\x07 phong trào\x1b", note="Ghi\x01 chú")
    await session.commit()
    _, reader = await signed_in(app, session, "reader")

    response = await client.get("/api/v1/tasks/export?format=xlsx", headers=reader)

    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["E2"].value == "Sơ kết phong trào (Ghi chú)"


async def test_an_export_past_the_row_limit_is_refused_not_cut(app, client, session, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 2)
    plan = await make_plan(session)
    for status in ("not_started", "not_started", "done"):
        await make_task(session, plan, status=status)
    await session.commit()
    _, admin = await signed_in(app, session)

    too_many = await client.get("/api/v1/tasks/export?format=csv", headers=admin)
    filtered = await client.get("/api/v1/tasks/export?format=csv&status=not_started", headers=admin)

    assert too_many.status_code == 422 and too_many.json()["code"] == "export_too_large"
    assert "lọc" in too_many.json()["detail"]
    assert filtered.status_code == 200
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 3


async def test_an_unknown_export_format_or_sort_is_422(app, client, session):
    _, admin = await signed_in(app, session)

    pdf = await client.get("/api/v1/tasks/export?format=pdf", headers=admin)
    bad_sort = await client.get("/api/v1/tasks/export?sort=nope", headers=admin)

    assert pdf.status_code == 422 and bad_sort.status_code == 422


# ---- the export for printing: where each task stands, on A4 ------------------------------------


async def _reported_task(app, client, session):
    """A task its lead unit reported done, citing the plan it issued, after an earlier report."""
    lead, helper = await make_unit(session, name="Sở Tư pháp"), await make_unit(session)
    plan = await make_plan(session)
    task = await make_task(session, plan, lead_unit_id=lead.id, coordinators=[helper],
                           content="Ban hành Kế hoạch tổ chức phong trào thi đua")  # fmt: skip
    other = await make_task(session, plan, lead_unit_id=lead.id)
    await session.commit()
    _, headers = await signed_in(app, session, "unit", unit_id=lead.id)
    url = f"/api/v1/tasks/{task.id}/reports"
    first = {"status": "in_progress", "progress_percent": 40, "content": "Đang dự thảo"}
    done = {"status": "done", "progress_percent": 100, "document_no": "125/KH-STP",
            "content": "Đã ban hành Kế hoạch số 125/KH-STP ngày 10/3/2026"}  # fmt: skip
    for body in (first, done):
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 201, response.text
    assert response.json()["document_no"] == "125/KH-STP"
    return plan, task, other


async def test_the_export_carries_progress_the_issued_paper_and_the_last_report(
    app, client, session
):
    plan, task, other = await _reported_task(app, client, session)
    _, admin = await signed_in(app, session)

    response = await client.get(f"/api/v1/tasks/export?format=xlsx&plan_id={plan.id}",
                                headers=admin)  # fmt: skip

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_id = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    done = by_id[task.id]
    assert done["Tiến độ (%)"] == 100 and isinstance(done["Ngày hoàn thành"], datetime)
    assert done["Số văn bản ban hành"] == "125/KH-STP"
    assert done["Báo cáo gần nhất"] == "Đã ban hành Kế hoạch số 125/KH-STP ngày 10/3/2026"
    assert isinstance(done["Ngày báo cáo gần nhất"], datetime)
    untouched = by_id[other.id]
    assert untouched["Số văn bản ban hành"] is None and untouched["Báo cáo gần nhất"] is None
    read = await client.get(f"/api/v1/tasks/{task.id}", headers=admin)
    assert read.json()["issued_document_no"] == "125/KH-STP"


async def test_the_xlsx_is_set_up_to_print_on_a4(app, client, session):
    await load_seed(session)
    _, admin = await signed_in(app, session)

    response = await client.get("/api/v1/tasks/export?format=xlsx", headers=admin)

    sheet = load_workbook(io.BytesIO(response.content)).active
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == sheet.PAPERSIZE_A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"  # the header row on every page
    for cell in (sheet["A1"], sheet["E2"], sheet.cell(sheet.max_row, sheet.max_column)):
        assert cell.font.name == "Times New Roman"
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    assert sheet["A1"].font.bold and sheet["E2"].alignment.wrap_text
    widths = {sheet.cell(1, i).value: sheet.column_dimensions[sheet.cell(1, i).column_letter].width
              for i in range(1, sheet.max_column + 1)}  # fmt: skip
    assert widths["Nội dung"] > widths["TT"] * 5  # real widths, not equal columns


async def test_the_xlsx_prints_through_libreoffice_one_page_wide(app, client, session, tmp_path):
    needs_calc()
    plan = await load_seed(session)
    for n in range(40):  # enough long rows for several pages
        await make_task(session, plan, code=f"X.{n}", seq=900 + n,
                        content=f"Nhiệm vụ bổ sung số {n}: " + "tổ chức " * 30)  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)
    response = await client.get(f"/api/v1/tasks/export?format=xlsx&plan_id={plan.id}",
                                headers=admin)  # fmt: skip

    pdf = await render.to_pdf(response.content, suffix=".xlsx")

    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) >= 2
    for page in pages:  # one page wide, and the header row repeats on every page
        assert "Nội dung" in page and "Báo cáo gần nhất" in page
    assert "Nhiệm vụ bổ sung số 39" in pages[-1]
