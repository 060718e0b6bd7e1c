"""The plan parser over the real seed plan and over the formats and flaws it must survive."""

import csv
import datetime
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.services.plans.parser import (
    GROUP_CODES,
    WARNING_CODES,
    Due,
    ParsedCoordinator,
    PlanParseError,
    detect_group,
    parse_due,
    parse_plan,
    split_coordinators,
)

SEED_PATH = Path(__file__).resolve().parents[2] / "app" / "data" / "ke-hoach-tdkt-2026.md"
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
APPENDIX = SEED_TEXT[SEED_TEXT.index("TT\tNỘI DUNG") :]
HEADER = ["TT", "NỘI DUNG", "DỰ KIẾN THỜI GIAN", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP"]
SEED_CODES = (
    [f"I.{n}" for n in range(1, 11)]
    + ["II.1", "II.2", "III.1", "III.2"]
    + [f"IV.{n}" for n in range(1, 7)]
    + ["V.1", "V.2"]
)

I8_COORDINATORS = (
    "Thành viên Hội đồng TĐKT tỉnh; "
    "các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh"
)
SMALL_ROWS = [
    ["I", "Nhiệm vụ thực hiện trong quý I", "", "", ""],
    ["1", "Ban hành Chỉ thị phát động thi đua", "01/2026", "Sở Nội vụ", "Văn phòng UBND tỉnh"],
    [
        "2",
        "Thẩm định hồ sơ đợt 1",
        "03/2026",
        "Sở Nội vụ",
        I8_COORDINATORS,
    ],
    ["V", "Nhiệm vụ thường xuyên trong năm 2026", "", "", ""],
    [
        "1",
        "Tuyên truyền, phổ biến văn bản",
        "Thường xuyên",
        "Sở Nội vụ",
        "Các cơ quan, đơn vị, địa phương",
    ],
]


@pytest.fixture(scope="module")
def seed():
    return parse_plan(SEED_PATH.read_bytes(), "ke-hoach-tdkt-2026.md")


def task(plan, code):
    return next(t for t in plan.tasks if t.code == code)


def warning_keys(plan):
    return {(w.row, w.code, w.task_code) for w in plan.warnings}


def tsv(rows, header=HEADER):
    return "\n".join("\t".join(cells) for cells in [header, *rows]).encode()


def csv_bytes(rows, delimiter, bom=False, header=HEADER):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def xlsx_bytes(rows, preface=()):
    workbook = Workbook()
    sheet = workbook.active
    for line in preface:
        sheet.append(line)
    sheet.append(HEADER)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the seed plan -------------------------------------------------------------------------


def test_seed_has_22_tasks_by_period(seed):
    periods = [t.period for t in seed.tasks]
    counts = {p: periods.count(p) for p in ("Q1", "Q2", "Q3", "Q4", "recurring")}
    assert counts == {"Q1": 10, "Q2": 2, "Q3": 2, "Q4": 6, "recurring": 2}


def test_seed_codes_in_table_order(seed):
    assert [t.code for t in seed.tasks] == SEED_CODES
    assert [t.seq for t in seed.tasks[:3]] == [1, 2, 3]


def test_seed_rows_count_non_blank_lines_from_the_header(seed):
    # Header = 1, section I = 2; the blank line before I.8 is not a row.
    assert [task(seed, c).row for c in ("I.1", "I.7", "I.8", "II.1", "V.2")] == [3, 9, 10, 14, 28]


def test_seed_document_fields(seed):
    assert seed.year == 2026
    assert seed.number is None
    assert seed.issued_on is None
    assert seed.title == "Kế hoạch Triển khai công tác thi đua, khen thưởng năm 2026"
    assert seed.issuer == "UBND tỉnh Sơn La"
    assert seed.body.startswith("Số: /KH-UBND")
    assert seed.body.endswith("**Nguyễn Đình Việt**")
    assert "Phụ lục**" not in seed.body
    assert "TT\tNỘI DUNG" not in seed.body
    assert unicodedata.is_normalized("NFC", seed.body)


def test_seed_warnings_are_exactly_the_known_flaws(seed):
    assert warning_keys(seed) == {
        (None, "plan_number_missing", None),
        (None, "plan_date_missing", None),
        (11, "due_year_mismatch", "I.9"),
    }
    assert all(w.code in WARNING_CODES for w in seed.warnings)


def test_seed_i9_keeps_its_2025_due_with_a_warning(seed):
    i9 = task(seed, "I.9")
    assert i9.due == Due("month", "2025-03", datetime.date(2025, 3, 31), "03/2025")
    assert [(w.code, w.task_code) for w in i9.warnings] == [("due_year_mismatch", "I.9")]
    assert "'03/2025'" in i9.warnings[0].message and "2026" in i9.warnings[0].message
    assert all(not t.warnings for t in seed.tasks if t.code != "I.9")


def test_seed_i4_note_is_split_from_the_content(seed):
    i4 = task(seed, "I.4")
    assert i4.content == (
        "Báo cáo kết quả phong trào thi đua, công tác khen thưởng và chấm điểm thi đua "
        "tỉnh Sơn La năm 2025"
    )
    assert i4.note == (
        "gửi Hội đồng Thi đua - Khen thưởng Trung ương và Cụm Thi đua 7 tỉnh miền núi, "
        "biên giới phía Bắc"
    )
    assert task(seed, "I.1").note is None


def test_seed_i5_dash_list_gives_two_coordinators(seed):
    assert task(seed, "I.5").coordinators == (
        ParsedCoordinator("Sở Tư pháp", None),
        ParsedCoordinator("Văn phòng Ủy ban nhân dân tỉnh", None),
    )


def test_seed_i8_coordinators_are_groups(seed):
    assert task(seed, "I.8").coordinators == (
        ParsedCoordinator("Thành viên Hội đồng TĐKT tỉnh", "council_members"),
        ParsedCoordinator(
            "các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh",
            "cluster_member_units",
        ),
    )


def test_seed_other_groups(seed):
    assert [c.group for c in task(seed, "III.1").coordinators] == ["provincial_leaders", None]
    assert task(seed, "II.1").coordinators[0].group == "related_units"
    assert task(seed, "IV.4").coordinators[0].group == "all_units"
    assert task(seed, "V.2").coordinators[0].group == "cluster_member_units"


def test_seed_due_forms(seed):
    assert task(seed, "II.2").due == Due("month", "2026-06", datetime.date(2026, 6, 30), "6/2026")
    assert task(seed, "IV.3").due == Due(
        "by_date", None, datetime.date(2026, 11, 30), "Xong trước 30/11/2026"
    )
    assert task(seed, "V.1").due == Due("recurring", None, None, "Thường xuyên")
    assert task(seed, "V.2").due == Due("unspecified", None, None, "")


def test_seed_text_is_clean(seed):
    for t in seed.tasks:
        assert "<" not in t.content and "  " not in t.content
        assert unicodedata.is_normalized("NFC", t.content)
        assert t.lead_unit == "Sở Nội vụ"


def test_year_argument_overrides_the_title():
    plan = parse_plan(SEED_PATH.read_bytes(), "seed.md", year=2025)
    assert plan.year == 2025
    mismatched = {w.task_code for w in plan.warnings if w.code == "due_year_mismatch"}
    assert "I.9" not in mismatched
    assert len(mismatched) == 19  # 20 dated tasks, I.9 now matching


def test_seed_is_sniffed_without_a_filename():
    assert [t.code for t in parse_plan(SEED_PATH.read_bytes()).tasks] == SEED_CODES


# --- document fields -----------------------------------------------------------------------


def test_filled_number_and_date_are_read():
    text = SEED_TEXT.replace("Số: /KH-UBND", "Số: 125/KH-UBND").replace(
        "Sơn La, ngày tháng năm 2026", "Sơn La, ngày 15 tháng 01 năm 2026"
    )
    plan = parse_plan(text.encode(), "plan.md")
    assert plan.number == "125/KH-UBND"
    assert plan.issued_on == datetime.date(2026, 1, 15)
    assert warning_keys(plan) == {(11, "due_year_mismatch", "I.9")}


def test_title_on_two_lines_and_no_signature():
    text = (
        "**KẾ HOẠCH**\n**Công tác thi đua, khen thưởng năm 2027**\n\nNội dung.\n\n"
        + APPENDIX.replace("2026", "2027")
    )
    plan = parse_plan(text.encode(), "plan.txt")
    assert plan.title == "Kế hoạch Công tác thi đua, khen thưởng năm 2027"
    assert plan.year == 2027
    assert plan.issuer is None
    assert plan.body.startswith("**KẾ HOẠCH**")
    codes = {w.code for w in plan.warnings}
    assert {"plan_number_missing", "plan_date_missing"} <= codes


# --- due forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "month", "day"),
    [
        ("01/2026", "month", "2026-01", datetime.date(2026, 1, 31)),
        ("6/2026", "month", "2026-06", datetime.date(2026, 6, 30)),
        ("02/2026", "month", "2026-02", datetime.date(2026, 2, 28)),
        ("Tháng 5/2026", "month", "2026-05", datetime.date(2026, 5, 31)),
        ("tháng 05 năm 2026", "month", "2026-05", datetime.date(2026, 5, 31)),
        ("Tháng 5", "month", "2026-05", datetime.date(2026, 5, 31)),
        ("Xong trước 30/11/2026", "by_date", None, datetime.date(2026, 11, 30)),
        ("Trước 15/3/2026", "by_date", None, datetime.date(2026, 3, 15)),
        ("Hạn 15/3/2026", "by_date", None, datetime.date(2026, 3, 15)),
        ("Hạn: 15/3/2026", "by_date", None, datetime.date(2026, 3, 15)),
        ("15/3/2026", "by_date", None, datetime.date(2026, 3, 15)),
        ("15/03/2026", "by_date", None, datetime.date(2026, 3, 15)),
        ("trước ngày 15 tháng 3 năm 2026", "by_date", None, datetime.date(2026, 3, 15)),
        ("Quý II/2026", "by_date", None, datetime.date(2026, 6, 30)),
        ("quý IV năm 2026", "by_date", None, datetime.date(2026, 12, 31)),
        ("Quý 1", "by_date", None, datetime.date(2026, 3, 31)),
        ("Thường xuyên", "recurring", None, None),
        ("THƯỜNG XUYÊN", "recurring", None, None),
        ("thuong xuyen", "recurring", None, None),
        ("hằng tháng", "recurring", None, None),
        ("Hàng tháng", "recurring", None, None),
        ("Định kỳ", "recurring", None, None),
        ("dinh ky", "recurring", None, None),
        ("", "unspecified", None, None),
        ("   ", "unspecified", None, None),
    ],
)
def test_parse_due_forms(text, kind, month, day):
    due, warnings = parse_due(text, 2026)
    assert (due.kind, due.month, due.date, due.text) == (kind, month, day, text.strip())
    assert warnings == []


