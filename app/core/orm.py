"""Small helpers every feature's service uses: fetch-or-404, versions, paging, search."""

import re
from collections import namedtuple
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import JSON, Boolean, Select, and_, bindparam, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from app.core.clock import utcnow
from app.core.errors import Conflict, NotFound, PreconditionFailed
from app.core.text import fold

M = TypeVar("M")


@dataclass(frozen=True)
class PageResult:
    items: list[Any]
    total: int
    limit: int
    offset: int


async def get_or_404(session: AsyncSession, model: type[M], id_: int, what: str, **kw: Any) -> M:
    obj = await session.get(model, id_, **kw)
    if obj is None:
        raise NotFound(f"Không tìm thấy {what} có mã số {id_}.")
    return obj


# The version an If-Match tag stands for when this server never gave it out: no row has it.
NO_VERSION = 0


def check_version(obj: Any, expected: int | None) -> None:
    """Refuse a write based on a stale read (If-Match); None means the caller sent `*`."""
    if expected is not None and obj.version != expected:
        sent = "một ETag không khớp" if expected == NO_VERSION else str(expected)
        raise PreconditionFailed(
            f"Bản ghi đã được người khác sửa (phiên bản hiện tại {obj.version}, bạn gửi "
            f"{sent}). Tải lại rồi thực hiện lại thay đổi.",
            current_version=obj.version,
        )


async def paginate(
    session: AsyncSession,
    stmt: Select,
    limit: int,
    offset: int,
    *,
    scalars: bool = True,
    searched: bool = False,
) -> PageResult:
    """One scoped query gives both the page and the total, so they always agree.

    `searched`: the statement filters by a search (`like_folded`), whose index scan is most of
    its cost: the total is counted by the page's own statement (`count(*) OVER ()`), one scan
    instead of two; only a page past the end needs the count on its own. Not for statements
    that join children (the window would count their rows)."""
    if searched:
        counted = stmt.add_columns(func.count().over().label("page_total"))
        found = (await session.execute(counted.limit(limit).offset(offset))).all()
        if found or offset == 0:
            total = found[0][-1] if found else 0
            items = [r[0] for r in found] if scalars else [_without_total(r) for r in found]
            return PageResult(items, int(total), limit, offset)
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    paged = stmt.limit(limit).offset(offset)
    # unique(): a page whose children are joined has one row per child.
    rows = (
        (await session.scalars(paged)).unique().all()
        if scalars
        else (await session.execute(paged)).all()
    )
    return PageResult(list(rows), int(total or 0), limit, offset)


def _without_total(row: Any) -> Any:
    """A row of a `searched` page without its trailing `page_total` column (same names)."""
    names = row._fields[:-1]
    return _row_type(names)(*row[:-1])


@lru_cache(maxsize=64)
def _row_type(names: tuple[str, ...]) -> Any:
    return namedtuple("PageRow", names, rename=True)


def like_folded(column: Any, q: str) -> Any:
    """An accent- and case-insensitive `contains` on a folded search column."""
    needle = fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{needle}%", escape="\\")


_WORD = re.compile(r"^[a-z0-9]+$")


class _WordsMatch(ColumnElement[bool]):
    """`to_tsvector('simple', column) @@ to_tsquery('simple', words)` on PostgreSQL, where an
    expression index of that shape exists (`app.models.base.words_index`); true elsewhere."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, column: Any, words: str) -> None:
        self.column, self.words = column, bindparam("words", words, unique=True)


@compiles(_WordsMatch)
def _words_anywhere(element: _WordsMatch, compiler: Any, **kw: Any) -> str:
    return "1"  # a true boolean, compared to 1 where booleans are integers (SQLite)


@compiles(_WordsMatch, "postgresql")
def _words_postgresql(element: _WordsMatch, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    words = compiler.process(element.words, **kw)
    return f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, {words})"


class _CodepointOrder(ColumnElement[str]):
    """A text column ordered by code point, as Python's `sorted` orders str: `COLLATE "C"` on
    PostgreSQL (byte order of UTF-8, which is code point order); SQLite's default BINARY
    collation already is."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        self.column = column
        self.type = column.type


