"""What the dossiers give out: the dossier report, the dossier export and a round's
danh sách đề nghị khen thưởng, each counted and listed within what the caller may see."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
from docx import Document
from openpyxl import load_workbook

from app.core.statuses import NominationStatus
from app.models import Cluster, Decision, DecisionItem, Dossier, MeetingResult, Round, Unit
from app.schemas.dossiers import DossierReport
from tests.factories import make_cluster, make_council, make_unit, signed_in
from tests.factories_council import make_meeting
from tests.factories_dossiers import (
    AWARD,
    load_catalogue,
    make_dossier,
    make_round,
    nomination_body,
)
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

CSTD = "chien_si_thi_dua_cap_tinh"
ENDPOINTS = [
    Endpoint("GET", "/api/v1/reports/dossiers?year=2026", "dossier.report"),
    Endpoint("GET", "/api/v1/dossiers/export?format=csv", "dossier.export"),
    Endpoint("GET", "/api/v1/dossiers/export?format=xlsx", "dossier.export"),
    Endpoint("GET", "/api/v1/dossiers/export?format=json", "dossier.export"),
    Endpoint("GET", "/api/v1/rounds/1/nominations/export?format=docx", "round.export_nominations"),
    Endpoint("GET", "/api/v1/rounds/1/nominations/export?format=xlsx", "round.export_nominations"),
    Endpoint("GET", "/api/v1/rounds/1/nominations/export?format=json", "round.export_nominations"),
]
EXPORT_HEADERS = ["ID hồ sơ", "Mã hồ sơ", "ID đơn vị trình", "Đơn vị trình", "Cụm/khối", "ID đợt",
                  "Đợt", "Loại hồ sơ (mã)", "Loại hồ sơ", "Trạng thái hồ sơ (mã)",
                  "Trạng thái hồ sơ", "Ngày trình", "ID đề nghị",
                  "Họ tên / Tập thể / Hộ gia đình", "Loại đối tượng (mã)", "Loại đối tượng",
                  "Chức vụ", "Năm sinh", "Địa chỉ hộ gia đình", "Mã danh hiệu",
                  "Danh hiệu/hình thức đề nghị", "Trạng thái đề nghị (mã)",
                  "Trạng thái đề nghị", "Kết luận thẩm định"]  # fmt: skip
EXPORT_KEYS = ["dossier_id", "code", "submitting_unit_id", "submitting_unit", "cluster",
               "round_id", "round", "kind", "kind_label", "status", "status_label",
               "submitted_on", "nomination_id", "nominee_name", "nominee_kind",
               "nominee_kind_label", "position", "birth_year", "nominee_address",
               "award_type_code", "award_name",
               "nomination_status", "nomination_status_label", "appraisal"]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_output_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


# ---- the story's data ------------------------------------------------------------------------


@dataclass
class World:
    round: Round
    other_round: Round
    finance: Unit  # Sở Tài chính, in the cluster
    health: Unit  # Sở Y tế, in the cluster
    commune: Unit  # UBND xã Chiềng Mung, in no cluster
    cluster: Cluster
    submitted: Dossier
    draft: Dossier
    appraised: Dossier
    withdrawn: Dossier
    elsewhere: Dossier


def _set(nomination, **values) -> None:
    for name, value in values.items():
        setattr(nomination, name, value)


async def _world(session) -> World:
    """Đợt 1 with four dossiers (submitted, draft, appraised, withdrawn) and one in đợt 2."""
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    other = await make_round(session, number=2, name="Đợt 2 năm 2026")
    finance = await make_unit(session, name="Sở Tài chính")
    health = await make_unit(session, name="Sở Y tế")
    commune = await make_unit(session, name="UBND xã Chiềng Mung", kind="commune")
    cluster = await make_cluster(session, year=round_.year, name="Khối các sở", members=[finance])
    submitted = await make_dossier(
        session, finance, round_, status="submitted", nominations=2, cluster_id=cluster.id
    )
    _set(submitted.nominations[0], nominee_name="Lò Văn Hùng", position="Phó Giám đốc Sở",
         birth_year=1975)  # fmt: skip
    _set(submitted.nominations[1], nominee_kind="collective", nominee_name="Phòng Ngân sách",
         position=None, birth_year=None)  # fmt: skip
    # 20:00 UTC on 10 March is 03:00 on 11 March in Sơn La: the export gives the local day.
    submitted.submitted_at = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
    draft = await make_dossier(session, health, round_, cluster_id=cluster.id,
                               nominee={"nominee_name": "Cầm Thị Nháp"})  # fmt: skip
    appraised = await make_dossier(session, commune, round_, status="appraised", nominations=4)
    eligible, approved, awarded, ineligible = appraised.nominations
    _set(eligible, nominee_name="Quàng Văn Đủ", status="eligible",
         appraisal_conclusion="eligible", appraisal_note="Đủ tiêu chuẩn")  # fmt: skip
    _set(approved, nominee_name="Lường Thị Duyệt", status="approved",
         appraisal_conclusion="eligible")  # fmt: skip
    _set(awarded, nominee_name="Hà Văn Khen", status="awarded", award_type_code=CSTD,
         appraisal_conclusion="eligible")  # fmt: skip
    _set(ineligible, nominee_name="Tòng Văn Thiếu", status="ineligible",
         appraisal_conclusion="ineligible", appraisal_note="Thiếu sáng kiến")  # fmt: skip
    withdrawn = await make_dossier(session, finance, round_, status="withdrawn",
                                   cluster_id=cluster.id,
                                   nominee={"nominee_name": "Vì Văn Rút"})  # fmt: skip
    withdrawn.nominations[0].status = "withdrawn"
    elsewhere = await make_dossier(session, finance, other, status="submitted",
                                   nominee={"nominee_name": "Đinh Văn Khác"})  # fmt: skip
    await session.commit()
    return World(round_, other, finance, health, commune, cluster, submitted, draft, appraised,
                 withdrawn, elsewhere)  # fmt: skip


def _sheet_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _by_header(rows: list[list]) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# ---- the report ------------------------------------------------------------------------------


async def test_the_round_report_counts_dossiers_and_nominations_every_way(app, client, session):
    world = await _world(session)
    _, noi_vu = await signed_in(app, session)

    response = await client.get(f"/api/v1/reports/dossiers?round_id={world.round.id}",
                                headers=noi_vu)  # fmt: skip

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["round_id"] == world.round.id and report["year"] is None
    assert report["total_dossiers"] == 4  # đợt 2's dossier is not counted
    assert report["dossiers_by_status"] == {
        "appraised": 1, "draft": 1, "submitted": 1, "withdrawn": 1,
    }  # fmt: skip
    assert report["nominations"] == {
        "total": 8, "individual": 7, "collective": 1, "household": 0, "approved": 2,
        "awarded": 1,
        "by_status": {"approved": 1, "awarded": 1, "draft": 1, "eligible": 1, "ineligible": 1,
                      "submitted": 2, "withdrawn": 1},
    }  # fmt: skip
    assert report["by_award_type"] == [
        {"award_type_code": AWARD, "name": "Bằng khen của Chủ tịch UBND tỉnh", "total": 7,
         "individual": 6, "collective": 1, "household": 0, "eligible": 2, "approved": 1,
         "awarded": 0},
        {"award_type_code": CSTD, "name": "Chiến sĩ thi đua cấp tỉnh", "total": 1,
         "individual": 1, "collective": 0, "household": 0, "eligible": 1, "approved": 1,
         "awarded": 1},
    ]  # fmt: skip
    assert report["by_cluster"] == [
        {"cluster_id": world.cluster.id, "name": "Khối các sở", "dossiers": 3, "nominations": 4},
        {"cluster_id": None, "name": None, "dossiers": 1, "nominations": 4},
    ]
    assert report["by_unit"] == [
        {"unit_id": world.finance.id, "name": "Sở Tài chính", "dossiers": 2, "nominations": 3},
        {"unit_id": world.health.id, "name": "Sở Y tế", "dossiers": 1, "nominations": 1},
        {"unit_id": world.commune.id, "name": "UBND xã Chiềng Mung", "dossiers": 1,
         "nominations": 4},
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["noi_vu", "unit"])
async def test_the_report_is_written_as_its_schema_writes_it(app, client, session, role):
    """The report is sent as built, not validated on the way out: its bytes are what
    `DossierReport` would write (every field, in order, of the right type)."""
    world = await _world(session)
    _, headers = await signed_in(app, session, role, unit_id=world.finance.id)

    response = await client.get(f"/api/v1/reports/dossiers?round_id={world.round.id}",
                                headers=headers)  # fmt: skip

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    written = DossierReport.model_validate_json(response.content).model_dump_json()
    assert response.content == written.encode()


async def test_the_year_report_takes_every_round_of_the_year(app, client, session):
    world = await _world(session)
    _, reader = await signed_in(app, session, "reader")

    report = (
        await client.get(f"/api/v1/reports/dossiers?year={world.round.year}", headers=reader)
    ).json()
    next_year = (
        await client.get(f"/api/v1/reports/dossiers?year={world.round.year + 1}", headers=reader)
    ).json()

    assert report["total_dossiers"] == 5 and report["nominations"]["total"] == 9
    assert next_year["total_dossiers"] == 0 and next_year["by_unit"] == []
    assert next_year["nominations"]["total"] == 0 and next_year["by_award_type"] == []


async def test_a_unit_counts_only_its_own_dossiers(app, client, session):
    world = await _world(session)
    _, unit = await signed_in(app, session, "unit", unit_id=world.finance.id)

    report = (
        await client.get(f"/api/v1/reports/dossiers?round_id={world.round.id}", headers=unit)
    ).json()

    assert report["total_dossiers"] == 2
    assert report["dossiers_by_status"] == {"submitted": 1, "withdrawn": 1}
    assert report["nominations"]["total"] == 3
    assert [u["unit_id"] for u in report["by_unit"]] == [world.finance.id]


async def test_the_units_come_in_the_order_of_their_names_on_every_database(app, client, session):
    """By name as Python orders text (code points): the same on SQLite and PostgreSQL,
    whatever the server's collation; a unit with two dossiers counts both."""
    await load_catalogue(session)
    round_ = await make_round(session)
    names = ["Ủy ban nhân dân xã Mường Bú", "Văn phòng Tỉnh ủy", "Ban Dân tộc", "ban quản lý",
             "Sở Y tế"]  # fmt: skip
    for name in names:
        unit = await make_unit(session, name=name)
        await make_dossier(session, unit, round_, nominations=2)
        if name == "Sở Y tế":
            await make_dossier(session, unit, round_)
    await session.commit()
    _, noi_vu = await signed_in(app, session)

    report = (
        await client.get(f"/api/v1/reports/dossiers?round_id={round_.id}", headers=noi_vu)
    ).json()

    assert [u["name"] for u in report["by_unit"]] == sorted(names)
    health = next(u for u in report["by_unit"] if u["name"] == "Sở Y tế")
    assert (health["dossiers"], health["nominations"]) == (2, 3)