@pytest.mark.parametrize("text", ["Sau Tết", "Tháng 13/2026", "31/02/2026", "5", "Quý V/2026"])
def test_parse_due_unparsed_keeps_the_text(text):
    due, warnings = parse_due(text, 2026)
    assert due == Due("unspecified", None, None, text)
    assert [code for code, _ in warnings] == ["due_unparsed"]
    assert f"'{text}'" in warnings[0][1]


def test_parse_due_year_mismatch_keeps_the_due():
    due, warnings = parse_due("03/2025", 2026)
    assert due == Due("month", "2025-03", datetime.date(2025, 3, 31), "03/2025")
    assert warnings == [
        ("due_year_mismatch", "Thời hạn '03/2025' không thuộc năm 2026 của kế hoạch")
    ]


def test_parse_due_without_plan_year():
    assert parse_due("03/2025", None) == (
        Due("month", "2025-03", datetime.date(2025, 3, 31), "03/2025"),
        [],
    )
    # Without a year anywhere "Quý II" cannot be placed in time.
    due, warnings = parse_due("Quý II", None)
    assert due.kind == "unspecified" and warnings[0][0] == "due_unparsed"


def test_parse_due_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Thường xuyên")
    due, _ = parse_due(decomposed, 2026)
    assert due.kind == "recurring" and due.text == "Thường xuyên"


