"""The papers as an official gets them from the API: a unit's tờ trình with its list, the
biên bản of a council meeting and its kiểm phiếu, the blank phiếu bầu — right numbers, right
names, the State's layout, and nothing personal for a reporting script."""

import io

import pytest
from docx import Document

from app.services.documents import render
from tests.documents.docx_reading import (
    all_text,
    header_rows_repeat,
    needs_libreoffice,
    pdf_lines,
    pdf_text,
    table_rows,
)
from tests.factories import make_unit, signed_in
from tests.factories_council import (
    API,
    CO_THI_DUA,
    CSTD_TINH,
    ballot,
    council_with_members,
    eligible_nominations,
    open_meeting_with,
    vote,
)
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

ENDPOINTS = [
    Endpoint("GET", "/api/v1/dossiers/1/documents/to-trinh", "document.dossier_submission"),
    Endpoint("GET", "/api/v1/dossiers/1/documents/cong-van-tra-ho-so", "document.return_letter"),
    Endpoint(
        "GET",
        "/api/v1/dossiers/1/nominations/1/documents/bao-cao-thanh-tich",
        "document.achievement_report",
    ),
    Endpoint("GET", "/api/v1/meetings/1/documents/bien-ban", "document.meeting_minutes"),
    Endpoint("GET", "/api/v1/meetings/1/documents/bien-ban-kiem-phieu", "document.tally_minutes"),
    Endpoint("GET", "/api/v1/meetings/1/documents/phieu-bau", "document.ballot_paper"),
    Endpoint("GET", "/api/v1/meetings/1/documents/to-trinh", "document.meeting_submission"),
    Endpoint("GET", "/api/v1/meetings/1/documents/du-thao-quyet-dinh", "document.decision_draft"),
    Endpoint("GET", "/api/v1/decisions/1/documents/quyet-dinh", "document.decision"),
]
DOCX = render.DOCX_TYPE


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_paper_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


# ---- the tờ trình of a unit ------------------------------------------------------------------


async def _justice_dossier(session):
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    unit = await make_unit(session, name="Sở Tư pháp")
    dossier = await make_dossier(session, unit, round_, status="submitted", nominations=3)
    first, second, third = dossier.nominations
    first.nominee_name, first.position = "Lò Văn Minh", "Phó Chánh Văn phòng"
    first.achievement_summary = "Chủ trì xây dựng 05 văn bản quy phạm pháp luật."
    second.nominee_name, second.award_type_code = "Cầm Thị Hoa", CSTD_TINH
    third.nominee_kind, third.nominee_name = "collective", "Phòng Hành chính tư pháp"
    third.position = third.birth_year = None
    await session.commit()
    return unit, dossier