async def test_a_cluster_head_counts_its_clusters_dossiers(app, client, session):
    world = await _world(session)
    _, head = await signed_in(app, session, "cluster_head", cluster_id=world.cluster.id)

    report = (
        await client.get(f"/api/v1/reports/dossiers?round_id={world.round.id}", headers=head)
    ).json()

    assert report["total_dossiers"] == 3
    assert [c["cluster_id"] for c in report["by_cluster"]] == [world.cluster.id]
    assert {u["name"] for u in report["by_unit"]} == {"Sở Tài chính", "Sở Y tế"}


async def test_the_report_needs_a_round_or_a_year(app, client, session):
    _, noi_vu = await signed_in(app, session)

    response = await client.get("/api/v1/reports/dossiers", headers=noi_vu)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "report_scope_required"


async def test_the_report_of_a_missing_round_is_404(app, client, session):
    _, noi_vu = await signed_in(app, session)

    response = await client.get("/api/v1/reports/dossiers?round_id=999", headers=noi_vu)

    assert response.status_code == 404


# ---- the dossier export ----------------------------------------------------------------------


async def test_the_xlsx_export_has_a_row_per_nomination(app, client, session):
    world = await _world(session)
    _, noi_vu = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/dossiers/export?format=xlsx&round_id={world.round.id}", headers=noi_vu
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment; ")
    assert (
        "filename*=UTF-8''" + quote("Danh sách hồ sơ đề nghị khen thưởng")
        in (response.headers["content-disposition"])
    )
    header, *rows = _sheet_rows(response.content)
    assert header == EXPORT_HEADERS
    assert len(rows) == 8
    assert {row[1] for row in rows} == {
        world.submitted.code,
        world.draft.code,
        world.appraised.code,
        world.withdrawn.code,
    }
    first = rows[0]
    assert first == [world.submitted.id, world.submitted.code, world.finance.id, "Sở Tài chính",
                     "Khối các sở", world.round.id, "Đợt 1 năm 2026", "periodic", "Theo đợt",
                     "submitted", "Đã nộp", datetime(2026, 3, 11),
                     world.submitted.nominations[0].id, "Lò Văn Hùng", "individual", "Cá nhân",
                     "Phó Giám đốc Sở", 1975, None, AWARD,
                     "Bằng khen của Chủ tịch UBND tỉnh", "submitted", "Đã nộp",
                     "Chưa thẩm định"]  # fmt: skip
    records = _by_header([header, *rows])
    assert [r["Loại đối tượng"] for r in records[:2]] == ["Cá nhân", "Tập thể"]
    assert records[1]["Chức vụ"] is None
    by_name = {r["Họ tên / Tập thể / Hộ gia đình"]: r for r in records}
    assert by_name["Tòng Văn Thiếu"]["Trạng thái đề nghị (mã)"] == "ineligible"
    assert by_name["Tòng Văn Thiếu"]["Kết luận thẩm định"] == "Không đủ điều kiện: Thiếu sáng kiến"
    assert by_name["Hà Văn Khen"]["Mã danh hiệu"] == CSTD
    assert by_name["Hà Văn Khen"]["Trạng thái đề nghị"] == "Đã được khen thưởng"
    assert by_name["Quàng Văn Đủ"]["Cụm/khối"] is None  # a commune outside any cluster
    assert by_name["Quàng Văn Đủ"]["Ngày trình"] is None  # never stamped: an empty cell