# --- coordinators and groups -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "labels"),
    [
        (
            "- Sở Tư pháp - Văn phòng Ủy ban nhân dân tỉnh",
            ["Sở Tư pháp", "Văn phòng Ủy ban nhân dân tỉnh"],
        ),
        (
            I8_COORDINATORS,
            [
                "Thành viên Hội đồng TĐKT tỉnh",
                "các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh",
            ],
        ),
        ("Ban Thi đua - Khen thưởng Trung ương", ["Ban Thi đua - Khen thưởng Trung ương"]),
        (
            "- Sở Tư pháp - Hội đồng Thi đua - Khen thưởng tỉnh",
            ["Sở Tư pháp", "Hội đồng Thi đua - Khen thưởng tỉnh"],
        ),
        ("- Sở Tư pháp;\n- Sở Tài chính.", ["Sở Tư pháp", "Sở Tài chính"]),
        ("Sở Tư pháp\nVăn phòng UBND tỉnh", ["Sở Tư pháp", "Văn phòng UBND tỉnh"]),
        ("Sở Tư pháp<br>Sở Y tế", ["Sở Tư pháp", "Sở Y tế"]),
        ("Các cơ quan, đơn vị, địa phương", ["Các cơ quan, đơn vị, địa phương"]),
        ("Sở Tư pháp;", ["Sở Tư pháp"]),
        ("", []),
        ("  ;  ", []),
    ],
)
def test_split_coordinators(cell, labels):
    assert [c.label for c in split_coordinators(cell)] == labels