async def test_a_unit_prints_its_tờ_trình_with_the_list_by_award_type(app, client, session):
    unit, dossier = await _justice_dossier(session)
    _, headers = await signed_in(app, session, "unit", unit_id=unit.id)

    response = await client.get(
        f"{API}/dossiers/{dossier.id}/documents/to-trinh?on=2026-03-05", headers=headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert "T%E1%BB%9D%20tr%C3%ACnh" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in ("UBND TỈNH SƠN LA", "SỞ TƯ PHÁP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "/TTr-STP", "Sơn La, ngày 05 tháng 3 năm 2026",
                     "TỜ TRÌNH", "Về việc đề nghị khen thưởng đợt 1 năm 2026",
                     "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Sơn La", "Nơi nhận:", "GIÁM ĐỐC",
                     "khen thưởng 02 cá nhân và 01 tập thể",
                     "- Chiến sĩ thi đua cấp tỉnh: 01 cá nhân.",
                     "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "Tổng số: 03 đề nghị."):  # fmt: skip
        assert expected in text, expected
    rows = table_rows(document.tables[-1])
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác",
                       "Tóm tắt thành tích", "Ghi chú"]  # fmt: skip
    assert header_rows_repeat(document.tables[-1])
    names = [row[1] for row in rows if row[0].isdigit()]
    assert sorted(names) == ["Cầm Thị Hoa", "Lò Văn Minh", "Phòng Hành chính tư pháp"]
    minh = next(row for row in rows if row[1:2] == ["Lò Văn Minh"])
    assert minh[2] == "Phó Chánh Văn phòng, Sở Tư pháp"
    assert minh[3] == "Chủ trì xây dựng 05 văn bản quy phạm pháp luật."
    # One title row per award type, in the catalogue's order, with its count.
    titles = [row[0] for row in rows if row[0].startswith(("I.", "II."))]
    assert len(titles) == 2 and all(t.endswith(("(02)", "(01)")) for t in titles)


async def test_without_a_date_the_signer_fills_it_in(app, client, session):
    _, dossier = await _justice_dossier(session)
    _, headers = await signed_in(app, session)

    response = await client.get(f"{API}/dossiers/{dossier.id}/documents/to-trinh", headers=headers)

    text = all_text(Document(io.BytesIO(response.content)))
    assert "Sơn La, ngày      tháng      năm" in text


async def test_a_reader_gets_names_and_units_without_positions_or_a_persons_account(
    app, client, session
):
    _, dossier = await _justice_dossier(session)
    _, headers = await signed_in(app, session, "reader")

    response = await client.get(f"{API}/dossiers/{dossier.id}/documents/to-trinh", headers=headers)

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    minh = next(r for r in table_rows(document.tables[-1]) if r[1:2] == ["Lò Văn Minh"])
    assert minh[2] == "Sở Tư pháp" and minh[3] == ""
    assert "Phó Chánh Văn phòng" not in all_text(document)


async def test_another_units_dossier_is_not_found(app, client, session):
    _, dossier = await _justice_dossier(session)
    other = await make_unit(session, name="Sở Y tế")
    _, headers = await signed_in(app, session, "unit", unit_id=other.id)

    response = await client.get(f"{API}/dossiers/{dossier.id}/documents/to-trinh", headers=headers)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_pdf_without_libreoffice_is_a_clear_503(app, client, session, monkeypatch):
    _, dossier = await _justice_dossier(session)
    _, headers = await signed_in(app, session)
    monkeypatch.setattr(render, "soffice", lambda: None)

    response = await client.get(
        f"{API}/dossiers/{dossier.id}/documents/to-trinh?format=pdf", headers=headers
    )

    assert response.status_code == 503
    problem = response.json()
    assert problem["code"] == "pdf_unavailable" and "LibreOffice" in problem["detail"]


async def test_text_in_decomposed_unicode_is_printed_composed(app, client, session):
    _unit, dossier = await _justice_dossier(session)
    dossier.nominations[0].nominee_name = "Lo\u0300 Va\u0306n Minh"  # "Lò Văn Minh", NFD
    await session.commit()
    _, headers = await signed_in(app, session)

    response = await client.get(f"{API}/dossiers/{dossier.id}/documents/to-trinh", headers=headers)

    text = all_text(Document(io.BytesIO(response.content)))
    assert "Lò Văn Minh" in text and "Lo\u0300" not in text


# ---- the council's papers --------------------------------------------------------------------


async def _closed_meeting(app, client, session, absences=None):
    """Five members, four present; two Chiến sĩ thi đua (90%) and a Cờ thi đua (80%)."""
    group = await council_with_members(app, session, 5)
    unit = await make_unit(session, name="Sở Xây dựng")
    soldiers = await eligible_nominations(session, CSTD_TINH, 2, unit=unit)
    soldiers[0].nominee_name, soldiers[1].nominee_name = "Lò Văn Đạt", "Hà Thị Trượt"
    flag = await eligible_nominations(session, CO_THI_DUA, 1, unit=unit,
                                      nominee_name="Phòng Quản lý xây dựng")  # fmt: skip
    await session.commit()
    agenda = [*soldiers, *flag]
    mid, admin = await open_meeting_with(
        app, client, session, group, agenda, present=4, absences=absences
    )
    for headers in group.headers[:4]:
        choices = {f"n{soldiers[1].id}": "reject"} if headers is group.headers[0] else {}
        response = await vote(client, mid, headers, ballot(agenda, **choices))
        assert response.status_code == 201, response.text
    written = await vote(client, mid, group.headers[4], ballot(agenda, "abstain"))
    assert written.status_code == 201, written.text
    return group, mid, admin, agenda


async def test_the_minutes_wait_for_the_close(app, client, session):
    _, mid, admin, _ = await _closed_meeting(app, client, session)

    response = await client.get(f"{API}/meetings/{mid}/documents/bien-ban", headers=admin)

    assert response.status_code == 409
    assert response.json()["code"] == "meeting_not_closed"
    tally = await client.get(f"{API}/meetings/{mid}/documents/bien-ban-kiem-phieu", headers=admin)
    assert tally.status_code == 409


async def test_the_minutes_carry_attendance_and_each_result_against_its_threshold(
    app, client, session
):
    _group, mid, admin, _agenda = await _closed_meeting(app, client, session)
    assert (await client.post(f"{API}/meetings/{mid}/close", headers=admin)).status_code == 200

    response = await client.get(f"{API}/meetings/{mid}/documents/bien-ban", headers=admin)

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    assert "BIÊN BẢN" in text and "/BB-HĐTĐKT" in text
    assert "có mặt 04 thành viên (80%), vắng mặt 01 thành viên" in text
    # Dated the day the meeting was held (it was scheduled for a month later).
    held = next(line for line in text.splitlines() if line.startswith("Thời gian:"))
    assert f"Sơn La, {held.split(', ', 1)[1].rstrip('.')}" in text
    attendance = table_rows(document.tables[1])
    assert [row[4] for row in attendance[1:]].count("Có mặt") == 4
    assert [row[4] for row in attendance[1:]].count("Vắng mặt") == 1
    results = {row[1].split(",")[0]: row for row in table_rows(document.tables[2])
               if row[0].isdigit()}  # fmt: skip
    # 4 of 5 approve: 80% — short of Chiến sĩ thi đua's 90%, enough for Cờ thi đua's 80%.
    assert results["Lò Văn Đạt"][2:] == ["4", "0", "1", "80% / 90%", "Không đạt"]
    assert results["Hà Thị Trượt"][2:] == ["3", "1", "1", "60% / 90%", "Không đạt"]
    assert results["Phòng Quản lý xây dựng"][2:] == ["4", "0", "1", "80% / 80%", "Đạt"]
    assert "Có 01 đề nghị đạt" in text and "và 02 đề nghị không đạt" in text


async def test_the_minutes_print_why_a_member_was_absent(app, client, session, tmp_path):
    needs_libreoffice()
    _, mid, admin, _ = await _closed_meeting(app, client, session, absences={4: "Đi công tác"})
    assert (await client.post(f"{API}/meetings/{mid}/close", headers=admin)).status_code == 200
    _, reader = await signed_in(app, session, "reader")

    pdf = await client.get(f"{API}/meetings/{mid}/documents/bien-ban?format=pdf", headers=admin)
    docx = await client.get(f"{API}/meetings/{mid}/documents/bien-ban", headers=reader)

    assert pdf.status_code == 200, pdf.text
    # The attendance column holds the reason on one line, beside the member's name.
    line = next(line for line in pdf_lines(pdf.content, tmp_path) if "Vắng mặt" in line)
    assert line.endswith("Vắng mặt (Đi công tác)"), line
    # A reporting account's copy says who was away, not why.
    rows = table_rows(Document(io.BytesIO(docx.content)).tables[1])
    assert [row[4] for row in rows[1:]].count("Vắng mặt") == 1


async def test_the_tally_counts_ballots_received_and_names_no_voter(app, client, session):
    group, mid, admin, _ = await _closed_meeting(app, client, session)
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    _, reader = await signed_in(app, session, "reader")

    response = await client.get(f"{API}/meetings/{mid}/documents/bien-ban-kiem-phieu",
                                headers=reader)  # fmt: skip

    assert response.status_code == 200, response.text
    text = all_text(Document(io.BytesIO(response.content)))
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Tổng số thành viên Hội đồng: 05." in text
    assert "Số phiếu thu về: 05" in text
    for member in group.members:
        assert member.full_name not in text


async def test_the_ballot_paper_lists_the_agenda_and_no_member(app, client, session):
    group, mid, admin, _agenda = await _closed_meeting(app, client, session)

    response = await client.get(f"{API}/meetings/{mid}/documents/phieu-bau", headers=admin)

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    assert "PHIẾU BẦU" in text and "Số:" not in text
    rows = table_rows(document.tables[-1])
    assert rows[0] == ["STT", "Cá nhân / tập thể", "Đơn vị", "Tán thành", "Không tán thành"]
    assert [row[1] for row in rows if row[0].isdigit()] == [
        "Lò Văn Đạt", "Hà Thị Trượt", "Phòng Quản lý xây dựng"]  # fmt: skip
    assert all(row[3] == row[4] == "" for row in rows if row[0].isdigit())
    for member in group.members:
        assert member.full_name not in text


async def test_a_member_of_another_council_does_not_find_the_meeting(app, client, session):
    _, mid, _, _ = await _closed_meeting(app, client, session)
    stranger = await council_with_members(app, session, 1)

    response = await client.get(f"{API}/meetings/{mid}/documents/phieu-bau",
                                headers=stranger.headers[0])  # fmt: skip

    assert response.status_code == 404


async def test_noi_vus_tờ_trình_proposes_only_what_passed(app, client, session):
    _, mid, admin, agenda = await _closed_meeting(app, client, session)
    summary = agenda[-1].achievement_summary
    assert summary
    early = await client.get(f"{API}/meetings/{mid}/documents/to-trinh", headers=admin)
    assert early.status_code == 409
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    response = await client.get(f"{API}/meetings/{mid}/documents/to-trinh?on=2026-04-01",
                                headers=admin)  # fmt: skip

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in (
        "SỞ NỘI VỤ",
        "/TTr-SNV",
        "Sơn La, ngày 01 tháng 4 năm 2026",
        "TỜ TRÌNH",
        "quyết định khen thưởng 01 trường hợp",
        "- Cờ thi đua của UBND tỉnh: 01 tập thể.",
        "Tổng số: 01 đề nghị.",
    ):
        assert expected in text, expected
    listed = [row for row in table_rows(document.tables[-1]) if row[0].isdigit()]
    assert [row[1] for row in listed] == ["Phòng Quản lý xây dựng"]
    assert listed[0][4] == "Tán thành 80% (ngưỡng 80%)"
    # The unit's summary of the achievement travels with the nominee to the Chủ tịch.
    assert listed[0][2] == "Sở Xây dựng" and listed[0][3] == summary
    assert "Lò Văn Đạt" not in text and "Hà Thị Trượt" not in text


async def test_noi_vus_tờ_trình_signed_by_a_deputy_prints_kt_giám_đốc(
    app, client, session, tmp_path
):
    needs_libreoffice()
    _, mid, admin, _ = await _closed_meeting(app, client, session)
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    deputy = await client.get(
        f"{API}/meetings/{mid}/documents/to-trinh?format=pdf&on_behalf=true&signer=Lường Văn Tú",
        headers=admin,
    )
    head = await client.get(f"{API}/meetings/{mid}/documents/to-trinh", headers=admin)

    assert deputy.status_code == 200, deputy.text
    text = pdf_text(deputy.content, tmp_path)
    on_behalf = text.index("KT. GIÁM ĐỐC")
    office = text.index("PHÓ GIÁM ĐỐC", on_behalf)
    assert office < text.index("(Ký tên, đóng dấu)", office) < text.index("Lường Văn Tú", office)
    signature = all_text(Document(io.BytesIO(head.content)))
    assert "GIÁM ĐỐC" in signature and "KT. GIÁM ĐỐC" not in signature
