"""Sorting and incremental sync of every list (`sort=`, `updated_since=`).

Each list declares its `Sorting`: the keys a caller may sort by, the default order and the
column that says when a row last changed. Every order ends with the row's id, so offset paging
through rows that tie on the sort keys never skips or repeats one.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
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
        """`["due_date,-code"]` → ORDER BY clauses ending with the tie-breaker; an unknown key
        is a 422 `invalid_sort` that lists the allowed ones."""
        parts = [p.strip() for value in sort for p in value.split(",") if p.strip()]
        clauses: list[Any] = []
        for part in parts or self.default.split(","):
            name = part.removeprefix("-")
            if name not in self.keys:
                raise Unprocessable(
                    f"Không sắp xếp được theo '{name}'. Các trường được phép: "
                    f"{', '.join(sorted(self.keys))} (thêm dấu - phía trước để sắp giảm dần).",
                    code="invalid_sort",
                )
            if name in self.nulls_last:
                clauses.append(self.keys[name][0].is_(None))
            descending = part.startswith("-")
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
