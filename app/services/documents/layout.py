"""The blank templates, built in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I, thể thức văn
bản hành chính): A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman; the
issuing body and the Quốc hiệu/Tiêu ngữ side by side, each with its short rule under it; the
số/ký hiệu and the place and date line; the title; the body at 14 pt, justified, first line
indented; "Nơi nhận" (12 pt bold italic, items 11 pt) beside the signature block; page numbers
at the top centre from page 2; tables whose header row repeats on every page.

These functions write the `.docx` files shipped in `templates/` (``python -m
app.services.documents.layout``); the service renders those files (or the versions Sở Nội vụ
uploaded) with docxtpl. Placeholders are Jinja: ``{{ number }}``, ``{%p for … %}`` repeats a
paragraph, ``{%tr for … %}`` a table row.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"
BODY_PT = 14
A4 = (Cm(21), Cm(29.7))
TEMPLATES_DIR = Path(__file__).with_name("templates")
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# ---- low-level helpers -----------------------------------------------------------------------


def _fonts(element, name: str = FONT) -> None:
    """Times New Roman for every script slot, so Vietnamese text never falls back."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _run(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = FONT
    _fonts(run._r)
    run.bold, run.italic = bold or None, italic or None
    return run


def _spacing(paragraph, *, before: float = 0, after: float = 0, line: float | None = None):
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if line is not None:
        fmt.line_spacing = line


def para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    indent_cm: float | None = None,
    keep_next=False,
):
    """One paragraph of one run; `align` is left, center, right or justify."""
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    _spacing(paragraph, before=before, after=after, line=1.0)
    if indent_cm is not None:
        paragraph.paragraph_format.first_line_indent = Cm(indent_cm)
    if keep_next:
        paragraph.paragraph_format.keep_with_next = True
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def rule(container, *, left_cm: float, right_cm: float, after: float = 2) -> None:
    """The short horizontal line under the issuing body, the motto or the title: a bottom
    border on an empty paragraph, shortened by its indents."""
    paragraph = para(container, after=after, size=4)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Cm(left_cm), Cm(right_cm)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)
    # A 4 pt empty line, so the rule sits right under the text.
    mark = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "8")
    rpr.append(size)
    mark.append(rpr)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tblpr.append(borders)


def _fixed_widths(table, widths_cm: Sequence[float]) -> None:
    """Real column widths: a fixed layout, the grid and every cell set."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _clear(cell):
    """A new cell holds one empty paragraph; give it back for the first line of text."""
    return cell.paragraphs[0]


def _first(cell, text: str = "", **kw):
    paragraph = _clear(cell)
    paragraph.alignment = ALIGN[kw.pop("align", "center")]
    _spacing(paragraph, line=1.0)
    if text:
        _run(paragraph, text, **kw)
    return paragraph


def repeat_header(row) -> None:
    """Mark a table row as a header row: Word and LibreOffice repeat it on every page."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.append(cant_split)


def _page_number_header(section) -> None:
    """Page numbers at the top centre (Arabic, 14 pt), not on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(paragraph, "")
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    section.first_page_header.is_linked_to_previous = False


def _a4(section, *, landscape: bool = False) -> None:
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance, section.footer_distance = Cm(1), Cm(1)


def text_width_cm(section) -> float:
    return round((section.page_width - section.left_margin - section.right_margin) / 360000, 2)


def new_document():
    """An empty A4 portrait document: Times New Roman 14 pt, NĐ 30 margins, page numbers."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Table Grid",):
        _fonts(document.styles[name].element)
    section = document.sections[0]
    _a4(section)
    _page_number_header(section)
    body = document.element.body
    # The default document opens with no paragraph; nothing to remove.
    assert len(body) == 1  # only sectPr
    return document


# ---- the blocks of an official paper ---------------------------------------------------------