def test_split_coordinators_sets_groups():
    assert split_coordinators("Lãnh đạo tỉnh; Sở Tư pháp") == [
        ParsedCoordinator("Lãnh đạo tỉnh", "provincial_leaders"),
        ParsedCoordinator("Sở Tư pháp", None),
    ]


@pytest.mark.parametrize(
    ("label", "group"),
    [
        (
            "các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh",
            "cluster_member_units",
        ),
        ("Các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua tỉnh", "cluster_member_units"),
        ("CAC CO QUAN, DON VI, DIA PHUONG THAM GIA CUM, KHOI THI DUA TINH", "cluster_member_units"),
        ("Thành viên Hội đồng TĐKT tỉnh", "council_members"),
        ("Thành viên Hội đồng Thi đua - Khen thưởng tỉnh", "council_members"),
        ("Lãnh đạo tỉnh", "provincial_leaders"),
        ("Các cơ quan, đơn vị, địa phương", "all_units"),
        ("Các cơ quan, đơn vị địa phương có liên quan", "related_units"),
        ("Sở Tư pháp", None),
        ("Văn phòng Ủy ban nhân dân tỉnh", None),
        ("Ban Thi đua - Khen thưởng Trung ương", None),
        ("Lãnh đạo Sở Nội vụ", None),
    ],
)
def test_detect_group(label, group):
    assert detect_group(label) == group
    assert group is None or group in GROUP_CODES


# --- other formats -------------------------------------------------------------------------


def test_tsv_appendix_alone_matches_the_seed(seed):
    plan = parse_plan(APPENDIX.encode(), "phu-luc.tsv")
    assert plan.tasks == seed.tasks
    assert (plan.body, plan.title, plan.number, plan.issuer) == (None, None, None, None)
    assert plan.year == 2026  # the most common year among the due cells
    assert warning_keys(plan) == {(11, "due_year_mismatch", "I.9")}


def test_utf16_tab_text_from_excel():
    data = "\ufeff".encode("utf-16-le") + tsv(SMALL_ROWS).decode().encode("utf-16-le")
    assert [t.code for t in parse_plan(data, "phu-luc.txt").tasks] == ["I.1", "I.2", "V.1"]


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (",", True), (";", False), (";", True)]
)
def test_csv_appendix(delimiter, bom):
    plan = parse_plan(csv_bytes(SMALL_ROWS, delimiter, bom), "phu-luc.csv", year=2026)
    assert [(t.code, t.period, t.row) for t in plan.tasks] == [
        ("I.1", "Q1", 3),
        ("I.2", "Q1", 4),
        ("V.1", "recurring", 6),
    ]
    assert [c.group for c in plan.tasks[1].coordinators] == [
        "council_members",
        "cluster_member_units",
    ]
    assert plan.tasks[0].due.month == "2026-01"
    assert plan.warnings == ()


