"""Every shipped template is in the State's format (NĐ 30/2020/NĐ-CP): A4, the margins, Times
New Roman at 13-14 pt, page numbers from page 2, header rows repeated; and every template
fills from its sample with no placeholder left over."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from app.services.documents import catalogue, render
from tests.documents.docx_reading import all_text, header_rows_repeat

NAMES = sorted(catalogue.SPECS)


def _mm(length: int) -> float:
    return round(length / 36000, 1)  # EMU to millimetres (Word stores twips)


def _filled(name: str):
    spec = catalogue.SPECS[name]
    return Document(io.BytesIO(render.render_docx(spec.shipped(), spec.sample)))


@pytest.mark.parametrize("name", NAMES)
def test_pages_are_a4_with_the_decrees_margins(name):
    for section in _filled(name).sections:
        short, long_ = sorted((section.page_width, section.page_height))
        assert (round(short / 36000), round(long_ / 36000)) == (210, 297)  # mm
        assert 20 <= _mm(section.top_margin) <= 25
        assert 20 <= _mm(section.bottom_margin) <= 25
        assert 30 <= _mm(section.left_margin) <= 35
        assert 15 <= _mm(section.right_margin) <= 20


@pytest.mark.parametrize("name", NAMES)
def test_text_is_times_new_roman_with_the_body_at_13_to_14_pt(name):
    document = _filled(name)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"
    body = [p for p in document.paragraphs if p.text.strip() and p.runs]
    sizes = {run.font.size.pt for p in body for run in p.runs if run.font.size}
    assert sizes and all(11 <= size <= 14 for size in sizes)
    for p in body:
        assert all(run.font.name in (None, "Times New Roman") for run in p.runs)


@pytest.mark.parametrize("name", NAMES)
def test_page_numbers_start_on_page_two(name):
    section = _filled(name).sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


@pytest.mark.parametrize("name", NAMES)
def test_bordered_tables_repeat_their_header_row_and_have_real_widths(name):
    document = _filled(name)
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert grids
    for table in grids:
        assert header_rows_repeat(table)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = [column.width for column in table.columns]
        assert len(set(widths)) > 1  # not columns of equal width


@pytest.mark.parametrize("name", NAMES)
def test_the_heading_carries_the_national_motto(name):
    text = all_text(_filled(name))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("name", NAMES)
def test_a_template_reads_only_names_its_sample_gives(name):
    spec = catalogue.SPECS[name]
    assert render.placeholders(spec.shipped()) <= set(spec.sample)
