"""Trả hồ sơ with a phiếu yêu cầu bổ sung: the reason and the papers to add per nominee are
fields of the return, shown on the dossier and in its event, and printed as Sở Nội vụ's công
văn to the unit."""

import io
from datetime import timedelta

from docx import Document
from docx.oxml.ns import qn

from app.services.documents.wording import vn_date
from app.services.dossiers.rules import today
from tests.documents.docx_reading import all_text, header_rows_repeat, table_rows
from tests.factories import make_unit, signed_in
from tests.factories_council import API
from tests.factories_dossiers import load_catalogue, make_dossier, make_round


async def _submitted(app, session):
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    unit = await make_unit(session, name="Sở Tư pháp")
    dossier = await make_dossier(session, unit, round_, status="submitted", nominations=2)
    first, second = dossier.nominations
    first.nominee_name, second.nominee_name = "Lò Văn Minh", "Cầm Thị Hoa"
    await session.commit()
    _, admin = await signed_in(app, session)
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    return dossier, admin, owner


def _return_body(dossier, due=None):
    first, second = dossier.nominations
    return {
        "reason": "Báo cáo thành tích chưa có xác nhận của cấp trình",
        "supplement_due_on": due,
        "requests": [
            {"nomination_id": first.id, "document_types": ["bao_cao_thanh_tich"],
             "note": "Có xác nhận của thủ trưởng đơn vị"},
            {"papers": ["Biên bản họp Hội đồng TĐKT cơ sở có chữ ký của chủ trì"]},
            {"nomination_id": second.id, "papers": ["Minh chứng sáng kiến năm 2025"]},
            {"nomination_id": first.id, "papers": ["Bản sao quyết định công nhận sáng kiến"]},
        ],
    }  # fmt: skip


async def test_the_return_keeps_its_reason_and_papers_per_nominee(app, client, session):
    dossier, admin, owner = await _submitted(app, session)
    first, second = dossier.nominations

    returned = await client.post(
        f"{API}/dossiers/{dossier.id}/return", json=_return_body(dossier), headers=admin
    )
    read = await client.get(f"{API}/dossiers/{dossier.id}", headers=owner)

    assert returned.status_code == 200, returned.text
    body = read.json()
    assert body["return_reason"] == "Báo cáo thành tích chưa có xác nhận của cấp trình"
    assert body["returned_at"] is not None
    # The whole dossier's line first, then one line per nominee (two lines for Minh merged).
    assert body["return_requests"] == [
        {"nomination_id": None, "nominee_name": None, "document_types": [],
         "papers": ["Biên bản họp Hội đồng TĐKT cơ sở có chữ ký của chủ trì"], "note": None},
        {"nomination_id": first.id, "nominee_name": "Lò Văn Minh",
         "document_types": ["bao_cao_thanh_tich"],
         "papers": ["Báo cáo thành tích", "Bản sao quyết định công nhận sáng kiến"],
         "note": "Có xác nhận của thủ trưởng đơn vị"},
        {"nomination_id": second.id, "nominee_name": "Cầm Thị Hoa", "document_types": [],
         "papers": ["Minh chứng sáng kiến năm 2025"], "note": None},
    ]  # fmt: skip
    listed = await client.get(f"{API}/dossiers?status=returned", headers=owner)
    assert listed.json()["items"][0]["return_reason"] == body["return_reason"]


async def test_the_returned_event_carries_the_requests_by_nomination_not_by_name(
    app, client, session
):
    dossier, admin, owner = await _submitted(app, session)
    start = (await client.get(f"{API}/events?after=head", headers=owner)).json()["next_after"]

    await client.post(f"{API}/dossiers/{dossier.id}/return", json=_return_body(dossier),
                      headers=admin)  # fmt: skip
    feed = (await client.get(f"{API}/events?after={start}", headers=owner)).json()

    event = next(e for e in feed["items"] if e["type"] == "dossier.returned")
    assert event["data"]["reason"] == "Báo cáo thành tích chưa có xác nhận của cấp trình"
    first, second = (n.id for n in dossier.nominations)
    assert [line["nomination_id"] for line in event["data"]["requests"]] == [None, first, second]
    assert "Lò Văn Minh" not in str(event) and "Cầm Thị Hoa" not in str(event)


async def test_a_request_for_another_dossiers_nominee_is_refused(app, client, session):
    dossier, admin, _ = await _submitted(app, session)
    other = await make_dossier(session, await make_unit(session, name="Sở Y tế"), None)
    await session.commit()
    stranger = other.nominations[0].id
    body = {"reason": "Thiếu", "requests": [{"nomination_id": stranger, "papers": ["Tờ trình"]}]}

    response = await client.post(f"{API}/dossiers/{dossier.id}/return", json=body, headers=admin)

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_nomination"
    assert response.json()["nomination_id"] == stranger
    still = await client.get(f"{API}/dossiers/{dossier.id}", headers=admin)
    assert still.json()["status"] == "submitted" and still.json()["return_requests"] == []


