"""Đơn vị phối hợp: splitting a cell into units and recognising sets of units (groups)."""

import re

from app.core.text import fold

from .cells import clean_lines
from .models import ParsedCoordinator

_ITEM_SEPARATOR = re.compile(r"\s*;\s*")
_DASH_SEPARATOR = re.compile(r" [-–] ")
_BULLET = re.compile(r"^[-–•+]\s*")

# Names that carry " - " themselves; a dash list must not be cut there.
_HYPHENATED_NAMES = frozenset(
    {
        ("thi dua", "khen thuong"),
        ("kinh te", "xa hoi"),
        ("kinh te", "ha tang"),
        ("an ninh", "quoc phong"),
        ("lao dong", "thuong binh"),
        ("van hoa", "xa hoi"),
        ("van hoa", "thong tin"),
        ("tai chinh", "ke hoach"),
        ("tai nguyen", "moi truong"),
    }
)

# Tested in order on folded labels without trailing punctuation.
_GROUP_PATTERNS = (
    ("cluster_member_units", re.compile(r"\b(tham gia|thanh vien)\b.*\bcum,? (va )?khoi\b")),
    ("cluster_member_units", re.compile(r"^(cac|tat ca cac) cum,? (va )?khoi thi dua\b")),
    (
        "council_members",
        re.compile(r"^(cac )?(thanh vien|uy vien) hoi dong (tdkt|thi dua\W*khen thuong)( tinh)?$"),
    ),
    ("provincial_leaders", re.compile(r"^(cac )?(dong chi )?lanh dao tinh$")),
    (
        "all_units",
        re.compile(r"^(tat ca )?cac co quan,? don vi,? dia phuong( tren dia ban tinh| cua tinh)?$"),
    ),
    ("related_units", re.compile(r"^cac\b.*\b(co )?lien quan$")),
)


def split_coordinators(cell: str) -> list[ParsedCoordinator]:
    """Split a ĐƠN VỊ PHỐI HỢP cell on ";", line breaks and "- " list items.

    Commas never split: they belong to group names such as "các cơ quan, đơn vị, địa phương".
    " - " splits only in a dash list (the cell starts with "- "), and never inside a name
    like "Hội đồng Thi đua - Khen thưởng".
    """
    labels: list[str] = []
    for line in clean_lines(cell).split("\n"):
        for part in _ITEM_SEPARATOR.split(line):
            labels.extend(_split_dash_list(part))
    cleaned = (_tidy_label(label) for label in labels)
    return [ParsedCoordinator(label, detect_group(label)) for label in cleaned if label]


def _split_dash_list(text: str) -> list[str]:
    if not text.startswith(("- ", "– ")):
        return [text]
    pieces: list[str] = []
    start = 0
    for match in _DASH_SEPARATOR.finditer(text, 2):
        if not _inside_name(text[: match.start()], text[match.end() :]):
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _inside_name(before: str, after: str) -> bool:
    left = " ".join(fold(before).split()[-2:])
    right = " ".join(fold(after).split()[:2])
    return (left, right) in _HYPHENATED_NAMES


def _tidy_label(label: str) -> str:
    label = _BULLET.sub("", label.strip()).rstrip(" ;,")
    if label.endswith(".") and not label.endswith(".."):
        label = label[:-1].rstrip()
    return label


def detect_group(label: str) -> str | None:
    """The group code when `label` names a set of units, None for a concrete unit.

    >>> detect_group("Thành viên Hội đồng TĐKT tỉnh")
    'council_members'
    >>> detect_group("Sở Tư pháp") is None
    True
    """
    key = fold(label).strip(" .;,")
    for code, pattern in _GROUP_PATTERNS:
        if pattern.search(key):
            return code
    return None
