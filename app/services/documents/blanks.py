"""The shipped templates, one builder each, in the layout of `layout` (NĐ 30/2020).

``python -m app.services.documents.blanks`` writes them to `templates/`. A builder writes
only wording that every such paper carries and the placeholders of its context (listed with a
sample in `catalogue`); what changes from one paper to the next comes from the context.
"""

from collections.abc import Callable

from app.services.documents import layout
from app.services.documents.layout import Column, para


def _list_heading(document, title: str, subtitle: str = "{{ list_subtitle }}") -> None:
    para(document, title, size=14, bold=True)
    para(document, subtitle, size=14, italic=True)
    width = layout.text_width_cm(document.sections[-1])
    layout.rule(document, left_cm=width / 2 - 2, right_cm=width / 2 - 2, after=10)


NOMINEE_COLUMNS = (
    Column("STT", 1.3, "{{ row.no }}", "center"),
    Column("Họ và tên / Tên tập thể", 5.4, "{{ row.name }}"),
    Column("Chức vụ, đơn vị công tác", 6.0, "{{ row.position_unit }}"),
    Column("Tóm tắt thành tích", 8.5, "{{ row.summary }}", "justify"),
    Column("Ghi chú", 4.0, "{{ row.note }}"),
)


def unit_submission() -> object:
    """Tờ trình đề nghị khen thưởng of a unit, and its danh sách kèm theo (landscape)."""
    document = layout.new_document()
    layout.heading_block(document)
    layout.title_block(document, "TỜ TRÌNH")
    layout.addressee(document)
    layout.body_paragraphs(document)
    layout.signature_block(document)
    layout.landscape_section(document)
    _list_heading(document, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")
    layout.data_table(document, NOMINEE_COLUMNS, rows="group.rows", group_loop="groups")
    para(document, "Tổng số: {{ total }} đề nghị.", size=13, align="left", before=6)
    return document


def _two_signatures(document, left: tuple[str, str], right: tuple[str, str]) -> None:
    """Two signers side by side (thư ký | chủ trì), each with a title and a name."""
    para(document, size=8, after=6)
    table = document.add_table(rows=1, cols=2)
    layout._no_borders(table)
    width = layout.text_width_cm(document.sections[-1])
    layout._fixed_widths(table, (width / 2, width / 2))
    for cell, (title, name) in zip(table.rows[0].cells, (left, right), strict=True):
        layout._first(cell, title, size=14, bold=True)
        para(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True)
        for _ in range(3):
            para(cell, size=14)
        para(cell, name, size=14, bold=True)


def _section_heading(document, text: str) -> None:
    para(document, text, size=14, bold=True, align="left", before=6, after=4, keep_next=True)


def _field_lines(document, loop: str) -> None:
    """'Label: value' lines, each a justified paragraph."""
    para(document, f"{{%p for line in {loop} %}}")
    para(document, "{{ line }}", align="justify", indent_cm=1.27, after=3)
    para(document, "{%p endfor %}")


ATTENDANCE_COLUMNS = (
    Column("STT", 1.2, "{{ row.no }}", "center"),
    Column("Họ và tên", 3.9, "{{ row.name }}"),
    Column("Chức vụ", 4.2, "{{ row.position }}"),
    Column("Chức danh trong Hội đồng", 2.8, "{{ row.council_role }}", "center"),
    # Wide enough for "Vắng mặt (Đi công tác)" on one line.
    Column("Dự họp", 4.4, "{{ row.attendance }}", "center"),
)
RESULT_COLUMNS = (
    Column("STT", 1.2, "{{ row.no }}", "center"),
    Column("Cá nhân / tập thể, đơn vị", 5.1, "{{ row.name }}"),
    Column("Tán thành", 1.7, "{{ row.approve }}", "center"),
    Column("Không tán thành", 1.8, "{{ row.reject }}", "center"),
    Column("Không biểu quyết", 1.8, "{{ row.abstain }}", "center"),
    Column("Tỷ lệ tán thành / ngưỡng", 2.6, "{{ row.share }}", "center"),
    Column("Kết quả", 2.3, "{{ row.result }}", "center"),  # "Không đạt" on one line
)


def council_minutes() -> object:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh."""
    document = layout.new_document()
    layout.heading_block(document)
    layout.title_block(document, "BIÊN BẢN")
    _field_lines(document, "opening")
    _section_heading(document, "I. THÀNH PHẦN DỰ HỌP")
    layout.data_table(document, ATTENDANCE_COLUMNS, rows="attendance", size=12)
    para(document, "{{ attendance_summary }}", align="justify", indent_cm=1.27, before=6, after=6)
    _section_heading(document, "II. NỘI DUNG")
    layout.body_paragraphs(document, "agenda_text")
    _section_heading(document, "III. KẾT QUẢ BIỂU QUYẾT")
    layout.data_table(document, RESULT_COLUMNS, rows="group.rows", group_loop="groups", size=12)
    para(document, "{{ result_summary }}", align="justify", indent_cm=1.27, before=6, after=6)
    layout.body_paragraphs(document, "closing")
    _two_signatures(document, ("THƯ KÝ HỘI ĐỒNG", "{{ secretary }}"),
                    ("CHỦ TỊCH HỘI ĐỒNG", "{{ chair }}"))  # fmt: skip
    return document


def tally_minutes() -> object:
    """Biên bản kiểm phiếu of the council's secret ballot."""
    document = layout.new_document()
    layout.heading_block(document)
    layout.title_block(document, "BIÊN BẢN KIỂM PHIẾU")
    _field_lines(document, "opening")
    _section_heading(document, "I. SỐ PHIẾU")
    _field_lines(document, "ballot_counts")
    _section_heading(document, "II. KẾT QUẢ KIỂM PHIẾU")
    layout.data_table(document, RESULT_COLUMNS, rows="group.rows", group_loop="groups", size=12)
    para(document, "{{ result_summary }}", align="justify", indent_cm=1.27, before=6, after=6)
    layout.body_paragraphs(document, "closing")
    _two_signatures(document, ("THÀNH VIÊN BAN KIỂM PHIẾU", ""),
                    ("TRƯỞNG BAN KIỂM PHIẾU", ""))  # fmt: skip
    return document


BALLOT_COLUMNS = (
    Column("STT", 1.3, "{{ row.no }}", "center"),
    Column("Cá nhân / tập thể", 5.5, "{{ row.name }}"),
    Column("Đơn vị", 4.7, "{{ row.unit }}"),
    Column("Tán thành", 2.5, "", "center"),
    Column("Không tán thành", 2.5, "", "center"),
)


def ballot_paper() -> object:
    """Phiếu bầu: the blank ballot of a meeting for members who vote on paper; no name."""
    document = layout.new_document()
    layout.heading_block(document, numbered=False)
    layout.title_block(document, "PHIẾU BẦU")
    layout.body_paragraphs(document, "instructions")
    layout.data_table(document, BALLOT_COLUMNS, rows="group.rows", group_loop="groups", size=13,
                      row_height_cm=0.9)  # fmt: skip
    para(document, "{{ footnote }}", size=12, italic=True, align="left", before=8)
    return document


RANKING_COLUMNS = (
    Column("Xếp hạng", 1.8, "{{ row.rank }}", "center"),
    Column("Đơn vị", 7.4, "{{ row.unit }}"),
    Column("Tự chấm", 2.3, "{{ row.self_total }}", "center"),
    Column("Tổng điểm", 2.3, "{{ row.total }}", "center"),
    Column("Ghi chú", 2.7, "{{ row.note }}"),
)
SCORE_COLUMNS = (
    Column("Mã", 1.3, "{{ row.code }}", "center"),
    Column("Tiêu chí", 6.5, "{{ row.name }}", "justify"),
    Column("Điểm tối đa", 1.9, "{{ row.max_points }}", "center"),
    Column("Tự chấm", 1.9, "{{ row.points }}", "center"),
    Column("Thẩm tra", 1.9, "{{ row.verified }}", "center"),
    Column("Lý do điều chỉnh", 3.0, "{{ row.reason }}"),
)


def score_summary() -> object:
    """Bảng tổng hợp điểm thi đua of a cụm, khối: the ranking, then each unit's points per
    criterion (self-scored and after verification), signed by the cluster head."""
    document = layout.new_document()
    layout.heading_block(document)
    layout.title_block(document, "BẢNG TỔNG HỢP ĐIỂM THI ĐUA")
    layout.body_paragraphs(document, "intro")
    _section_heading(document, "I. KẾT QUẢ XẾP HẠNG")
    layout.data_table(document, RANKING_COLUMNS, rows="ranking", size=12)
    _section_heading(document, "II. ĐIỂM TỪNG TIÊU CHÍ CỦA CÁC ĐƠN VỊ")
    layout.data_table(document, SCORE_COLUMNS, rows="group.rows", group_loop="units", size=12)
    layout.body_paragraphs(document, "closing")
    layout.signature_block(document)
    return document


REQUEST_COLUMNS = (
    Column("STT", 1.2, "{{ row.no }}", "center"),
    Column("Cá nhân / tập thể", 4.4, "{{ row.name }}"),
    Column("Giấy tờ, nội dung cần bổ sung", 6.4, "{{ row.papers }}"),
    Column("Ghi chú", 4.5, "{{ row.note }}"),
)


def return_letter() -> object:
    """Công văn trả hồ sơ, phiếu yêu cầu bổ sung: Sở Nội vụ returns a dossier to its unit with
    the reason and, per nominee, the papers to add by a deadline. A công văn has no title; its
    trích yếu (V/v …) sits under the số/ký hiệu."""
    document = layout.new_document()
    layout.heading_block(document, excerpt=True)
    para(document, size=8, after=4)
    layout.addressee(document)
    layout.body_paragraphs(document)
    layout.data_table(document, REQUEST_COLUMNS, rows="requests", size=12)
    para(document, size=8, after=4)
    layout.body_paragraphs(document, "closing")
    layout.signature_block(document)
    return document


PRIZE_COLUMNS = (
    Column("STT", 1.2, "{{ row.no }}", "center"),
    Column("Họ và tên / Tên tập thể", 5.2, "{{ row.name }}"),
    Column("Đơn vị", 4.3, "{{ row.unit }}"),
    Column("Hệ số", 1.6, "{{ row.factor }}", "center"),
    Column("Tiền thưởng (đồng)", 4.2, "{{ row.amount }}", "right"),
)


def decision_draft() -> object:
    """Dự thảo Quyết định khen thưởng of the Chủ tịch UBND tỉnh (NĐ 30/2020, quyết định cá
    biệt): căn cứ, the articles, the signature; then the danh sách kèm theo with each one's
    tiền thưởng and the total."""
    document = layout.new_document()
    layout.heading_block(document)
    layout.title_block(document, "QUYẾT ĐỊNH")
    para(document, "{{ authority }}", size=14, bold=True, after=8)
    para(document, "{%p for text in grounds %}")
    para(document, "{{ text }}", align="justify", indent_cm=1.27, after=4, italic=True)
    para(document, "{%p endfor %}")
    para(document, "QUYẾT ĐỊNH:", size=14, bold=True, before=6, after=8)
    layout.body_paragraphs(document, "articles")
    layout.signature_block(document)
    layout.page_break(document)
    _list_heading(document, "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG")
    total = ("", "Tổng cộng: {{ total }}", "", "", "{{ total_amount }}")
    layout.data_table(document, PRIZE_COLUMNS, rows="group.rows", group_loop="groups",
                      total_row=total)  # fmt: skip
    para(document, "{%p for text in notes %}", size=13)
    para(document, "{{ text }}", size=13, italic=True, align="justify", before=6)
    para(document, "{%p endfor %}", size=13)
    return document


TITLE_COLUMNS = (
    Column("Năm", 1.6, "{{ row.year }}", "center"),
    Column("Danh hiệu thi đua, hình thức khen thưởng, xếp loại", 8.4, "{{ row.title }}"),
    Column("Số, ngày quyết định", 6.5, "{{ row.decision }}"),
)


def achievement_report() -> object:
    """Báo cáo thành tích (cá nhân or tập thể): sơ lược lý lịch, thành tích đạt được, sáng
    kiến, the titles and awards already received; signed by the reporter and confirmed by
    the head of the unit. Pre-filled from tdkt's data, completed in Word."""
    document = layout.new_document()
    layout.heading_block(document, numbered=False)
    layout.title_block(document, "{{ kind_title }}")
    _section_heading(document, "I. SƠ LƯỢC LÝ LỊCH")
    _field_lines(document, "profile")
    _section_heading(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
    layout.body_paragraphs(document, "work")
    _section_heading(document, "III. SÁNG KIẾN, ĐỀ TÀI ĐÃ ĐƯỢC CÔNG NHẬN")
    _field_lines(document, "initiatives")
    _section_heading(document, "IV. DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG ĐÃ ĐẠT")
    # Rows tall enough to write in by hand where tdkt has nothing recorded.
    layout.data_table(document, TITLE_COLUMNS, rows="titles", size=12, row_height_cm=0.8)
    _two_signatures(document, ("{{ left_signer }}", ""), ("{{ right_signer }}", "{{ reporter }}"))
    return document


DISCLOSED_COLUMNS = (
    Column("STT", 1.3, "{{ row.no }}", "center"),
    Column("Họ và tên / Tên tập thể", 5.0, "{{ row.name }}"),
    Column("Chức vụ, đơn vị công tác", 8.0, "{{ row.position_unit }}"),
    Column("Ghi chú", 2.2, "{{ row.note }}"),
)


def disclosure_list() -> object:
    """Thông báo công khai of Sở Nội vụ with the danh sách công khai attached: the period of
    disclosure, the comment deadline and where to send opinions, then the nominations grouped
    by award type (Huân chương, danh hiệu vinh dự, and whatever else was published)."""
    document = layout.new_document()
    layout.heading_block(document)
    layout.title_block(document, "THÔNG BÁO")
    layout.body_paragraphs(document)
    _field_lines(document, "terms")
    layout.body_paragraphs(document, "closing")
    layout.signature_block(document)
    layout.page_break(document)
    _list_heading(document, "{{ list_title }}")
    layout.data_table(document, DISCLOSED_COLUMNS, rows="group.rows", group_loop="groups")
    para(document, "Tổng số: {{ total }} trường hợp.", size=13, align="left", before=6)
    para(document, "{{ period }}", size=13, italic=True, align="justify", before=6)
    para(document, "{{ feedback }}", size=13, italic=True, align="justify", before=3)
    return document


BUILDERS: dict[str, Callable[[], object]] = {
    "to-trinh-don-vi": unit_submission,
    "to-trinh-so-noi-vu": unit_submission,
    "bien-ban-hop-hoi-dong": council_minutes,
    "bien-ban-kiem-phieu": tally_minutes,
    "phieu-bau": ballot_paper,
    "bang-tong-hop-diem": score_summary,
    "cong-van-tra-ho-so": return_letter,
    "du-thao-quyet-dinh": decision_draft,
    "bao-cao-thanh-tich-ca-nhan": achievement_report,
    "bao-cao-thanh-tich-tap-the": achievement_report,
    "danh-sach-cong-khai": disclosure_list,
}


def write_all() -> None:
    layout.TEMPLATES_DIR.mkdir(exist_ok=True)
    for name, build in BUILDERS.items():
        document = build()
        document.core_properties.author = "Sở Nội vụ tỉnh Sơn La"
        document.save(layout.TEMPLATES_DIR / f"{name}.docx")


if __name__ == "__main__":
    write_all()
