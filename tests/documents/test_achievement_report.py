"""The báo cáo thành tích a unit completes for each nominee, pre-filled with what tdkt knows:
unit, position, the account given in the nomination, initiatives, ratings and awards."""

import io

from docx import Document

from app.models import Collective, YearlyRating
from app.models.nominees import Initiative, InitiativeAuthor
from app.services.dossiers.rules import nominee_key
from tests.documents.docx_reading import all_text, header_rows_repeat, table_rows
from tests.factories import make_unit, signed_in
from tests.factories_council import API
from tests.factories_dossiers import load_catalogue, make_dossier, make_history, make_round


async def _nominees(session):
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    unit = await make_unit(session, name="Sở Tư pháp")
    dossier = await make_dossier(session, unit, round_, status="submitted", nominations=2)
    person, team = dossier.nominations
    person.nominee_name, person.nominee_key = "Lò Văn Minh", nominee_key("Lò Văn Minh")
    person.position, person.birth_year = "Phó Chánh Văn phòng", 1982
    person.award_type_code = "chien_si_thi_dua_cap_tinh"
    person.achievement_summary = "Chủ trì xây dựng 05 văn bản quy phạm pháp luật."
    team.nominee_kind, team.nominee_name = "collective", "Phòng Hành chính tư pháp"
    team.nominee_key, team.position, team.birth_year = nominee_key(team.nominee_name), None, None
    team.award_type_code = "tap_the_lao_dong_xuat_sac"
    session.add(YearlyRating(nominee_kind="individual", nominee_name="Lò Văn Minh",
                             nominee_key=nominee_key("Lò Văn Minh"), unit_id=unit.id, year=2025,
                             rating="htxs", decision_no="15/QĐ-STP"))  # fmt: skip
    await make_history(session, "Lò Văn Minh", unit.id, year=2024, decision_no="25/QĐ-STP")
    initiative = Initiative(title="Số hóa hồ sơ lý lịch tư pháp", unit_id=unit.id,
                            scope="provincial", year=2025, recognised_by="Hội đồng sáng kiến tỉnh",
                            decision_no="12/QĐ-HĐSK")  # fmt: skip
    session.add(initiative)
    await session.flush()
    session.add(InitiativeAuthor(initiative_id=initiative.id, position=1, name="Lò Văn Minh",
                                 name_key=nominee_key("Lò Văn Minh")))  # fmt: skip
    await session.commit()
    return unit, dossier, person, team


def _url(dossier, nomination):
    return f"{API}/dossiers/{dossier.id}/nominations/{nomination.id}/documents/bao-cao-thanh-tich"


async def test_a_persons_report_is_pre_filled_with_what_tdkt_knows(app, client, session):
    unit, dossier, person, _ = await _nominees(session)
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)

    response = await client.get(_url(dossier, person), headers=owner)

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    for expected in ("SỞ TƯ PHÁP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO THÀNH TÍCH",
                     "ĐỀ NGHỊ TẶNG CHIẾN SĨ THI ĐUA CẤP TỈNH", "Họ và tên: Lò Văn Minh",
                     "Năm sinh: 1982", "Chức vụ: Phó Chánh Văn phòng",
                     "Đơn vị công tác: Sở Tư pháp",
                     "Chủ trì xây dựng 05 văn bản quy phạm pháp luật.",
                     "- Số hóa hồ sơ lý lịch tư pháp (2025, Hội đồng sáng kiến tỉnh, 12/QĐ-HĐSK)",
                     "NGƯỜI BÁO CÁO THÀNH TÍCH"):  # fmt: skip
        assert expected in text, expected
    table = document.tables[-2]  # the last is the two signatures
    assert header_rows_repeat(table)
    rows = table_rows(table)
    assert rows[0] == ["Năm", "Danh hiệu thi đua, hình thức khen thưởng, xếp loại",
                       "Số, ngày quyết định"]  # fmt: skip
    assert rows[1:] == [["2024", "Chiến sĩ thi đua cơ sở", "25/QĐ-STP"],
                        ["2025", "Hoàn thành xuất sắc nhiệm vụ", "15/QĐ-STP"]]  # fmt: skip


