"""Tables officials keep in Excel or as CSV: read them, find the columns by their Vietnamese or
English headers, and parse each data row with its row number, for every import of such tables
(award history, yearly ratings)."""

import csv
import io
import re
from collections.abc import Callable
from typing import Any, TypeVar

from app.core.errors import Unprocessable
from app.core.text import fold
from app.services.plans.parser import PlanParseError
from app.services.plans.parser.xlsx import XLSX_MAGIC, read_xlsx_rows

T = TypeVar("T")
MAX_ROWS = 20_000
FORMATS = "Chấp nhận bảng CSV (UTF-8) hoặc Excel .xlsx có dòng tiêu đề."
_PARENTHESES = re.compile(r"\([^)]*\)")


def header_key(label: str) -> str:
    """A header as it is matched: folded, without a note in parentheses or trailing marks."""
    return fold(_PARENTHESES.sub("", label)).strip(" :*.")


def read_rows(data: bytes) -> list[list[str]]:
    if data.startswith(XLSX_MAGIC):
        try:
            return read_xlsx_rows(data, FORMATS)
        except PlanParseError as exc:
            raise Unprocessable(exc.message, code=exc.code) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable(
            "Tệp CSV phải mã hoá UTF-8 (Excel: Lưu thành “CSV UTF-8”). " + FORMATS,
            code="unsupported_format",
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        # A cell past the csv module's field limit (128 KiB), or a malformed quote.
        raise Unprocessable(
            f"Không đọc được tệp CSV ({exc}). " + FORMATS, code="unsupported_format"
        ) from exc
    for number, row in enumerate(rows, 1):
        if any("\x00" in cell for cell in row):
            raise Unprocessable(
                f"Dòng {number} chứa ký tự rỗng (NUL); hãy lưu lại tệp dưới dạng CSV UTF-8.",
                code="unsupported_format",
                row=number,
            )
    return rows


def match_columns(
    header: list[str], columns: dict[str, tuple[str, ...]], required: tuple[str, ...], example: str
) -> dict[str, int]:
    """The index of each known column in `header` (the first header that names it); a 422
    `missing_columns` naming the required ones that are absent, with `example` as a hint."""
    keys = [header_key(h) for h in header]
    found: dict[str, int] = {}
    for name, labels in columns.items():
        hit = next((i for i, key in enumerate(keys) if key in labels), None)
        if hit is not None:
            found[name] = hit
    if missing := [c for c in required if c not in found]:
        raise Unprocessable(
            f"Bảng thiếu cột bắt buộc: {', '.join(missing)} ({example}).",
            code="missing_columns",
            missing=missing,
        )
    return found


def parse_rows(
    table: list[list[str]],
    find_columns: Callable[[list[str]], dict[str, int]],
    parse: Callable[[dict[str, str]], T],
) -> tuple[list[tuple[int, T]], list[dict[str, Any]]]:
    """Each data row under the header (the first row that is not blank) parsed by `parse` from
    its cells by column name: `(row number, value)` for the good rows, and for each row whose
    `parse` raised ValueError the row number and the reason, in Vietnamese."""
    body = [(i, r) for i, r in enumerate(table, 1) if any(c.strip() for c in r)]
    if not body:
        raise Unprocessable("Tệp không có dữ liệu. " + FORMATS, code="empty_file")
    (_, header), rows = body[0], body[1:]
    if len(rows) > MAX_ROWS:
        raise Unprocessable(f"Mỗi lần nhập tối đa {MAX_ROWS} dòng.", code="too_many_rows")
    columns = find_columns(header)
    parsed: list[tuple[int, T]] = []
    errors: list[dict[str, Any]] = []
    for number, raw in rows:
        cells = {n: (raw[i].strip() if i < len(raw) else "") for n, i in columns.items()}
        try:
            parsed.append((number, parse(cells)))
        except ValueError as exc:
            errors.append({"row": number, "message": f"Dòng {number}: {exc}."})
    return parsed, errors
