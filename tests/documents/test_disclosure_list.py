"""The danh sách công khai as Sở Nội vụ prints it for a published list: the thông báo with the
period, the comment deadline and where to send opinions, then the list by award type — in the
State's layout, and without positions for a reporting script."""

import io
from datetime import date

from docx import Document
from docx.shared import Cm, Pt

from app.services.documents import render
from tests.documents.docx_reading import all_text, header_rows_repeat, table_rows
from tests.factories import make_unit, signed_in
from tests.factories_council import API, CSTD_TINH, HUAN_CHUONG, disclosure, eligible_nominations
from tests.factories_dossiers import make_round

FEEDBACK = "Sở Nội vụ tỉnh Sơn La, số 1 đường Tô Hiệu, thành phố Sơn La; tdkt@sonla.gov.vn"


async def _published(session):
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    unit = await make_unit(session, name="Sở Tài chính")
    huan_chuong = await eligible_nominations(
        session, HUAN_CHUONG, 2, unit=unit, round_=round_, position="Trưởng phòng Ngân sách"
    )
    huan_chuong[0].nominee_name, huan_chuong[1].nominee_name = "Lường Văn Thắng", "Vì Thị Lan"
    (cstd,) = await eligible_nominations(session, CSTD_TINH, unit=unit, round_=round_)
    cstd.nominee_name = "Hà Văn Tú"
    row = disclosure(
        [n.id for n in (*huan_chuong, cstd)], date(2026, 12, 1),
        title="Danh sách đề nghị khen thưởng đợt 1 năm 2026", ends_on=date(2026, 12, 15),
        channel="Cổng thông tin điện tử tỉnh Sơn La", url="https://sonla.gov.vn/ck/1",
        feedback_to=FEEDBACK, round_id=round_.id,
    )  # fmt: skip
    session.add(row)
    await session.commit()
    return row


async def test_noi_vu_prints_the_notice_and_the_list_by_award_type(app, client, session):
    published = await _published(session)
    _, headers = await signed_in(app, session)

    response = await client.get(
        f"{API}/disclosures/{published.id}/documents/danh-sach-cong-khai?on=2026-12-01",
        headers=headers,
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == render.DOCX_TYPE
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in ("UBND TỈNH SƠN LA", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "/TB-SNV", "Sơn La, ngày 01 tháng 12 năm 2026", "THÔNG BÁO",
                     "Công khai danh sách đề nghị khen thưởng đợt 1 năm 2026",
                     "danh sách 03 trường hợp",
                     "Thời gian công khai: từ ngày 01/12/2026 đến hết ngày 15/12/2026.",
                     "Cổng thông tin điện tử tỉnh Sơn La (https://sonla.gov.vn/ck/1)",
                     f"gửi về: {FEEDBACK} trước hết ngày 15/12/2026.",
                     "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG ĐỢT 1 NĂM 2026",
                     "Tổng số: 03 trường hợp.", "Nơi nhận:", "GIÁM ĐỐC"):  # fmt: skip
        assert expected in text, expected
    table = document.tables[-1]
    rows = table_rows(table)
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác", "Ghi chú"]
    assert header_rows_repeat(table)
    titles = [r[0] for r in rows if r[0].startswith(("I.", "II."))]
    assert titles == ["I. CHIẾN SĨ THI ĐUA CẤP TỈNH (01)", "II. HUÂN CHƯƠNG LAO ĐỘNG HẠNG BA (02)"]
    thang = next(r for r in rows if r[1:2] == ["Lường Văn Thắng"])
    assert thang[2] == "Trưởng phòng Ngân sách, Sở Tài chính"
    # The State's layout: A4, NĐ 30 margins, Times New Roman, real column widths.
    section = document.sections[0]
    for measured, expected in ((section.page_width, 21), (section.page_height, 29.7),
                               (section.left_margin, 3), (section.right_margin, 1.5)):  # fmt: skip
        assert abs(measured - Cm(expected)) < Cm(0.01)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)
    widths = [cell.width for cell in table.rows[0].cells]
    assert len(set(widths)) > 1 and abs(sum(widths) - Cm(16.5)) < Cm(0.1)


async def test_a_reader_gets_names_and_units_only(app, client, session):
    published = await _published(session)
    _, headers = await signed_in(app, session, "reader")

    response = await client.get(
        f"{API}/disclosures/{published.id}/documents/danh-sach-cong-khai", headers=headers
    )

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    thang = next(r for r in table_rows(document.tables[-1]) if r[1:2] == ["Lường Văn Thắng"])
    assert thang[2] == "Sở Tài chính"
    assert "Trưởng phòng" not in all_text(document)


async def test_an_unknown_list_is_not_found(app, client, session):
    _, headers = await signed_in(app, session)

    response = await client.get(
        f"{API}/disclosures/999/documents/danh-sach-cong-khai", headers=headers
    )

    assert response.status_code == 404
