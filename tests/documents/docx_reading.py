"""Reading a Word document the way a person reads it: the text in order (body, tables,
headers), the rows of a table, and the properties of the layout."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from app.services.documents import render


def all_text(document) -> str:
    """Every paragraph of the body and of its tables, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in _unique_cells(row):
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _unique_cells(row):
    seen = []
    for cell in row.cells:  # a merged cell is listed once per grid column
        if all(cell._tc is not other._tc for other in seen):
            seen.append(cell)
    return seen


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in _unique_cells(row)] for row in table.rows]


def header_rows_repeat(table) -> bool:
    """The first row is marked as a header row (w:tblHeader): repeated on every page."""
    trpr = table.rows[0]._tr.trPr
    return trpr is not None and trpr.find(qn("w:tblHeader")) is not None


def needs_libreoffice() -> None:
    """Skip a test that prints through LibreOffice on a machine without it."""
    if render.soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils not installed")


def needs_calc() -> None:
    """Skip a test that prints a workbook where LibreOffice has no Calc (CI installs it)."""
    needs_libreoffice()
    program = Path(render.soffice() or "").resolve().parent
    if not any(program.glob("libsclo.so*")) and not os.environ.get("TDKT_REQUIRE_LIBREOFFICE"):
        pytest.skip("LibreOffice Calc not installed")


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page of a PDF (pdftotext splits pages with a form feed)."""
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def pdf_lines(pdf: bytes, tmp_path) -> list[str]:
    """The printed lines of a PDF as laid out (a table's cells side by side on one line)."""
    path = tmp_path / "lines.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The text of a PDF as pdftotext reads it, whitespace folded to single spaces."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout  # fmt: skip
    return " ".join(text.split())