async def test_csv_and_json_carry_the_same_rows_with_iso_dates_and_ids_that_join(
    app, client, session
):
    world = await _world(session)
    _, noi_vu = await signed_in(app, session)
    query = f"/api/v1/dossiers/export?round_id={world.round.id}"

    as_csv = await client.get(f"{query}&format=csv", headers=noi_vu)
    as_json = await client.get(f"{query}&format=json", headers=noi_vu)

    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["content-type"].startswith("application/json")
    items = as_json.json()["items"]
    assert len(items) == 8 and list(items[0]) == EXPORT_KEYS
    assert items[0]["submitted_on"] == "2026-03-11" and items[0]["birth_year"] == 1975
    assert (items[0]["status"], items[0]["status_label"]) == ("submitted", "Đã nộp")
    csv_rows = _csv_rows(as_csv.content)
    assert csv_rows[0] == EXPORT_HEADERS
    assert csv_rows[1][11] == "2026-03-11"
    as_text = [["" if v is None else str(v) for v in item.values()] for item in items]
    assert csv_rows[1:] == as_text  # the same rows, in the same order
    for item in items[:2]:
        dossier = await client.get(f"/api/v1/dossiers/{item['dossier_id']}", headers=noi_vu)
        assert dossier.status_code == 200
        assert dossier.json()["code"] == item["code"]
        assert dossier.json()["status"] == item["status"]