async def test_a_collectives_report_uses_the_collective_form(app, client, session):
    _, dossier, _, team = await _nominees(session)
    _, admin = await signed_in(app, session)

    response = await client.get(_url(dossier, team), headers=admin)

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    assert "BÁO CÁO THÀNH TÍCH CỦA TẬP THỂ" in text
    assert "Tên tập thể: Phòng Hành chính tư pháp" in text
    assert "ĐỀ NGHỊ TẶNG TẬP THỂ LAO ĐỘNG XUẤT SẮC" in text
    assert "Năm sinh" not in text and "Lò Văn Minh" not in text
    # Nothing recorded for the collective: lines and rows left to fill in by hand, and no word
    # of the software on the paper.
    assert "tdkt" not in text
    assert table_rows(document.tables[-2])[1:] == [["", "", ""]] * 3


async def test_refusals_reader_other_unit_and_a_nomination_of_another_dossier(app, client, session):
    _, dossier, person, _ = await _nominees(session)
    _, reader = await signed_in(app, session, "reader")
    other = await make_unit(session, name="Sở Y tế")
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)
    elsewhere = await make_dossier(session, other, None)
    await session.commit()
    _, admin = await signed_in(app, session)

    as_reader = await client.get(_url(dossier, person), headers=reader)
    as_stranger = await client.get(_url(dossier, person), headers=stranger)
    mismatched = await client.get(_url(elsewhere, person), headers=admin)

    assert as_reader.status_code == 403
    assert as_stranger.status_code == 404
    assert mismatched.status_code == 404
    assert mismatched.headers["content-type"] == "application/problem+json"


async def test_a_namesake_in_another_unit_lends_nothing_to_the_report(app, client, session):
    """Two people named Lò Văn Minh: the one at Sở Y tế has his own awards, rating and
    initiative, which must not appear in the report of the one at Sở Tư pháp. A history row
    imported without a unit may be either: it is printed, labelled as matched by name."""
    unit, dossier, person, _ = await _nominees(session)
    person.nominee_unit_id = unit.id
    other = await make_unit(session, name="Sở Y tế")
    await make_history(session, "Lò Văn Minh", other.id, year=2023, decision_no="99/QĐ-SYT")
    await make_history(session, "Lò Văn Minh", None, year=2022, decision_no="7/QĐ-UBND")
    session.add(YearlyRating(nominee_kind="individual", nominee_name="Lò Văn Minh",
                             nominee_key=nominee_key("Lò Văn Minh"), unit_id=other.id, year=2024,
                             rating="htxs", decision_no="88/QĐ-SYT"))  # fmt: skip
    theirs = Initiative(title="Bệnh án điện tử", unit_id=other.id, scope="provincial",
                        year=2024)  # fmt: skip
    session.add(theirs)
    await session.flush()
    session.add(InitiativeAuthor(initiative_id=theirs.id, position=1, name="Lò Văn Minh",
                                 name_key=nominee_key("Lò Văn Minh")))  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)

    response = await client.get(_url(dossier, person), headers=admin)

    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    assert "99/QĐ-SYT" not in text and "88/QĐ-SYT" not in text
    assert "Bệnh án điện tử" not in text
    assert "Số hóa hồ sơ lý lịch tư pháp" in text
    rows = table_rows(document.tables[-2])
    assert rows[1:] == [
        ["2022", "Chiến sĩ thi đua cơ sở (đối chiếu theo tên, cần kiểm tra)", "7/QĐ-UBND"],
        ["2024", "Chiến sĩ thi đua cơ sở", "25/QĐ-STP"],
        ["2025", "Hoàn thành xuất sắc nhiệm vụ", "15/QĐ-STP"],
    ]


async def make_collective(session, unit, name: str) -> Collective:
    row = Collective(unit_id=unit.id, name=name, name_key=nominee_key(name))
    session.add(row)
    await session.flush()
    return row


async def test_a_collective_is_matched_by_its_register_row_not_its_name(app, client, session):
    unit, dossier, _, team = await _nominees(session)
    mine = await make_collective(session, unit, team.nominee_name)
    elsewhere = await make_collective(session, await make_unit(session, name="Sở Y tế"),
                                      team.nominee_name)  # fmt: skip
    team.collective_id = mine.id
    for collective, number in ((mine, "5/QĐ-STP"), (elsewhere, "6/QĐ-SYT")):
        await make_history(session, team.nominee_name, collective.unit_id, year=2025,
                           nominee_kind="collective", collective_id=collective.id,
                           award_type_code="tap_the_lao_dong_xuat_sac",
                           decision_no=number)  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)

    response = await client.get(_url(dossier, team), headers=admin)

    text = all_text(Document(io.BytesIO(response.content)))
    assert "5/QĐ-STP" in text and "6/QĐ-SYT" not in text
