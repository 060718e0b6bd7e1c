"""Reading a Word document the way a person reads it: the text in order (body, tables,
headers), the rows of a table, and the properties of the layout."""

from docx.oxml.ns import qn


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
