"""SQLAlchemy's aiosqlite adapter, with one trip to the connection's thread per statement.

aiosqlite runs each sqlite3 call in the connection's own thread and hands the result back to
the event loop: a hop of two thread switches. The stock adapter makes four per statement
(open a cursor, execute, fetch all rows, close the cursor) and one more for the `BEGIN` that
opens each transaction. Here a statement is one hop: the cursor is opened, executed, read to
the end and closed inside the thread, and a transaction's `BEGIN` (deferred or `IMMEDIATE`,
as `app.core.db` asks) is sent in the same hop as its first statement. A transaction in which
nothing was executed ends without a hop at all, and so does the pool's rollback of a connection
whose transaction has already ended. A statement marked `BEFORE_TRANSACTION` (the caller's
lookup, `app.core.db`) runs on its own just before the transaction, whose `BEGIN` goes with the
next statement: a request that reads nothing else makes one hop in all.

A `SELECT` of a read-only transaction (a deferred `BEGIN`, see `app.core.db`), or one run before
the transaction, makes no trip at all: it runs on the event loop's own thread. In WAL mode such a
read takes a snapshot and never waits for a lock, and a short statement costs less than the two
thread switches of the trip (a quarter of a small request's time); writers (`BEGIN IMMEDIATE`),
which may wait for the write lock, keep the thread, where waiting blocks nobody else.

Errors are sqlite3's own, raised as aiosqlite raises them, so SQLAlchemy wraps them as before.
Server-side cursors (`stream()`) keep the stock, row-by-row cursor.
"""

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_


class _Outcome:
    """What a statement left behind, read inside the thread: the cursor itself is closed."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, cursor: sqlite3.Cursor | None = None) -> None:
        self.description = cursor.description if cursor is not None else None
        self.rowcount = cursor.rowcount if cursor is not None else -1
        self.lastrowid = cursor.lastrowid if cursor is not None else None
        self.arraysize = 1


_NOTHING = _Outcome()
# The `BEGIN` of a read-only transaction (`app.core.db`): its SELECTs run on the loop's thread.
READ_BEGIN = "BEGIN"


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement runs to completion in one hop; its rows are kept here."""

    __slots__ = ()
    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: "OneHopConnection") -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = _NOTHING  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        return None

    def _run(self, work, operation: str) -> Any:
        adapt = self._adapt_connection
        begin = adapt._pending_begin
        if adapt._before_begin:  # this statement runs on its own; BEGIN waits for the next
            adapt._before_begin = False
            begin = None
            reading = True
        else:
            adapt._pending_begin = None
            reading = adapt._reading

        def in_thread() -> tuple[_Outcome, list[Any]]:
            conn = self._connection._conn
            if begin is not None:
                conn.execute(begin)
            cursor = conn.cursor()
            try:
                work(cursor)
                rows = cursor.fetchall() if cursor.description else []
                return _Outcome(cursor), rows
            finally:
                cursor.close()

        try:
            if reading and operation.startswith("SELECT"):
                outcome, rows = in_thread()  # a snapshot read: no lock to wait for
            else:
                outcome, rows = await_(self._connection._execute(in_thread))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._cursor = outcome  # type: ignore[assignment]
        self._rows = collections.deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        if parameters is None:
            self._run(lambda cursor: cursor.execute(operation), operation)
        else:
            self._run(lambda cursor: cursor.execute(operation, parameters), operation)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(lambda cursor: cursor.executemany(operation, seq_of_parameters), "")


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Holds a transaction's `BEGIN` until its first statement goes to the thread."""

    __slots__ = ("_before_begin", "_pending_begin", "_reading")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)
        self._pending_begin: str | None = None
        self._before_begin = False
        # The transaction begun (or about to be) is a deferred, read-only one.
        self._reading = False

    def run_next_before_begin(self) -> None:
        """Run the next statement, if it is the transaction's first, on its own (autocommit),
        and keep the transaction's `BEGIN` for the statement after it: a request whose only
        statement is its caller's lookup then makes one trip, with no transaction to end."""
        self._before_begin = self._pending_begin is not None

    def begin(self, statement: str) -> None:
        """Open a transaction with `statement` (`BEGIN` or `BEGIN IMMEDIATE`) along with the
        next statement executed."""
        self._pending_begin = statement
        self._reading = statement == READ_BEGIN

    def commit(self) -> None:
        reading, self._reading = self._reading, False
        if self._pending_begin is not None:  # nothing ran: there is no transaction to end
            self._pending_begin = None
            return
        if reading:  # the end of a snapshot: nothing to write, no lock to wait for
            self._end_read("commit")
            return
        super().commit()

    def _end_read(self, how: str) -> None:
        try:
            getattr(self._connection._conn, how)()
        except Exception as error:
            self._handle_exception(error)

    def rollback(self) -> None:
        reading, self._reading = self._reading, False
        if self._pending_begin is not None:
            self._pending_begin = None
            return
        if reading:
            self._end_read("rollback")
            return
        # The pool rolls back every connection it takes back, most of them just committed:
        # with no transaction open there is nothing to send (`in_transaction` is read from
        # the sqlite3 connection without a trip to its thread, which is idle between calls).
        try:
            idle = not self._connection._conn.in_transaction
        except (sqlite3.Error, AttributeError, ValueError):  # closed: let aiosqlite say so
            idle = False
        if idle:
            return
        super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module handed to `create_async_engine(module=...)`."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        stock = super().connect(*arg, **kw)
        return OneHopConnection(self, stock._connection)
