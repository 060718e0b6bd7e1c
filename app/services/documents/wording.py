"""How numbers, dates and names are written on a Vietnamese official paper.

>>> vn_date(date(2026, 3, 5))
'ngày 05 tháng 3 năm 2026'
>>> vn_money(1234000)
'1.234.000 đồng'
"""

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.core.text import fold

PROVINCE = "Sơn La"
PROVINCE_UPPER = "UBND TỈNH SƠN LA"
# XML 1.0 has no place for these characters; a paper must not carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_NUMBER = "\u00a0" * 6


def vn_date(day: date) -> str:
    """NĐ 30/2020: days below 10 and the months January and February take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(day: date | None, place: str = PROVINCE) -> str:
    """'Sơn La, ngày 05 tháng 3 năm 2026'; without a day, the blanks the signer fills in."""
    if day is None:
        return f"{place}, ngày      tháng      năm       "
    return f"{place}, {vn_date(day)}"


def dotted_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_number(value: int | float | Decimal) -> str:
    """1234000 → '1.234.000'; 88.89 → '88,89' (dot for thousands, comma for decimals)."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{int(amount):,}".replace(",", ".")
    whole, _, fraction = f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,}".partition(".")
    return f"{whole.replace(',', '.')},{fraction}"


def vn_money(value: int | float | Decimal) -> str:
    return f"{vn_number(round(Decimal(str(value))))} đồng"


def two_digits(count: int) -> str:
    """Counts in a tờ trình are written 01, 02 … 09, 10."""
    return f"{count:02d}"


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def issuer_lines(unit_name: str) -> tuple[str, str]:
    """The two lines of the issuing body: the body above (cơ quan chủ quản) and the unit.
    A people's committee (UBND) issues in its own name; provincial units under UBND tỉnh."""
    folded = fold(unit_name)
    if folded.startswith(("ubnd", "uy ban nhan dan")):
        return "", upper(unit_name)
    return PROVINCE_UPPER, upper(unit_name)


def abbreviation(unit_name: str) -> str:
    """The unit's initials for a ký hiệu: 'Sở Tư pháp' → 'STP', 'UBND huyện Mộc Châu' → 'UBND'."""
    words = fold(unit_name).split()
    if not words:
        return ""
    if words[0] == "ubnd" or words[:4] == ["uy", "ban", "nhan", "dan"]:
        return "UBND"
    return "".join(word[0] for word in words if word[0].isalnum()).upper()[:10]


def number_line(symbol: str) -> str:
    """'      /TTr-STP': the number is left blank; the văn thư writes it when issuing."""
    return f"{_BLANK_NUMBER}/{symbol}"


SIGN_PROMPT = "(Ký tên, đóng dấu)"
SIGNED_NOTE = "(Đã ký)"


def signature(
    head: str, *, deputy: str | None = None, title: str = "", name: str = "", signed=False
) -> dict[str, str]:
    """The signature block's lines (NĐ 30/2020, Phụ lục I): the quyền hạn and chức vụ — a
    deputy signing for the head writes "KT." before the head's office and their own office
    under it (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH) —, under them the signing prompt of a draft or
    "(Đã ký)" on the copy of a paper already signed, then the signer's name."""
    if deputy:
        head, title = f"KT. {upper(head)}", upper(deputy)
    return {
        "sign_authority": upper(head),
        "sign_title": upper(title),
        "sign_note": SIGNED_NOTE if signed else SIGN_PROMPT,
        "signer_name": name,
    }


def clean(value: Any) -> Any:
    """Every string of a context in NFC, without characters XML forbids; recursively."""
    if isinstance(value, str):
        return _XML_INVALID.sub("", unicodedata.normalize("NFC", value))
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value