def heading_block(
    document, *, left_width_cm: float = 7.0, excerpt: bool = False, numbered: bool = True
) -> None:
    """Issuing body | Quốc hiệu, Tiêu ngữ; then Số/ký hiệu | place and date (and, for a công
    văn, the trích yếu under the number)."""
    total = text_width_cm(document.sections[-1])
    right = total - left_width_cm
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _fixed_widths(table, (left_width_cm, right))
    issuer, motto = table.rows[0].cells
    _first(issuer, "{{ issuer_parent }}", size=13)
    para(issuer, "{{ issuer }}", size=13, bold=True)
    rule(issuer, left_cm=left_width_cm / 2 - 1.1, right_cm=left_width_cm / 2 - 1.1)
    _first(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    para(motto, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    rule(motto, left_cm=right / 2 - 3.05, right_cm=right / 2 - 3.05)
    number, place = table.rows[1].cells
    _first(number, "Số: {{ number }}" if numbered else "", size=13)
    if excerpt:
        para(number, "{{ excerpt }}", size=12, before=2)
    _first(place, "{{ place_date }}", size=14, italic=True)
    para(document, after=6, size=8)


def title_block(document, title: str, subject: str | None = "{{ subject }}") -> None:
    para(document, title, size=14, bold=True, before=6)
    if subject:
        para(document, subject, size=14, bold=True)
    width = text_width_cm(document.sections[-1])
    rule(document, left_cm=width / 2 - 1.5, right_cm=width / 2 - 1.5, after=8)


def addressee(document) -> None:
    para(document, "Kính gửi: {{ addressee }}", size=14, after=8)


def body_paragraphs(document, loop: str = "body") -> None:
    """One justified 14 pt paragraph, first line indented 1.27 cm, repeated for each text."""
    para(document, f"{{%p for text in {loop} %}}", size=14)
    para(document, "{{ text }}", align="justify", indent_cm=1.27, after=6)
    para(document, "{%p endfor %}", size=14)


def signature_block(document, *, recipients: bool = True) -> None:
    """Nơi nhận (left) and quyền hạn, chức vụ, họ tên of the signer (right)."""
    para(document, size=8, after=6)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    total = text_width_cm(document.sections[-1])
    _fixed_widths(table, (total * 0.48, total * 0.52))
    left, right = table.rows[0].cells
    if recipients:
        _first(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
        para(left, "{%p for item in recipients %}", size=11, align="left")
        para(left, "- {{ item }}", size=11, align="left")
        para(left, "{%p endfor %}", size=11, align="left")
    _first(right, "{{ sign_authority }}", size=14, bold=True)
    # The signer's own office, under the quyền hạn (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH): no empty
    # line when the head signs in their own name.
    para(right, "{%p if sign_title %}", size=14)
    para(right, "{{ sign_title }}", size=14, bold=True)
    para(right, "{%p endif %}", size=14)
    para(right, "{{ sign_note }}", size=14, italic=True)
    for _ in range(3):
        para(right, size=14)
    para(right, "{{ signer_name }}", size=14, bold=True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


@dataclass(frozen=True)
class Column:
    header: str
    width_cm: float
    cell: str  # the placeholder printed in the data row
    align: str = "left"


def data_table(
    document,
    columns: Sequence[Column],
    *,
    rows: str,
    group_loop: str | None = None,
    group_title: str | None = None,
    total_row: Iterable[str] | None = None,
    size: float = 12,
    row_height_cm: float | None = None,
) -> None:
    """A bordered table with real widths, its header row repeated on every page, and a row
    per item of `rows` (docxtpl `{%tr for %}`); with `group_loop`, a full-width title row per
    group before its rows (e.g. one per award type)."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat_header(header)
    for cell, column in zip(header.cells, columns, strict=True):
        _first(cell, column.header, size=size, bold=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def control(text: str) -> None:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _first(merged, text, size=size)

    if group_loop:
        control(f"{{%tr for group in {group_loop} %}}")
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _first(merged, group_title or "{{ group.title }}", size=size, bold=True, align="left")
    control(f"{{%tr for row in {rows} %}}")
    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if row_height_cm:
        row.height, row.height_rule = Cm(row_height_cm), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, column in zip(row.cells, columns, strict=True):
        _first(cell, column.cell, size=size, align=column.align)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    control("{%tr endfor %}")
    if group_loop:
        control("{%tr endfor %}")
    if total_row is not None:
        row = table.add_row()
        for cell, text, column in zip(row.cells, total_row, columns, strict=True):
            # A total lines up with the figures above it.
            align = "right" if column.align == "right" else "center"
            _first(cell, text, size=size, bold=True, align=align)
    _fixed_widths(table, [c.width_cm for c in columns])


def landscape_section(document):
    """A new page in A4 landscape (a wide list attached to the paper), numbered on."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _a4(section, landscape=True)
    section.different_first_page_header_footer = False
    return section


def page_break(document) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