async def test_an_unknown_paper_type_or_an_empty_request_is_refused(app, client, session):
    dossier, admin, _ = await _submitted(app, session)
    nid = dossier.nominations[0].id

    unknown = await client.post(
        f"{API}/dossiers/{dossier.id}/return", headers=admin,
        json={"reason": "Thiếu", "requests": [{"nomination_id": nid,
                                                "document_types": ["giay_khen"]}]},
    )  # fmt: skip
    empty = await client.post(
        f"{API}/dossiers/{dossier.id}/return", headers=admin,
        json={"reason": "Thiếu", "requests": [{"nomination_id": nid}]},
    )  # fmt: skip

    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_document_type"
    assert unknown.json()["unknown"] == ["giay_khen"]
    assert empty.status_code == 422
    assert empty.headers["content-type"] == "application/problem+json"


async def test_the_công_văn_lists_the_papers_per_nominee_and_the_deadline(app, client, session):
    dossier, admin, owner = await _submitted(app, session)
    due = (today() + timedelta(days=12)).isoformat()
    await client.post(f"{API}/dossiers/{dossier.id}/return", json=_return_body(dossier, due),
                      headers=admin)  # fmt: skip

    response = await client.get(
        f"{API}/dossiers/{dossier.id}/documents/cong-van-tra-ho-so?on=2026-03-09", headers=owner
    )

    assert response.status_code == 200, response.text
    assert "C%C3%B4ng%20v%C4%83n%20tr%E1%BA%A3" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in ("UBND TỈNH SƠN LA", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "/SNV-TĐKT", "V/v trả hồ sơ đề nghị khen thưởng",
                     "Sơn La, ngày 09 tháng 3 năm 2026", "Kính gửi: Sở Tư pháp",
                     f"hồ sơ {dossier.code}", "02 cá nhân",
                     "Lý do: Báo cáo thành tích chưa có xác nhận của cấp trình.",
                     f"trước {vn_date(today() + timedelta(days=12))}", "Nơi nhận:",
                     "GIÁM ĐỐC"):  # fmt: skip
        assert expected in text, expected
    table = document.tables[-2]  # the last is the signature block
    assert header_rows_repeat(table)
    rows = table_rows(table)
    assert rows[0] == ["STT", "Cá nhân / tập thể", "Giấy tờ, nội dung cần bổ sung", "Ghi chú"]
    assert [row[1] for row in rows[1:]] == ["Chung cho cả hồ sơ", "Lò Văn Minh", "Cầm Thị Hoa"]
    minh = rows[2]
    assert minh[2].splitlines() == ["- Báo cáo thành tích",
                                    "- Bản sao quyết định công nhận sáng kiến"]  # fmt: skip
    assert minh[3] == "Có xác nhận của thủ trưởng đơn vị"
    section = document.sections[0]
    assert round(section.left_margin / 36000) == 30
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Times New Roman"


async def test_without_a_date_the_công_văn_is_dated_the_day_of_the_return(app, client, session):
    dossier, admin, _ = await _submitted(app, session)
    await client.post(f"{API}/dossiers/{dossier.id}/return", json={"reason": "Thiếu chữ ký"},
                      headers=admin)  # fmt: skip

    response = await client.get(
        f"{API}/dossiers/{dossier.id}/documents/cong-van-tra-ho-so", headers=admin
    )

    text = all_text(Document(io.BytesIO(response.content)))
    assert f"Sơn La, {vn_date(today())}" in text
    # Without structured requests the list still tells the unit what to do.
    assert "Hoàn thiện hồ sơ theo lý do nêu trên" in text
    assert "Lý do: Thiếu chữ ký." in text


async def test_a_dossier_never_returned_has_no_công_văn(app, client, session):
    dossier, admin, _ = await _submitted(app, session)

    response = await client.get(
        f"{API}/dossiers/{dossier.id}/documents/cong-van-tra-ho-so", headers=admin
    )

    assert response.status_code == 409
    assert response.json()["code"] == "dossier_not_returned"
    assert "chưa bị trả lại" in response.json()["detail"]


async def test_another_unit_does_not_find_the_công_văn(app, client, session):
    dossier, admin, _ = await _submitted(app, session)
    await client.post(f"{API}/dossiers/{dossier.id}/return", json={"reason": "Thiếu"},
                      headers=admin)  # fmt: skip
    other = await make_unit(session, name="Sở Y tế")
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)

    response = await client.get(
        f"{API}/dossiers/{dossier.id}/documents/cong-van-tra-ho-so", headers=stranger
    )

    assert response.status_code == 404
