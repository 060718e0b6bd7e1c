"""Reading the first sheet of an Excel workbook (.xlsx) as rows of text cells.

An upload may be a zip bomb: a 100 KB file that inflates to a sheet of 100,000 rows (openpyxl
would parse all of it just to learn the sheet's size when the file names none). So before
openpyxl sees it, the first sheet is inflated as a stream and counted — rows, cells, bytes —
and refused as soon as a cap is passed, which takes milliseconds; only a file within the caps
is parsed, row by row, in read-only mode. Callers run this in a worker thread.
"""

import datetime
import io
import re
import zipfile

from openpyxl import load_workbook

from .models import PlanParseError

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 20_100  # the 20,000 rows an import takes, its header and a few lines above it
MAX_CELLS = 1_000_000
MAX_COLUMNS = 200
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
_ROOT = re.compile(rb"<(?:(\w+):)?worksheet[\s>]")
_OVERLAP = 64  # a tag cut between two chunks is seen whole in the next


class TooLarge(PlanParseError):
    """The workbook is past one of the caps; nothing of it was parsed."""

    def __init__(self, message: str) -> None:
        super().__init__("file_too_large", message)


def read_xlsx_rows(data: bytes, expected: str) -> list[list[str]]:
    """All rows of the first sheet, every cell as text ("" for an empty cell)."""
    if not data.startswith(XLSX_MAGIC):
        raise PlanParseError("unsupported_format", "Tệp không phải bảng tính .xlsx. " + expected)
    check_size(data)
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
        ragged = sheet.max_column is None
        width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=width)
        return [_texts(row, ragged) for row in rows]
    finally:
        workbook.close()


def _texts(row: tuple, ragged: bool) -> list[str]:
    cells = [_cell_text(cell) for cell in row]
    if ragged:  # a sheet without a declared size: each row as long as its last value
        while cells and cells[-1] == "":
            cells.pop()
    return cells


def check_size(data: bytes) -> None:
    """Refuse a workbook whose parts or first sheet pass the caps, reading no more than that."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > 4 * MAX_UNCOMPRESSED_BYTES:
                raise _too_large()
            sheet = _first_sheet(archive)
            if sheet is not None:
                _count(archive, sheet)
    except TooLarge:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return  # not a readable zip: openpyxl gives the usual "not a workbook" answer


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    names = sorted(
        (n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
        key=lambda n: int(re.sub(r"\D", "", n)),
    )
    return names[0] if names else None


def _count(archive: zipfile.ZipFile, name: str) -> None:
    rows = cells = size = 0
    tail = b""
    patterns: tuple[bytes, ...] = ()
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            window = tail + chunk
            if not patterns:
                patterns = _tags(window)
            row, *cell = patterns
            # bytes.count is C-fast; a tag wholly inside the carried tail was counted before.
            rows += window.count(row) - tail.count(row)
            cells += sum(window.count(c) - tail.count(c) for c in cell)
            tail = window[-_OVERLAP:]
            if rows > MAX_ROWS or cells > MAX_CELLS or size > MAX_UNCOMPRESSED_BYTES:
                raise _too_large()


def _tags(head: bytes) -> tuple[bytes, ...]:
    """The row and cell start tags, with the namespace prefix the sheet uses (if any)."""
    match = _ROOT.search(head)
    prefix = (match.group(1) + b":") if match and match.group(1) else b""
    return (b"<" + prefix + b"row", b"<" + prefix + b"c ", b"<" + prefix + b"c>")


def _too_large() -> TooLarge:
    return TooLarge(
        f"Bảng tính quá lớn: tối đa {MAX_ROWS - 100:,} dòng, {MAX_CELLS:,} ô và "
        f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB khi giải nén. "
        "Hãy chia tệp ra nhiều lần nhập."
    )


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