async def test_the_export_applies_the_list_filters(app, client, session):
    world = await _world(session)
    _, noi_vu = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/dossiers/export?format=csv&round_id={world.round.id}&status=appraised"
        f"&award_type_code={CSTD}",
        headers=noi_vu,
    )
    searched = await client.get(
        f"/api/v1/dossiers/export?format=csv&q={world.elsewhere.code.lower()}", headers=noi_vu
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    header, *rows = _csv_rows(response.content)
    assert header == EXPORT_HEADERS
    # The appraised dossier has four nominations; the award type keeps only its own row.
    assert [(row[1], row[13]) for row in rows] == [(world.appraised.code, "Hà Văn Khen")]
    assert [row[1] for row in _csv_rows(searched.content)[1:]] == [world.elsewhere.code]


async def test_a_units_export_holds_only_its_own_nominations(app, client, session):
    world = await _world(session)
    _, unit = await signed_in(app, session, "unit", unit_id=world.finance.id)

    response = await client.get("/api/v1/dossiers/export?format=csv", headers=unit)

    _, *rows = _csv_rows(response.content)
    assert {row[3] for row in rows} == {"Sở Tài chính"}
    assert sorted(row[13] for row in rows) == sorted(
        ["Lò Văn Hùng", "Phòng Ngân sách", "Vì Văn Rút", "Đinh Văn Khác"]
    )


async def test_a_reader_gets_no_position_or_birth_year(app, client, session):
    world = await _world(session)
    _, reader = await signed_in(app, session, "reader")

    response = await client.get(
        f"/api/v1/dossiers/export?format=xlsx&round_id={world.round.id}", headers=reader
    )

    header, *rows = _sheet_rows(response.content)
    assert "Chức vụ" not in header and "Năm sinh" not in header
    assert "Địa chỉ hộ gia đình" not in header
    assert len(header) == len(EXPORT_HEADERS) - 3 and len(rows) == 8
    cells = {cell for row in rows for cell in row}
    assert "Lò Văn Hùng" in cells
    assert "Phó Giám đốc Sở" not in cells and 1975 not in cells


async def test_exported_text_stays_text_and_drops_control_characters(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session)
    await make_dossier(session, unit, await make_round(session), status="submitted",
                       nominee={"nominee_name": "=HYPERLINK(\"x\")\x01\x0b Lan"})  # fmt: skip
    await session.commit()
    _, noi_vu = await signed_in(app, session)

    xlsx = await client.get("/api/v1/dossiers/export?format=xlsx", headers=noi_vu)
    as_csv = await client.get("/api/v1/dossiers/export?format=csv", headers=noi_vu)

    assert xlsx.status_code == 200 and as_csv.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["N2"].value == '=HYPERLINK("x") Lan' and sheet["N2"].data_type == "s"
    assert _csv_rows(as_csv.content)[1][13] == '\'=HYPERLINK("x") Lan'


async def test_the_export_route_is_not_read_as_a_dossier_id(app, client, session):
    _, noi_vu = await signed_in(app, session)

    response = await client.get("/api/v1/dossiers/export", headers=noi_vu)

    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX  # xlsx unless asked otherwise
    assert _sheet_rows(response.content) == [EXPORT_HEADERS]


# ---- the round's danh sách -------------------------------------------------------------------


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def _table(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


async def test_the_word_list_groups_the_submitted_nominations_by_award(app, client, session):
    world = await _world(session)
    _, noi_vu = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/rounds/{world.round.id}/nominations/export?format=docx", headers=noi_vu
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert response.headers["content-disposition"].endswith(
        "filename*=UTF-8''" + quote("Danh sách đề nghị khen thưởng - Đợt 1 năm 2026.docx")
    )
    assert (
        'filename="danh-sach-de-nghi-khen-thuong-dot-1-nam-2026.docx"'
        in (response.headers["content-disposition"])
    )
    document = Document(io.BytesIO(response.content))
    assert _texts(document) == [
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "Đợt 1 năm 2026",
        "(Tổng số: 6 đề nghị)",
        "I. BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH (5)",
        "II. CHIẾN SĨ THI ĐUA CẤP TỈNH (1)",
    ]
    bang_khen, cstd = (_table(t) for t in document.tables)
    assert bang_khen[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị",
                            "Tóm tắt thành tích", "Ghi chú (kết luận thẩm định)"]  # fmt: skip
    assert [row[0] for row in bang_khen[1:]] == ["1", "2", "3", "4", "5"]
    # Collectives first; the draft and the withdrawn dossiers and đợt 2 are left out.
    assert [row[1] for row in bang_khen[1:]] == [
        "Phòng Ngân sách", "Lò Văn Hùng", "Quàng Văn Đủ", "Lường Thị Duyệt", "Tòng Văn Thiếu"
    ]  # fmt: skip
    assert bang_khen[2][2] == "Phó Giám đốc Sở, Sở Tài chính"
    assert bang_khen[2][3] == "Hoàn thành xuất sắc nhiệm vụ năm 2025."
    assert [row[4] for row in bang_khen[1:]] == [
        "Chưa thẩm định", "Chưa thẩm định", "Đủ điều kiện: Đủ tiêu chuẩn",
        "Được Hội đồng thông qua", "Không đủ điều kiện: Thiếu sáng kiến",
    ]  # fmt: skip
    assert cstd[1][:2] == ["1", "Hà Văn Khen"]


async def test_the_list_can_keep_one_nomination_status(app, client, session):
    world = await _world(session)
    _, noi_vu = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/rounds/{world.round.id}/nominations/export?format=docx&status=eligible",
        headers=noi_vu,
    )

    document = Document(io.BytesIO(response.content))
    assert _texts(document)[2:] == [
        "(Tổng số: 1 đề nghị)",
        "I. BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH (1)",
    ]
    assert [row[1] for row in _table(document.tables[0])[1:]] == ["Quàng Văn Đủ"]


async def test_the_list_as_json_has_the_spreadsheets_rows(app, client, session):
    world = await _world(session)
    _, reader = await signed_in(app, session, "reader")
    base = f"/api/v1/rounds/{world.round.id}/nominations/export"

    as_json = await client.get(f"{base}?format=json", headers=reader)
    as_xlsx = await client.get(f"{base}?format=xlsx", headers=reader)

    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["content-type"].startswith("application/json")
    items = as_json.json()["items"]
    rows = _sheet_rows(as_xlsx.content)[1:]
    # An empty text cell reads back from XLSX as None.
    assert [[v if v != "" else None for v in item.values()] for item in items] == rows
    assert all(item["status_label"] == NominationStatus.display_of(item["status"])
               for item in items)  # fmt: skip


async def test_the_spreadsheet_list_has_an_award_column_and_restarts_numbering(
    app, client, session
):
    world = await _world(session)
    _, reader = await signed_in(app, session, "reader")

    response = await client.get(
        f"/api/v1/rounds/{world.round.id}/nominations/export?format=xlsx", headers=reader
    )

    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Danh sách đề nghị", "Thông tin"]
    about = [row[0] for row in workbook["Thông tin"].iter_rows(values_only=True)]
    assert about == ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "Đợt 1 năm 2026", "Tổng số: 6 đề nghị"]
    rows = _sheet_rows(response.content)
    # One header row at the top: ids and codes beside the labels, numbers as numbers.
    assert rows[0] == ["Mã đề nghị", "STT", "Mã danh hiệu", "Danh hiệu/hình thức",
                       "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Tóm tắt thành tích",
                       "Trạng thái", "Tên trạng thái", "Tỷ lệ tán thành (%)", "Ngưỡng (%)",
                       "Số quyết định", "Ghi chú"]  # fmt: skip
    listed = [row[1:] for row in rows[1:]]
    assert all(isinstance(row[0], int) for row in rows[1:])
    assert [row[0] for row in listed] == [1, 2, 3, 4, 5, 1]
    assert listed[-1][2:4] == ["Chiến sĩ thi đua cấp tỉnh", "Hà Văn Khen"]
    assert listed[-1][6:8] == ["awarded", NominationStatus.display_of("awarded")]
    listed = [[row[0], row[2], *row[3:]] for row in listed]
    sheet = workbook.active
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1" and sheet["A2"].font.name == "Times New Roman"
    # A reader sees the name and the unit, never the position.
    assert listed[1][2:4] == ["Lò Văn Hùng", "Sở Tài chính"]
    assert not any("Phó Giám đốc" in str(cell) for row in rows for cell in row)
    # Nor what a person wrote of themselves; a collective's summary stays.
    summaries = {row[2]: row[4] for row in listed}
    assert summaries["Lò Văn Hùng"] in (None, "")
    assert summaries["Phòng Ngân sách"] == "Hoàn thành xuất sắc nhiệm vụ năm 2025."


