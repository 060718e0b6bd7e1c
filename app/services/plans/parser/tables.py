"""Finding the appendix table (bảng phụ lục) in a markdown document, TSV, CSV or XLSX file."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from app.core.text import fold

from .cells import clean_inline
from .models import PlanParseError
from .xlsx import XLSX_MAGIC, read_xlsx_rows

TEXT_EXTENSIONS = frozenset({"md", "markdown", "txt", "text"})
TSV_EXTENSIONS = frozenset({"tsv", "tab"})
CSV_EXTENSIONS = frozenset({"csv"})
XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})

EXPECTED = (
    "Hãy tải lên văn bản kế hoạch (.md, .txt) có bảng phụ lục phân cách bằng phím Tab, "
    "hoặc riêng bảng phụ lục dạng .tsv, .csv (UTF-8) hay .xlsx với các cột TT, NỘI DUNG, "
    "DỰ KIẾN THỜI GIAN, ĐƠN VỊ CHỦ TRÌ, ĐƠN VỊ PHỐI HỢP."
)

_COLUMNS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "tt": ("TT", lambda key: key in {"tt", "stt", "so tt", "so thu tu"}),
    "content": ("NỘI DUNG", lambda key: "noi dung" in key),
    "due": ("DỰ KIẾN THỜI GIAN", lambda key: "thoi gian" in key or "thoi han" in key),
    "lead": ("ĐƠN VỊ CHỦ TRÌ", lambda key: "chu tri" in key),
    "coordinators": ("ĐƠN VỊ PHỐI HỢP", lambda key: "phoi hop" in key),
}


@dataclass(frozen=True)
class TableRow:
    """A non-blank row under the header; `row` counts non-blank rows, the header being 1."""

    row: int
    tt: str
    content: str
    due: str
    lead: str
    coordinators: str


@dataclass(frozen=True)
class RawTable:
    rows: tuple[TableRow, ...]
    preamble: str | None  # the document text above the table; None for table-only formats


def read_table(data: bytes, filename: str | None) -> RawTable:
    """Pick the format from the extension and the content, then locate the appendix table."""
    if not data.strip():
        raise PlanParseError("empty_file", "Tệp tải lên trống. " + EXPECTED)
    extension = _extension(filename)
    if data.startswith(XLSX_MAGIC) or extension in XLSX_EXTENSIONS:
        return _table_only(read_xlsx_rows(data, EXPECTED))
    text = _decode(data)
    if extension in CSV_EXTENSIONS:
        return _table_only(_csv_rows(text))
    lines = text.split("\n")
    if extension in TSV_EXTENSIONS:
        return _table_only(_tab_rows(lines))
    header_at = find_header([line.split("\t") for line in lines])
    if header_at is not None:
        return _document_table(lines, header_at)
    if extension not in TEXT_EXTENSIONS and _looks_like_csv(text):
        return _table_only(_csv_rows(text))
    raise PlanParseError(
        "not_a_plan",
        "Không tìm thấy bảng phụ lục nhiệm vụ (dòng tiêu đề 'TT<Tab>NỘI DUNG…') trong tệp. "
        + EXPECTED,
    )


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return filename.rsplit(".", 1)[1].lower()


def _decode(data: bytes) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            # Excel's "Unicode Text" export is UTF-16 with a byte order mark.
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        raise PlanParseError(
            "unsupported_format",
            "Tệp không phải văn bản UTF-8 cũng không phải bảng tính Excel (.xlsx). " + EXPECTED,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _document_table(lines: list[str], header_at: int) -> RawTable:
    rows = [line.split("\t") for line in lines[header_at:]]
    return RawTable(_to_rows(rows, 0), "\n".join(lines[:header_at]))


def _tab_rows(lines: list[str]) -> list[list[str]]:
    return [line.split("\t") for line in lines]


def _csv_rows(text: str) -> list[list[str]]:
    # The delimiter is the one that yields a recognisable header: Excel writes ";" where the
    # decimal separator is ",", as on Vietnamese Windows, and "," elsewhere.
    rows = _csv_with_header(text, (";", ",", "\t"))
    return rows if rows is not None else _read_csv(text, ",")


def _looks_like_csv(text: str) -> bool:
    return _csv_with_header(text, (";", ",")) is not None


def _csv_with_header(text: str, delimiters: tuple[str, ...]) -> list[list[str]] | None:
    """The rows as read with the first delimiter that shows the appendix header, else None.
    A delimiter the reader chokes on is passed over; when every one does, the file is refused."""
    failures: list[PlanParseError] = []
    for delimiter in delimiters:
        try:
            rows = _read_csv(text, delimiter)
        except PlanParseError as unreadable:
            failures.append(unreadable)
            continue
        if find_header(rows) is not None:
            return rows
    if len(failures) == len(delimiters):
        raise failures[-1]
    return None


def _read_csv(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:  # a cell past csv.field_size_limit(), a stray quote, ...
        limit = f"{csv.field_size_limit():,}".replace(",", ".")
        raise PlanParseError(
            "unsupported_format",
            f"Không đọc được tệp như một bảng CSV: có ô dài quá {limit} ký tự hoặc ký tự lạ. "
            + EXPECTED,
        ) from error


def _table_only(rows: list[list[str]]) -> RawTable:
    header_at = find_header(rows)
    if header_at is None:
        raise PlanParseError(
            "bad_header",
            "Không tìm thấy dòng tiêu đề của bảng (cần có cột TT và NỘI DUNG). " + EXPECTED,
        )
    return RawTable(_to_rows(rows, header_at), None)


def find_header(rows: list[list[str]]) -> int | None:
    """Index of the first row with a TT and a NỘI DUNG column, compared without accents."""
    for index, cells in enumerate(rows):
        keys = [_header_key(cell) for cell in cells]
        if any(_COLUMNS["tt"][1](k) for k in keys) and any(_COLUMNS["content"][1](k) for k in keys):
            return index
    return None


def _header_key(cell: str) -> str:
    return fold(clean_inline(cell)).strip(" .:")


def _column_positions(header: list[str]) -> dict[str, int]:
    keys = [_header_key(cell) for cell in header]
    positions: dict[str, int] = {}
    for name, (_, matches) in _COLUMNS.items():
        found = next((i for i, key in enumerate(keys) if matches(key)), None)
        if found is not None:
            positions[name] = found
    missing = [label for name, (label, _) in _COLUMNS.items() if name not in positions]
    if missing:
        raise PlanParseError(
            "bad_header",
            f"Bảng phụ lục thiếu cột: {', '.join(missing)}. " + EXPECTED,
        )
    return positions


def _to_rows(rows: list[list[str]], header_at: int) -> tuple[TableRow, ...]:
    positions = _column_positions(rows[header_at])
    result: list[TableRow] = []
    number = 1
    for cells in rows[header_at + 1 :]:
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        values = {name: cells[i] if i < len(cells) else "" for name, i in positions.items()}
        result.append(TableRow(row=number, **values))
    return tuple(result)
