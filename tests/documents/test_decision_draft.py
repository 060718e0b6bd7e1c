"""The dự thảo Quyết định khen thưởng after a council meeting: the provincial awards that
passed, with each one's tiền thưởng — the award type's multiple times the mức lương cơ sở in
force on the decision's day — and the total in figures and in words."""

import io

from docx import Document

from tests.documents.docx_reading import (
    all_text,
    header_rows_repeat,
    needs_libreoffice,
    pdf_text,
    table_rows,
)
from tests.factories import make_unit, signed_in
from tests.factories_council import (
    API,
    CO_THI_DUA,
    CSTD_TINH,
    CSTD_TOAN_QUOC,
    ballot,
    council_with_members,
    eligible_nominations,
    open_meeting_with,
    vote,
)

PAPER = "documents/du-thao-quyet-dinh"
PRINTED = "documents/quyet-dinh"
CSTD_KEY = f"prize_multiple.{CSTD_TINH}.individual"


async def _closed(app, client, session, *, close=True):
    """Five members; two Chiến sĩ thi đua pass (5/5), one fails (4/5 < 90%); a Cờ passes."""
    group = await council_with_members(app, session, 5)
    unit = await make_unit(session, name="Sở Xây dựng")
    soldiers = await eligible_nominations(session, CSTD_TINH, 3, unit=unit)
    for nomination, name in zip(soldiers, ("Lò Văn Đạt", "Cầm Văn Hùng", "Hà Thị Trượt"),
                                strict=True):  # fmt: skip
        nomination.nominee_name = name
    flag = await eligible_nominations(session, CO_THI_DUA, 1, unit=unit,
                                      nominee_name="Phòng Quản lý xây dựng")  # fmt: skip
    await session.commit()
    agenda = [*soldiers, *flag]
    mid, admin = await open_meeting_with(app, client, session, group, agenda)
    for headers in group.headers:
        choices = {f"n{soldiers[2].id}": "reject"} if headers is group.headers[0] else {}
        response = await vote(client, mid, headers, ballot(agenda, **choices))
        assert response.status_code == 201, response.text
    if close:
        assert (await client.post(f"{API}/meetings/{mid}/close", headers=admin)).status_code == 200
    return mid, admin


async def test_the_draft_lists_who_passed_with_each_prize_and_the_total(app, client, session):
    mid, admin = await _closed(app, client, session)

    response = await client.get(f"{API}/meetings/{mid}/{PAPER}?on=2026-03-20", headers=admin)

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in ("ỦY BAN NHÂN DÂN", "TỈNH SƠN LA", "/QĐ-UBND", "QUYẾT ĐỊNH",
                     "Sơn La, ngày 20 tháng 3 năm 2026",
                     "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA", "QUYẾT ĐỊNH:",
                     "cho 02 cá nhân và 01 tập thể",
                     "- Chiến sĩ thi đua cấp tỉnh: 02 cá nhân;",
                     "mức lương cơ sở 2.340.000 đồng (áp dụng từ ngày 01 tháng 7 năm 2024)",
                     "tổng số tiền: 32.760.000 đồng (Bằng chữ: Ba mươi hai triệu bảy trăm sáu "
                     "mươi nghìn đồng)",
                     "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG", "CHỦ TỊCH"):  # fmt: skip
        assert expected in text, expected
    table = document.tables[-1]
    assert header_rows_repeat(table)
    rows = table_rows(table)
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Đơn vị", "Hệ số", "Tiền thưởng (đồng)"]
    listed = {row[1]: row[2:] for row in rows if row[0].isdigit()}
    assert listed == {
        "Lò Văn Đạt": ["Sở Xây dựng", "3", "7.020.000"],
        "Cầm Văn Hùng": ["Sở Xây dựng", "3", "7.020.000"],
        "Phòng Quản lý xây dựng": ["Sở Xây dựng", "8", "18.720.000"],
    }
    assert rows[-1][1] == "Tổng cộng: 03" and rows[-1][-1] == "32.760.000"
    assert "Hà Thị Trượt" not in text
    # A draft asks for the signature; the office is the Chủ tịch's, signed in their own name.
    assert "(Ký tên, đóng dấu)" in text and "(Đã ký)" not in text and "KT. CHỦ TỊCH" not in text
    # The shipped multiples are unverified: the draft says so.
    assert "chưa được Sở Nội vụ xác nhận" in text