async def test_the_word_list_survives_control_characters(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt\x07 thử")
    dossier = await make_dossier(session, await make_unit(session), round_, status="submitted")
    dossier.nominations[0].achievement_summary = "Vượt\x08 chỉ tiêu\x1f 120%"
    await session.commit()
    _, admin = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/rounds/{round_.id}/nominations/export?format=docx", headers=admin
    )

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    assert _texts(document)[1] == "Đợt thử"
    assert _table(document.tables[0])[1][3] == "Vượt chỉ tiêu 120%"


async def test_an_empty_round_gives_an_empty_list(app, client, session):
    round_ = await make_round(session, name="Đợt trống")
    await session.commit()
    _, noi_vu = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/rounds/{round_.id}/nominations/export?format=docx", headers=noi_vu
    )

    document = Document(io.BytesIO(response.content))
    assert _texts(document)[2:] == ["(Tổng số: 0 đề nghị)", "Không có đề nghị nào phù hợp."]
    assert document.tables == []


async def test_the_list_of_a_missing_round_is_404(app, client, session):
    _, reader = await signed_in(app, session, "reader")

    response = await client.get("/api/v1/rounds/999/nominations/export", headers=reader)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_list_tells_where_each_nominee_stands_now(app, client, session):
    """Appraised eligible, then rejected by the council: printed as rejected with the vote,
    never as eligible; an awarded nominee carries the decision's number; a position naming
    the unit is not followed by the unit again."""
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    unit = await make_unit(session, name="Sở Tài chính")
    dossier = await make_dossier(session, unit, round_, status="appraised", nominations=2)
    rejected, awarded = dossier.nominations
    _set(rejected, nominee_name="Lò Văn Trượt", status="rejected",
         appraisal_conclusion="eligible", award_type_code=CSTD)  # fmt: skip
    _set(awarded, nominee_name="Hà Thị Khen", status="awarded", appraisal_conclusion="eligible",
         award_type_code=CSTD, position="Phó Giám đốc Sở Tài chính")  # fmt: skip
    meeting = await make_meeting(session, await make_council(session), status="closed")
    for nomination, approve in ((rejected, 60.0), (awarded, 100.0)):
        session.add(MeetingResult(
            meeting_id=meeting.id, nomination_id=nomination.id, approve=3 if approve < 90 else 5,
            reject=2 if approve < 90 else 0, abstain=0, members_total=5, present=5,
            approve_percent=approve, threshold_percent=90.0, passed=approve >= 90))  # fmt: skip
    decision = Decision(
        kind="provincial_award",
        number="125/QĐ-UBND",
        number_key="125/qd-ubnd",
        year=2026,
        signed_on=date(2026, 4, 2),
        signed_by="Chủ tịch UBND tỉnh",
    )
    decision.items = [DecisionItem(nomination_id=awarded.id)]
    session.add(decision)
    await session.commit()
    _, noi_vu = await signed_in(app, session)

    response = await client.get(
        f"/api/v1/rounds/{round_.id}/nominations/export?format=docx", headers=noi_vu
    )

    rows = {row[1]: row for row in _table(Document(io.BytesIO(response.content)).tables[0])}
    assert rows["Lò Văn Trượt"][4] == (
        "Không được khen thưởng; Hội đồng tán thành 60% (ngưỡng 90%)"
    )
    assert "đủ điều kiện" not in rows["Lò Văn Trượt"][4].lower()
    assert rows["Hà Thị Khen"][4] == (
        "Đã được khen thưởng; Hội đồng tán thành 100% (ngưỡng 90%); Số quyết định: 125/QĐ-UBND"
    )
    assert rows["Hà Thị Khen"][2] == "Phó Giám đốc Sở Tài chính"


