"""Reading the first sheet of an Excel workbook (.xlsx) as rows of text cells."""

import datetime
import io

from openpyxl import load_workbook

from .models import PlanParseError

XLSX_MAGIC = b"PK\x03\x04"


def read_xlsx_rows(data: bytes, expected: str) -> list[list[str]]:
    """All rows of the first sheet, every cell as text ("" for an empty cell)."""
    if not data.startswith(XLSX_MAGIC):
        raise PlanParseError("unsupported_format", "Tệp không phải bảng tính .xlsx. " + expected)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl fails on a .docx or a damaged zip with many exception types; each one
        # means the same thing to the official.
        raise PlanParseError(
            "unsupported_format",
            "Không mở được tệp như một bảng tính Excel (.xlsx). " + expected,
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
    finally:
        workbook.close()


def _cell_text(cell: object) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return _date_text(value, str(getattr(cell, "number_format", "")))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date_text(value: datetime.date, number_format: str) -> str:
    # Excel turns a typed "01/2026" into 1 January 2026 shown as "mm/yyyy"; a format without
    # a day tells that the official meant a month, not a date.
    if "d" not in number_format.lower():
        return f"{value.month:02d}/{value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"
