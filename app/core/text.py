"""Vietnamese text helpers: NFC normalisation and accent-insensitive folding.

Search (`?q=`) compares folded text on every database alike: the folded form is computed in
Python and stored beside the original, so SQLite and PostgreSQL need no extension.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Return `value` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str | None) -> str:
    """Fold text for comparison: no diacritics, `đ` as `d`, lower case, single spaces.

    >>> fold("Văn phòng Ủy ban nhân dân tỉnh")
    'van phong uy ban nhan dan tinh'
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


def search_text(*parts: str | None) -> str:
    """Build the folded search column from several fields (name, aliases, ...)."""
    return " | ".join(fold(p) for p in parts if p)