async def test_the_report_follows_nominations_added_and_removed(app, client, session):
    """A dossier's nominations are counted as they stand after each change: drafted with two,
    one added, one removed, whoever changed them."""
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    await session.commit()
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    _, noi_vu = await signed_in(app, session)
    drafted = await client.post(
        "/api/v1/dossiers",
        json={"round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
              "nominations": [nomination_body(), nomination_body()]},
        headers=officer,
    )  # fmt: skip
    base = f"/api/v1/dossiers/{drafted.json()['id']}/nominations"

    def report():
        return client.get(f"/api/v1/reports/dossiers?round_id={round_.id}", headers=noi_vu)

    counted = [(await report()).json()["by_unit"][0]["nominations"]]
    added = await client.post(base, json=nomination_body(), headers=officer)
    counted.append((await report()).json()["by_unit"][0]["nominations"])
    removed = await client.delete(f"{base}/{added.json()['id']}", headers=officer)
    counted.append((await report()).json()["by_unit"][0]["nominations"])
    first = drafted.json()["nominations"][0]["id"]
    await client.delete(f"{base}/{first}", headers=officer)
    final = (await report()).json()

    assert added.status_code == 201 and removed.status_code == 204
    assert counted == [2, 3, 2]
    assert final["by_unit"][0]["nominations"] == final["nominations"]["total"] == 1