def test_csv_is_sniffed_without_a_filename():
    plan = parse_plan(csv_bytes(SMALL_ROWS, ";", bom=True))
    assert [t.code for t in plan.tasks] == ["I.1", "I.2", "V.1"]
    assert plan.body is None


def test_csv_cell_with_line_breaks():
    rows = [SMALL_ROWS[0], ["1", "Nội dung", "01/2026", "Sở Nội vụ", "- Sở Tư pháp\n- Sở Y tế"]]
    plan = parse_plan(csv_bytes(rows, ","), "a.csv")
    assert [c.label for c in plan.tasks[0].coordinators] == ["Sở Tư pháp", "Sở Y tế"]


def test_xlsx_appendix_with_title_rows_and_excel_types():
    rows = [
        ["I", "Nhiệm vụ thực hiện trong quý I", None, None, None],
        [1.0, "Ban hành Chỉ thị", "01/2026", "Sở Nội vụ", "Sở Tư pháp\nVăn phòng UBND tỉnh"],
        [2, "Ban hành Kế hoạch", datetime.datetime(2026, 2, 1), "Sở Nội vụ", None],
        [3, "Trình khen thưởng", datetime.datetime(2026, 3, 15), "Sở Nội vụ", "Lãnh đạo tỉnh"],
        [None, None, None, None, None],
        ["V", "Nhiệm vụ thường xuyên", None, None, None],
        [1, "Tuyên truyền", "Thường xuyên", "Sở Nội vụ", "Các cơ quan, đơn vị, địa phương"],
    ]
    data = xlsx_bytes(rows, preface=[["PHỤ LỤC"], ["Nhiệm vụ trọng tâm năm 2026"]])
    workbook_rows = _with_date_formats(data)
    plan = parse_plan(workbook_rows, "phu-luc.xlsx")
    assert [t.code for t in plan.tasks] == ["I.1", "I.2", "I.3", "V.1"]
    assert [t.row for t in plan.tasks] == [3, 4, 5, 7]
    assert [c.label for c in plan.tasks[0].coordinators] == ["Sở Tư pháp", "Văn phòng UBND tỉnh"]
    assert plan.tasks[1].due == Due("month", "2026-02", datetime.date(2026, 2, 28), "02/2026")
    assert plan.tasks[2].due == Due("by_date", None, datetime.date(2026, 3, 15), "15/03/2026")
    assert plan.year == 2026 and plan.body is None
    assert plan.warnings == ()


