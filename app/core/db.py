"""Engine and session factory.

SQLite is the embedded default: WAL, foreign keys on, a busy timeout, and `BEGIN IMMEDIATE` so
that two writers queue instead of failing half-way. A read-only request (GET, HEAD) gets its
session from `Database.read_sessionmaker`: on SQLite its transaction is a deferred `BEGIN`, a
snapshot that neither waits for nor blocks the writers (WAL), and it refuses to flush a change.
On PostgreSQL its statements run without BEGIN and COMMIT (autocommit): one round trip each.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Insert, Select, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.sqlite_driver import READ_BEGIN, OneHopConnection, OneHopDBAPI

SQLITE_BUSY_TIMEOUT_SECONDS = 30
# The execution option and session-info key of read-only transactions.
READ_ONLY = "tdkt_read_only"
# The execution option of a statement that may run just before the request's transaction
# rather than inside it, when it is the transaction's first: on SQLite it then runs on its own
# and `BEGIN` goes with the next statement, so a request with nothing else to read makes one
# trip to the database thread and has no transaction to end. For a statement whose result
# need not be part of the request's snapshot: the caller's lookup, as if made a moment before
# the request began. PostgreSQL runs it inside the transaction as any other.
BEFORE_TRANSACTION = "tdkt_before_transaction"


def _refuse_closed_connection(dbapi_connection, _record, _proxy) -> None:
    """Hand out no connection the server has closed (a restart, an administrator's
    `pg_terminate_backend`, an idle timeout): the pool then opens a new one.

    This is `pool_pre_ping` without its round trip on every checkout: an idle asyncpg
    connection stays registered with the event loop, which reads the server's goodbye and
    the end of the socket as they arrive, so `is_closed()` already knows. A connection lost
    without a word (a network cut) is found by its next statement instead, which fails; the
    pool then discards every connection opened before it.
    """
    driver = getattr(dbapi_connection, "driver_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if is_closed is not None and is_closed():
        raise DisconnectionError("the database server closed this connection")


class WriteInReadOnlyTransaction(RuntimeError):
    """A change flushed in a read-only request: a GET must not write (a programming error)."""


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def is_postgresql(session: AsyncSession) -> bool:
    """Whether the session talks to PostgreSQL (else SQLite, the embedded default)."""
    return session.bind.dialect.name == "postgresql"


def upsert_insert(session: AsyncSession, table: Table | Any) -> Insert:
    """An INSERT of the session's dialect, which has `on_conflict_do_nothing` and friends."""
    dialect = postgresql if is_postgresql(session) else sqlite
    return dialect.insert(table)


def skip_locked(stmt: Select, *of: Any) -> Select:
    """Lock the rows `stmt` selects until the transaction ends, passing over rows another
    transaction holds: PostgreSQL's `FOR UPDATE SKIP LOCKED`, so several workers share one
    queue without taking the same row. SQLite renders no lock clause; there `BEGIN IMMEDIATE`
    lets one writer in at a time, which serialises the claims as well."""
    return stmt.with_for_update(skip_locked=True, of=list(of) or None)


async def advisory_lock(session: AsyncSession, key: int, name: str | None = None) -> None:
    """Hold a PostgreSQL advisory lock on `key` (and `name`, hashed) until the transaction
    ends. Nothing on SQLite: `BEGIN IMMEDIATE` already lets one writer in at a time."""
    if not is_postgresql(session):
        return
    if name is None:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(:name))"), {"key": key, "name": name}
        )


async def sort_in_memory(session: AsyncSession, megabytes: int = 16) -> None:
    """Let this transaction's sorts and hashes use `megabytes` of memory each on PostgreSQL
    (`SET LOCAL work_mem`), for a statement known to sort more than the default 4 MB holds,
    which would otherwise spill to disk. Nothing on SQLite."""
    if is_postgresql(session):
        await session.execute(text(f"SET LOCAL work_mem = '{int(megabytes)}MB'"))


def create_engine(url: str, *, pool_size: int = 30, max_overflow: int = 10) -> AsyncEngine:
    if not is_sqlite(url):
        # No JIT compilation on PostgreSQL: the API's statements are short index lookups and
        # grouped counts, for which compiling costs more than it saves (≈ 33 ms of the round
        # report's plan at 2 million nominations, and nothing gained on any list).
        # A request holds its connection until it ends: with fewer pooled connections than
        # requests in flight, the overflow ones are opened and closed again all the time.
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            connect_args={"server_settings": {"jit": "off"}},
        )
        event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
        return engine
    engine = create_async_engine(
        url,
        # Reads run on the event loop's thread, writes on the connection's own (sqlite_driver).
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        pool_size=10,
        max_overflow=20,
        module=OneHopDBAPI() if make_url(url).get_driver_name() == "aiosqlite" else None,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _configure_sqlite(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, so a closed meeting's sealed ballots do not
        # linger in free space of the file (see services/meetings/scrub.py).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _before_transaction(conn, _cursor, _statement, _parameters, context, _many) -> None:
        if context is not None and context.execution_options.get(BEFORE_TRANSACTION):
            driver = conn.connection.dbapi_connection
            if isinstance(driver, OneHopConnection):
                driver.run_next_before_begin()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn) -> None:
        # A snapshot for a read-only request: no lock taken, nobody waits for it. Otherwise:
        # a deferred transaction that reads and then writes can fail with SQLITE_BUSY without
        # waiting; taking the write lock up front makes concurrent requests queue instead.
        begin = READ_BEGIN if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE"
        driver = conn.connection.dbapi_connection
        if isinstance(driver, OneHopConnection):
            driver.begin(begin)  # sent with the transaction's first statement
        else:
            conn.exec_driver_sql(begin)

    return engine


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_reads(session: Session, _context, _instances) -> None:
    if not session.info.get(READ_ONLY):
        return
    changed = [o for o in session.dirty if session.is_modified(o)]
    if session.new or session.deleted or changed:
        raise WriteInReadOnlyTransaction(
            "a read-only request flushed a change; make the route a POST, PUT, PATCH or DELETE"
        )


class Database:
    """The process's engine and session factory, built from the settings once."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.resolved_database_url
        if is_sqlite(self.url):
            settings.var_dir.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(
            self.url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # Sessions of read-only requests (GET, HEAD): a deferred transaction on SQLite; on
        # PostgreSQL no transaction at all. There each statement sees its own snapshot under
        # READ COMMITTED inside a transaction too, so BEGIN and COMMIT would only add two round
        # trips to every read.
        read_options: dict[str, Any] = {READ_ONLY: True}
        if not is_sqlite(self.url):
            read_options["isolation_level"] = "AUTOCOMMIT"
        self.read_sessionmaker = async_sessionmaker(
            self.engine.execution_options(**read_options),
            expire_on_commit=False,
            info={READ_ONLY: True},
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session committed on success, rolled back on error (for CLI and start-up jobs)."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()


async def truncate_wal(engine: AsyncEngine) -> bool:
    """Checkpoint SQLite's WAL into the database file and truncate it to zero bytes; False
    when a reader held it. Nothing to do (True) on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return True
    async with engine.connect() as conn:
        # The raw connection: outside SQLAlchemy's transaction (a checkpoint inside one could
        # not truncate the WAL).
        raw = await conn.get_raw_connection()
        cursor = await raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _, _ = await cursor.fetchone()
        await cursor.close()
    return not busy