async def test_confirmed_multiples_and_a_new_base_salary_change_the_next_draft(
    app, client, session
):
    mid, admin = await _closed(app, client, session)
    for key in (CSTD_KEY, f"prize_multiple.{CO_THI_DUA}.collective"):
        confirmed = await client.patch(
            f"{API}/rule-values/{key}/2024-01-01", json={"value": 3 if "chien" in key else 8},
            headers={**admin, "If-Match": '"1"'},
        )  # fmt: skip
        assert confirmed.status_code == 200, confirmed.text
    raised = await client.post(
        f"{API}/rule-values", headers=admin,
        json={"key": "base_salary", "effective_from": "2026-07-01", "value": 2500000,
              "legal_basis": "Nghị định quy định mức lương cơ sở mới"},
    )  # fmt: skip
    assert raised.status_code == 201, raised.text

    before = await client.get(f"{API}/meetings/{mid}/{PAPER}?on=2026-06-30", headers=admin)
    after = await client.get(f"{API}/meetings/{mid}/{PAPER}?on=2026-07-01", headers=admin)

    old, new = (all_text(Document(io.BytesIO(r.content))) for r in (before, after))
    assert "tổng số tiền: 32.760.000 đồng" in old
    # 3 × 2.500.000 twice and 8 × 2.500.000: 35.000.000.
    assert "tổng số tiền: 35.000.000 đồng (Bằng chữ: Ba mươi lăm triệu đồng)" in new
    assert "7.500.000" in new and "20.000.000" in new
    assert "chưa được Sở Nội vụ xác nhận" not in new


async def test_the_draft_waits_for_the_close(app, client, session):
    mid, admin = await _closed(app, client, session, close=False)

    response = await client.get(f"{API}/meetings/{mid}/{PAPER}", headers=admin)

    assert response.status_code == 409
    assert response.json()["code"] == "meeting_not_closed"


async def test_a_unit_cannot_print_the_draft(app, client, session):
    mid, _ = await _closed(app, client, session)
    _, unit = await signed_in(app, session, "unit")

    response = await client.get(f"{API}/meetings/{mid}/{PAPER}", headers=unit)

    assert response.status_code == 403


# ---- the paper of a decision already recorded ------------------------------------------------