def _with_date_formats(data):
    # Excel shows a typed "02/2026" as a month and "15/03/2026" as a day; mimic both.
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    sheet["C6"].number_format = "mm/yyyy"
    sheet["C7"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_detected_by_content_whatever_the_name():
    plan = parse_plan(xlsx_bytes(SMALL_ROWS), "upload.bin")
    assert len(plan.tasks) == 3


# --- doubtful rows -------------------------------------------------------------------------


def test_doubtful_rows_become_warnings():
    rows = [
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Trước mọi mục", "01/2026", "Sở Nội vụ", ""],
        ["I", "<b>Nhiệm vụ thực hiện trong quý I</b>", "", "", ""],
        ["1", "Có nội dung", "01/2026", "", ""],
        ["2", "<i>(chỉ có ghi chú)</i>", "01/2026", "Sở Nội vụ", ""],
        ["1", "Trùng mã", "02/2026", "Sở Nội vụ", ""],
        ["3", "Thời hạn lạ", "Sau Tết", "Sở Nội vụ", ""],
        ["4", "Ngoài quý", "05/2026", "Sở Nội vụ", ""],
        ["5", "Không thời hạn", "", "Sở Nội vụ", ""],
        ["", "Dòng không số", "", "", ""],
        ["1.1", "Mục con", "", "", ""],
        ["II", "Nhiệm vụ 6 tháng cuối năm", "", "", ""],
        ["1", "Kỳ suy từ thời hạn", "15/11/2026", "Sở Nội vụ", ""],
    ]
    plan = parse_plan(tsv(rows), "phu-luc.tsv", year=2026)
    assert [(t.code, t.period) for t in plan.tasks] == [
        ("I.1", "Q1"),
        ("I.1", "Q1"),
        ("I.3", "Q1"),
        ("I.4", "Q1"),
        ("I.5", "Q1"),
        ("II.1", "Q4"),
    ]
    assert warning_keys(plan) == {
        (3, "row_without_section", None),
        (5, "missing_lead_unit", "I.1"),
        (6, "empty_content", "I.2"),
        (7, "duplicate_code", "I.1"),
        (8, "due_unparsed", "I.3"),
        (9, "due_outside_period", "I.4"),
        (10, "due_missing", "I.5"),
        (11, "row_unrecognised", None),
        (12, "row_unrecognised", None),
        (13, "unknown_period", None),
        (14, "unknown_period", "II.1"),
    }
    assert [w.row for w in plan.warnings] == sorted(w.row for w in plan.warnings)
    assert all(w.message for w in plan.warnings)
    task_warnings = {w for t in plan.tasks for w in t.warnings}
    assert task_warnings <= set(plan.warnings)
    assert plan.tasks[2].due.text == "Sau Tết"


def test_header_columns_may_vary():
    header = ["STT", "Nội dung công việc", "Thời gian", "Đơn vị chủ trì", "Đơn vị phối hợp"]
    plan = parse_plan(tsv(SMALL_ROWS, header=header), "a.tsv")
    assert len(plan.tasks) == 3


def test_columns_are_found_by_name_not_position():
    order = [4, 3, 2, 1, 0]
    header = [HEADER[i] for i in order]
    rows = [[cells[i] for i in order] for cells in SMALL_ROWS]
    plan = parse_plan(tsv(rows, header=header), "a.tsv")
    assert plan.tasks[0].content == "Ban hành Chỉ thị phát động thi đua"
    assert plan.tasks[0].lead_unit == "Sở Nội vụ"


# --- files that are not plans ----------------------------------------------------------------


def _fake_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "plan.md", "empty_file"),
        (b"  \n\n ", None, "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "plan.png", "unsupported_format"),
        ("Kế hoạch".encode("utf-16-be"), "plan.md", "unsupported_format"),
        ("TT;Sơn La;Đơn".encode("cp1258"), "plan.csv", "unsupported_format"),
        (b"not a workbook", "plan.xlsx", "unsupported_format"),
        (_fake_docx(), "plan.docx", "unsupported_format"),
        ("Biên bản họp Hội đồng.\nKhông có bảng.".encode(), "notes.txt", "not_a_plan"),
        ("Biên bản họp Hội đồng.".encode(), None, "not_a_plan"),
        (b"name,age\nAn,30\n", "people.csv", "bad_header"),
        (b"name\tage\nAn\t30\n", "people.tsv", "bad_header"),
        (tsv(SMALL_ROWS, header=HEADER[:4]), "a.tsv", "bad_header"),
        (tsv([]), "a.tsv", "no_tasks"),
        (tsv([["I", "Nhiệm vụ quý I", "", "", ""]]), "a.tsv", "no_tasks"),
    ],
)
def test_not_a_plan(data, filename, code):
    with pytest.raises(PlanParseError) as caught:
        parse_plan(data, filename)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert "TT" in caught.value.message  # every message says what is expected


def test_missing_column_is_named_in_the_message():
    with pytest.raises(PlanParseError, match="ĐƠN VỊ PHỐI HỢP"):
        parse_plan(tsv(SMALL_ROWS, header=HEADER[:4]), "a.tsv")


def test_plan_without_any_year_is_flagged():
    rows = [["I", "Nhiệm vụ quý I", "", "", ""], ["1", "Nội dung", "Thường xuyên", "Sở Nội vụ", ""]]
    plan = parse_plan(tsv(rows), "a.tsv")
    assert plan.year is None
    assert warning_keys(plan) == {(None, "plan_year_missing", None)}
