"""Sorting and incremental sync of every list (`sort=`, `updated_since=`).

Each list declares its `Sorting`: the keys a caller may sort by, the default order and the
column that says when a row last changed. Every order ends with the row's id, so offset paging
through rows that tie on the sort keys never skips or repeats one.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select

from app.core.errors import Unprocessable


@dataclass(frozen=True)
class Listing:
    """What the caller asked of a list: `sort` (`due_date,-code`, or several values) and
    `updated_since` (only rows changed at or after that moment)."""

    sort: tuple[str, ...] = ()
    updated_since: datetime | None = None


NO_LISTING = Listing()


def sort_parts(keys: Iterable[str], default: str, sort: Iterable[str]) -> list[tuple[str, bool]]:
    """`["due_date,-code"]` → `[("due_date", False), ("code", True)]` (name, descending), the
    default order when none is asked; an unknown key is a 422 `invalid_sort` that lists the
    allowed ones."""
    known = set(keys)
    parts = [p.strip() for value in sort for p in value.split(",") if p.strip()]
    ordered = []
    for part in parts or default.split(","):
        name = part.removeprefix("-")
        if name not in known:
            raise Unprocessable(
                f"Không sắp xếp được theo '{name}'. Các trường được phép: "
                f"{', '.join(sorted(known))} (thêm dấu - phía trước để sắp giảm dần).",
                code="invalid_sort",
            )
        ordered.append((name, part.startswith("-")))
    return ordered


@dataclass(frozen=True)
class Sorting:
    """The sort keys of one list (name → columns), its default order, the column `updated_since`
    compares with, the tie-breaker (the primary key) and keys whose empty values sort last."""

    keys: Mapping[str, tuple[Any, ...]]
    default: str
    updated_at: Any
    tie_breaker: Any
    nulls_last: frozenset[str] = field(default_factory=frozenset)

    def allowed(self) -> list[str]:
        """Every value `sort=` accepts: each key ascending, then descending (`-key`)."""
        return [*self.keys, *(f"-{name}" for name in self.keys)]

    def order_by(self, sort: Iterable[str] = ()) -> list[Any]:
        """`["due_date,-code"]` → ORDER BY clauses ending with the tie-breaker."""
        clauses: list[Any] = []
        for name, descending in sort_parts(self.keys, self.default, sort):
            if name in self.nulls_last:
                clauses.append(self.keys[name][0].is_(None))
            clauses.extend(key.desc() if descending else key for key in self.keys[name])
        return [*clauses, self.tie_breaker]

    def apply(self, stmt: Select, listing: Listing = NO_LISTING) -> Select:
        """The list's query filtered by `updated_since` and put in the caller's order."""
        if listing.updated_since is not None:
            stmt = stmt.where(self.updated_at >= listing.updated_since)
        return stmt.order_by(None).order_by(*self.order_by(listing.sort))


def sorting(
    model: Any,
    default: str,
    keys: Mapping[str, Any] | Iterable[str],
    *,
    updated_at: Any = None,
    nulls_last: Iterable[str] = (),
) -> Sorting:
    """A list's Sorting: `keys` names columns of `model` (or maps names to columns or tuples of
    columns); `id`, `created_at` and `updated_at` are always offered when the model has them."""
    mapping: dict[str, tuple[Any, ...]] = {}
    named = keys.items() if isinstance(keys, Mapping) else ((k, getattr(model, k)) for k in keys)
    for name, columns in named:
        mapping[name] = columns if isinstance(columns, tuple) else (columns,)
    changed = updated_at if updated_at is not None else model.updated_at
    for name, column in (
        ("id", getattr(model, "id", None)),
        ("created_at", getattr(model, "created_at", None)),
        ("updated_at", changed),
    ):
        if column is not None:
            mapping.setdefault(name, (column,))
    primary = model.__mapper__.primary_key
    return Sorting(mapping, default, changed, primary[0], frozenset(nulls_last))


NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RowSorting:
    """The sort keys of a list put together in Python rather than read in one query (the
    year's days off: the law's holidays merged with Sở Nội vụ's amendments; the rule values:
    the stored ones and the defaults). Keys are functions of a row; a row that was never
    stored (`updated_at` None) is the oldest, and no `updated_since` brings it back. Other
    empty values sort last either way."""

    keys: Mapping[str, Callable[[Any], Any]]
    default: str
    updated_at: Callable[[Any], datetime | None]
    tie_breaker: Callable[[Any], Any]

    def allowed(self) -> list[str]:
        """Every value `sort=` accepts: each key ascending, then descending (`-key`)."""
        return [*self.keys, *(f"-{name}" for name in self.keys)]

    def order_by(self, sort: Iterable[str] = ()) -> list[tuple[str, bool]]:
        """The (key, descending) pairs asked; an unknown key is a 422 `invalid_sort`."""
        return sort_parts(self.keys, self.default, sort)

    def apply(self, rows: Iterable[Any], listing: Listing = NO_LISTING) -> list[Any]:
        """The rows changed since `listing.updated_since`, in the caller's order, the
        tie-breaker last (Python's sort is stable: sort by the last key first)."""
        since = listing.updated_since
        kept = sorted(rows, key=self.tie_breaker)
        if since is not None:
            kept = [r for r in kept if (changed := self.updated_at(r)) and changed >= since]
        for name, descending in reversed(self.order_by(listing.sort)):
            value = self.keys[name]
            if name == "updated_at":
                kept.sort(key=lambda r: self.updated_at(r) or NEVER, reverse=descending)
                continue
            filled = [r for r in kept if value(r) is not None]
            filled.sort(key=value, reverse=descending)
            kept = filled + [r for r in kept if value(r) is None]
        return kept
