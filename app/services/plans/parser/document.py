"""The text above the appendix: số, địa danh và ngày ban hành, tên kế hoạch, cơ quan ban hành."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from app.core.text import fold, nfc

from .models import ParseWarning

_MARKUP = re.compile(r"^[#>\s*_]+|[*_\s]+$")
_NUMBER_LINE = re.compile(r"^Số\s*:\s*(.*)$", re.IGNORECASE)
_BLANK_NUMBER = re.compile(r"^[\s._…-]*$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,40}),\s*ngày\s*(?P<day>[\d\s._…]*?)\s*tháng\s*(?P<month>[\d\s._…]*?)"
    r"\s*năm\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
_TITLE_START = "KẾ HOẠCH"
_YEAR_IN_TITLE = re.compile(r"\bnam (\d{4})\b")
_PROVINCE_MENTION = re.compile(r"\btỉnh ((?:[A-ZĐ][^\s,.;:()]*)(?: [A-ZĐ][^\s,.;:()]*)*)")
_HEAD_LINES = 20


@dataclass(frozen=True)
class DocumentInfo:
    number: str | None = None
    title: str | None = None
    year: int | None = None
    issued_on: datetime.date | None = None
    issuer: str | None = None
    body: str | None = None
    warnings: tuple[ParseWarning, ...] = field(default_factory=tuple)


def read_document(preamble: str | None) -> DocumentInfo:
    """Fields of the plan from the text above the table; empty for a table-only file."""
    if preamble is None:
        return DocumentInfo()
    body = nfc(_before_appendix(preamble)) or None
    lines = [_strip_markup(line) for line in (body or "").split("\n")]
    title = _title(lines)
    head = lines[: _title_index(lines) or _HEAD_LINES]
    number, number_warning = _number(head)
    place, issued_on, date_warning = _place_and_date(head)
    warnings = tuple(w for w in (number_warning, date_warning) if w)
    year_match = _YEAR_IN_TITLE.search(fold(title)) if title else None
    return DocumentInfo(
        number=number,
        title=title,
        year=int(year_match[1]) if year_match else None,
        issued_on=issued_on,
        issuer=_issuer(body or "", place),
        body=body,
        warnings=warnings,
    )


def _before_appendix(preamble: str) -> str:
    # The last "Phụ lục" line above the table starts the appendix; a mention inside a paragraph
    # such as "(có Phụ lục … kèm theo)" does not.
    lines = preamble.split("\n")
    for index in range(len(lines) - 1, -1, -1):
        if fold(_strip_markup(lines[index])).startswith("phu luc"):
            return "\n".join(lines[:index])
    return preamble


def _strip_markup(line: str) -> str:
    return _MARKUP.sub("", line).replace("**", "").strip()


def _title_index(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.startswith(_TITLE_START)), None)


def _title(lines: list[str]) -> str | None:
    """The words after "KẾ HOẠCH", also when the name is on the next line as in Word files."""
    index = _title_index(lines)
    if index is None:
        return None
    rest = lines[index][len(_TITLE_START) :].strip(" :")
    if not rest:
        rest = next((line for line in lines[index + 1 :] if line), "")
    return " ".join(f"Kế hoạch {rest}".split())


def _number(head: list[str]) -> tuple[str | None, ParseWarning | None]:
    for line in head:
        if match := _NUMBER_LINE.match(line):
            value = "".join(match[1].split())
            if value and not _BLANK_NUMBER.match(value.split("/", 1)[0]):
                return value, None
            return None, _warning(
                "plan_number_missing", f"Kế hoạch chưa có số (dòng '{line}' để trống số)."
            )
    return None, _warning("plan_number_missing", "Không tìm thấy số của kế hoạch (dòng 'Số:').")


def _place_and_date(
    head: list[str],
) -> tuple[str | None, datetime.date | None, ParseWarning | None]:
    for line in head:
        if match := _PLACE_DATE.match(line):
            return match["place"].strip(), *_issued_on(match, line)
    message = "Không tìm thấy ngày ban hành của kế hoạch (dòng 'Sơn La, ngày … tháng … năm …')."
    return None, None, _warning("plan_date_missing", message)


def _issued_on(match: re.Match[str], line: str) -> tuple[datetime.date | None, ParseWarning | None]:
    day, month = match["day"].strip(), match["month"].strip()
    if day.isdigit() and month.isdigit():
        try:
            return datetime.date(int(match["year"]), int(month), int(day)), None
        except ValueError:
            return None, _warning("plan_date_missing", f"Ngày ban hành '{line}' không hợp lệ.")
    message = f"Kế hoạch chưa có ngày ban hành (dòng '{line}' để trống ngày, tháng)."
    return None, _warning("plan_date_missing", message)


def _issuer(body: str, place: str | None) -> str | None:
    """The issuer "UBND tỉnh X" when the plan is signed for the provincial People's Committee.

    The signature "TM. ỦY BAN NHÂN DÂN" alone could be a commune's; the text must also speak
    of the "Ủy ban nhân dân tỉnh".
    """
    folded = fold(body)
    signed_by_committee = "tm. uy ban nhan dan" in folded or "tm uy ban nhan dan" in folded
    provincial = "uy ban nhan dan tinh" in folded or "ubnd tinh" in folded
    if not (signed_by_committee and provincial):
        return None
    province = place or _most_mentioned_province(body)
    return f"UBND tỉnh {province}" if province else None


def _most_mentioned_province(body: str) -> str | None:
    names = Counter(match[1] for match in _PROVINCE_MENTION.finditer(body))
    return names.most_common(1)[0][0] if names else None


def _warning(code: str, message: str) -> ParseWarning:
    return ParseWarning(row=None, code=code, message=message)