@compiles(_CodepointOrder)
def _codepoint_anywhere(element: _CodepointOrder, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_CodepointOrder, "postgresql")
def _codepoint_postgresql(element: _CodepointOrder, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.column, **kw)} COLLATE "C"'


def codepoint_order(column: Any) -> Any:
    """Order by `column` as Python sorts str, the same on SQLite and PostgreSQL whatever the
    database's collation."""
    return _CodepointOrder(column)


class _JsonRows(FunctionElement[Any]):
    """The rows of a group as one JSON array of objects, a member per column, by its name:
    `json_agg(json_build_object(…))` on PostgreSQL, `json_group_array(json_object(…))` on
    SQLite. In no order; no rows give NULL on PostgreSQL, `[]` on SQLite."""

    inherit_cache = True
    type = JSON()
    name = "json_rows"


def _json_members(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    return ", ".join(
        f"'{column.name}', {compiler.process(column, **kw)}" for column in element.clauses
    )


@compiles(_JsonRows)
def _json_rows_anywhere(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    return f"json_group_array(json_object({_json_members(element, compiler, **kw)}))"


@compiles(_JsonRows, "postgresql")
def _json_rows_postgresql(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    return f"json_agg(json_build_object({_json_members(element, compiler, **kw)}))"


def json_rows(*columns: Any) -> Any:
    """An aggregate of `columns` (table columns) as a JSON list of objects keyed by their
    names, decoded on reading: for children read beside their parent in one statement."""
    return _JsonRows(*columns)


def like_folded_words(column: Any, q: str) -> Any:
    """`like_folded`, narrowed first by the words of the needle on PostgreSQL (a GIN index of
    the column's words, `words_index`): the same rows, found from the rarest word instead of
    trigrams every row shares.

    A needle matched inside the text starts anywhere in a word and ends anywhere in one, so
    only what `LIKE '%…%'` implies is asked of the words: its inner words whole, its last word
    as a prefix, its first not at all; only plain words (letters and digits) are asked, which
    the `simple` parser reads as one lexeme each. A needle of one word keeps the `LIKE` alone.
    """
    like = like_folded(column, q)
    words = fold(q).split(" ")[1:]
    if not words:
        return like
    terms = [w for w in words[:-1] if _WORD.match(w)]
    if _WORD.match(words[-1]):
        terms.append(f"{words[-1]}:*")
    if not terms:
        return like
    return and_(_WordsMatch(column, " & ".join(terms)), like)


def touch(obj: Any) -> None:
    """Mark a parent changed when only its children changed, so its version (ETag) moves on."""
    obj.updated_at = utcnow()
    flag_modified(obj, "updated_at")


CONCURRENT_UPDATE = "Bản ghi vừa được người khác thay đổi cùng lúc; tải lại rồi thử lại."


async def flush_or_conflict(
    session: AsyncSession,
    detail: str = CONCURRENT_UPDATE,
    *,
    code: str = "concurrent_update",
    savepoint: bool = False,
    **extra: Any,
) -> None:
    """Flush; a unique or foreign key that another request got to first turns into a 409 with
    `detail` and `code`, never a 500.

    `savepoint`: flush inside one, so that the transaction stays usable after the refusal. A
    StaleDataError (a concurrent update) is left to the global handler: 412 when the request
    sent If-Match, 409 otherwise."""
    try:
        if savepoint:
            async with session.begin_nested():
                await session.flush()
        else:
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(detail, code=code, **extra) from exc


async def serialize(session: AsyncSession, key: int) -> None:
    """Queue this transaction behind any other holding `key` until it ends (PostgreSQL's
    transaction advisory lock). Taken before the first write, it keeps two requests that would
    lock the same rows in opposite orders from deadlocking: the second starts once the first has
    committed and sees its result. SQLite needs nothing: a writing transaction already holds the
    database's one write lock (`BEGIN IMMEDIATE`)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