async def _recorded(app, client, session, kind="provincial_award"):
    mid, admin = await _closed(app, client, session)
    results = await client.get(f"{API}/meetings/{mid}/results", headers=admin)
    passed = [r["nomination_id"] for r in results.json()["items"] if r["passed"]]
    body = {"kind": kind, "number": "1520/QĐ-UBND", "signed_on": "2026-03-25",
            "signed_by": "Hoàng Quốc Khánh", "nomination_ids": passed}  # fmt: skip
    response = await client.post(f"{API}/decisions", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()["id"], admin


async def test_a_recorded_decision_prints_with_its_number_date_signer_and_prizes(
    app, client, session
):
    decision_id, admin = await _recorded(app, client, session)

    response = await client.get(f"{API}/decisions/{decision_id}/{PRINTED}", headers=admin)

    assert response.status_code == 200, response.text
    assert "quyet-dinh-khen-thuong-so-1520-qd-ubnd" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in ("Số: 1520/QĐ-UBND", "Sơn La, ngày 25 tháng 3 năm 2026", "Hoàng Quốc Khánh",
                     "(Kèm theo Quyết định số 1520/QĐ-UBND ngày 25 tháng 3 năm 2026 của Chủ tịch "
                     "UBND tỉnh Sơn La)",
                     "Căn cứ kết quả biểu quyết tại phiên họp",
                     "Theo đề nghị của Giám đốc Sở Nội vụ.",
                     "cho 02 cá nhân và 01 tập thể",
                     "tổng số tiền: 32.760.000 đồng"):  # fmt: skip
        assert expected in text, expected
    assert "      /QĐ-UBND" not in text and "Tờ trình số      " not in text
    rows = table_rows(document.tables[-1])
    listed = {row[1]: row[2:] for row in rows if row[0].isdigit()}
    assert listed == {
        "Lò Văn Đạt": ["Sở Xây dựng", "3", "7.020.000"],
        "Cầm Văn Hùng": ["Sở Xây dựng", "3", "7.020.000"],
        "Phòng Quản lý xây dựng": ["Sở Xây dựng", "8", "18.720.000"],
    }
    assert rows[-1][1] == "Tổng cộng: 03" and rows[-1][-1] == "32.760.000"


async def test_the_recorded_decision_prints_through_libreoffice(app, client, session, tmp_path):
    needs_libreoffice()
    decision_id, admin = await _recorded(app, client, session)

    response = await client.get(
        f"{API}/decisions/{decision_id}/documents/quyet-dinh?format=pdf", headers=admin
    )

    assert response.status_code == 200, response.text
    text = pdf_text(response.content, tmp_path)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 1520/QĐ-UBND",
                     "Sơn La, ngày 25 tháng 3 năm 2026", "Hoàng Quốc Khánh", "Lò Văn Đạt",
                     "18.720.000", "32.760.000", "(Đã ký)"):  # fmt: skip
        assert expected in text, expected
    # Signed already: the copy says so, and asks no one to sign.
    assert "(Ký tên, đóng dấu)" not in text


async def test_a_decision_signed_for_the_chair_prints_kt_and_the_deputys_office(
    app, client, session, tmp_path
):
    needs_libreoffice()
    decision_id, admin = await _recorded(app, client, session)
    read = await client.get(f"{API}/decisions/{decision_id}", headers=admin)
    corrected = await client.patch(
        f"{API}/decisions/{decision_id}", json={"signed_by": "Lê Hồng Minh", "on_behalf": True},
        headers={**admin, "If-Match": read.headers["etag"]},
    )  # fmt: skip
    assert corrected.status_code == 200, corrected.text

    response = await client.get(f"{API}/decisions/{decision_id}/{PRINTED}?format=pdf",
                                headers=admin)  # fmt: skip

    assert response.status_code == 200, response.text
    text = pdf_text(response.content, tmp_path)
    on_behalf = text.index("KT. CHỦ TỊCH")
    office = text.index("PHÓ CHỦ TỊCH", on_behalf)
    assert on_behalf < office < text.index("(Đã ký)", office) < text.index("Lê Hồng Minh", office)
    assert "Hoàng Quốc Khánh" not in text


async def test_a_corrected_number_is_the_one_printed(app, client, session):
    decision_id, admin = await _recorded(app, client, session)
    read = await client.get(f"{API}/decisions/{decision_id}", headers=admin)
    await client.patch(
        f"{API}/decisions/{decision_id}", json={"number": "1521/QĐ-UBND"},
        headers={**admin, "If-Match": read.headers["etag"]},
    )  # fmt: skip

    response = await client.get(f"{API}/decisions/{decision_id}/{PRINTED}", headers=admin)

    assert "Số: 1521/QĐ-UBND" in all_text(Document(io.BytesIO(response.content)))


async def test_a_state_submission_has_no_award_decision_paper(app, client, session):
    state = await eligible_nominations(session, CSTD_TOAN_QUOC, 1, status="approved")
    _, admin = await signed_in(app, session)
    body = {"kind": "state_submission", "number": "15/TTr-UBND", "signed_on": "2026-03-25",
            "signed_by": "Hoàng Quốc Khánh", "nomination_ids": [state[0].id]}  # fmt: skip
    recorded = await client.post(f"{API}/decisions", json=body, headers=admin)
    assert recorded.status_code == 201, recorded.text

    response = await client.get(
        f"{API}/decisions/{recorded.json()['id']}/documents/quyet-dinh", headers=admin
    )

    assert response.status_code == 409 and response.json()["code"] == "decision_not_provincial"
