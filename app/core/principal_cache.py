"""The callers' rows, kept per process on PostgreSQL while the database says nothing changed.

Every request reads its caller's row (active, token version, role and scope). On PostgreSQL
that read is a round trip through the pool and the driver, the larger part of a short request.
An API process keeps the rows it read, and forgets all of them:
- when the database announces a change to `users` or `role_grants` (a statement trigger sends
  `NOTIFY tdkt_principals` at commit, whoever wrote: this process, another one, a script);
- when this process commits any write (its own change is forgotten before it answers);
- while it is not listening: rows are kept only while the listening connection is open, and
  the cache starts empty each time it (re)connects.
A row read before a change and stored after it is not kept (`generation`).

The change reaches another process as soon as PostgreSQL delivers the notification, which it
does at the writer's commit, before the writer answers its client. SQLite keeps nothing: its
read is a statement on the event loop's own thread, cheaper than any bookkeeping.
"""

import asyncio
import logging
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.db import READ_ONLY

CHANNEL = "tdkt_principals"
RECONNECT_SECONDS = 1.0
log = logging.getLogger("tdkt.principals")


class PrincipalCache:
    """Caller rows by (user, grant): kept only while `listening`."""

    def __init__(self) -> None:
        self._rows: dict[Any, Any] = {}
        self.generation = 0
        self.listening = False

    def get(self, key: Any) -> Any:
        return self._rows.get(key) if self.listening else None

    def put(self, key: Any, row: Any, generation: int) -> None:
        """Keep `row`, read when the cache was at `generation`, unless something changed."""
        if self.listening and generation == self.generation:
            self._rows[key] = row

    def forget(self, *_: Any) -> None:
        self._rows.clear()
        self.generation += 1


_caches: list[PrincipalCache] = []


@event.listens_for(Session, "after_commit")
def _forget_after_a_write(session: Session) -> None:
    """A write committed in this process may have changed a caller: forget before answering."""
    if not session.info.get(READ_ONLY):
        for cache in _caches:
            cache.forget()


class ChangeListener:
    """Holds one connection of its own that LISTENs for changes of the callers' tables."""

    def __init__(self, database_url: str, cache: PrincipalCache) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._cache = cache
        self._task: asyncio.Task | None = None
        self._lost = asyncio.Event()

    async def start(self) -> None:
        _caches.append(self._cache)
        connection = await self._connect()  # the first one before serving, or nothing kept
        self._task = asyncio.create_task(self._hold(connection))

    async def stop(self) -> None:
        self._stop_listening()
        if self._cache in _caches:
            _caches.remove(self._cache)
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def _stop_listening(self, *_: Any) -> None:
        self._cache.listening = False
        self._cache.forget()
        self._lost.set()

    async def _connect(self) -> asyncpg.Connection | None:
        try:
            connection = await asyncpg.connect(self._dsn)
            connection.add_termination_listener(self._stop_listening)
            await connection.add_listener(CHANNEL, self._cache.forget)
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("not listening for caller changes: %s", error)
            return None
        self._lost.clear()
        self._cache.forget()
        self._cache.listening = True
        return connection

    async def _hold(self, connection: asyncpg.Connection | None) -> None:
        try:
            while True:
                if connection is not None:
                    await self._lost.wait()
                    await _close(connection)
                await asyncio.sleep(RECONNECT_SECONDS)
                connection = await self._connect()
        except asyncio.CancelledError:
            if connection is not None:
                await _close(connection)
            raise


async def _close(connection: asyncpg.Connection) -> None:
    if not connection.is_closed():
        try:
            await connection.close(timeout=1)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            connection.terminate()
