"""Cleaning of table cells: the seed marks sections with `<b>` and notes with `<i>`."""

import html
import re

from app.core.text import nfc

_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_NOTE = re.compile(r"<(i|em)\b[^<>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_MARKDOWN_STRONG = re.compile(r"\*\*|__")
_SPACES = re.compile(r"[^\S\n]+")


def clean_lines(value: str | None) -> str:
    """NFC text without tags, one space between words, line breaks kept, empty lines dropped."""
    if not value:
        return ""
    text = _LINE_BREAK.sub("\n", nfc(value))
    text = html.unescape(_MARKDOWN_STRONG.sub("", _TAG.sub("", text)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def clean_inline(value: str | None) -> str:
    """Like `clean_lines` but on one line: a cell is shown and searched as a single string."""
    return " ".join(clean_lines(value).split())


def split_note(cell: str | None) -> tuple[str, str | None]:
    """Split a NỘI DUNG cell into its content and the italic note (ghi chú in `<i>…</i>`)."""
    if not cell:
        return "", None
    notes = [unwrap_parentheses(clean_inline(m.group(2))) for m in _NOTE.finditer(cell)]
    notes = [note for note in notes if note]
    content = clean_inline(_NOTE.sub(" ", cell))
    return content, "; ".join(notes) or None


def unwrap_parentheses(text: str) -> str:
    """Remove one pair of parentheses around the whole text, but not from "(a) và (b)"."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return text
    return text[1:-1].strip()
