"""PostgreSQL for the suite: a database of each test process's own, and a cheap reset.

Every pytest process (each xdist worker, or the single process under `-n 0`) creates a database
named after its worker id and pid, migrates it once and drops it at the end. A run killed before
its teardown leaves its database behind: the next run on this machine drops the databases whose
process is gone.

Each test starts from the state the suite has always given it on PostgreSQL: every model table
empty (the rows the migrations seed included) and every id sequence at its start. The reset no
longer truncates every table: it looks at the data, so writes from any connection or process
count (a second API process, a rolled-back transaction), deletes the rows of the tables that
have any, and restarts the sequences that moved. DELETE rather than TRUNCATE: TRUNCATE rebuilds
each table and index in new files (several milliseconds of disk work apiece) and must take every
referencing table with it, most of the schema behind `units`; deleting a test's few rows costs
next to nothing.
"""

import asyncio
import os
import re
import uuid
from functools import cache

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

PREFIX = "tdkt_test_"
# tdkt_test_<worker>_<pid>_<hex>; runs from before the worker id had tdkt_test_<pid>_<hex>.
_OWN_NAME = re.compile(r"^tdkt_test_(?:(?:gw\d+|main)_)?(\d+)_[0-9a-f]{6}$")
_LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}

# One round trip, one transaction, tables children first so that no DELETE trips a foreign key.
# audit_log refuses DELETE by trigger (it is append-only): the trigger is off only inside this
# transaction, which no other connection sees. A rolled-back INSERT moves a sequence and leaves
# no row: every sequence that moved starts again. Nothing here needs to survive a crash, so the
# commit does not wait for the disk.
_RESET_SQL = """
DO $reset$
DECLARE
    tbl text;
    has_rows boolean;
    seq record;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    FOREACH tbl IN ARRAY ARRAY[{tables}] LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', tbl) INTO has_rows;
        CONTINUE WHEN NOT has_rows;
        IF tbl = 'audit_log' THEN
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            DELETE FROM audit_log;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
        ELSE
            EXECUTE format('DELETE FROM %I', tbl);
        END IF;
    END LOOP;
    FOR seq IN
        SELECT schemaname, sequencename, start_value FROM pg_sequences
        WHERE schemaname = current_schema() AND last_value IS NOT NULL
    LOOP
        PERFORM setval(format('%I.%I', seq.schemaname, seq.sequencename), seq.start_value, false);
    END LOOP;
END
$reset$
"""


@cache
def _tables_children_first() -> tuple[str, ...]:
    from app.models import Base

    return tuple(table.name for table in reversed(Base.metadata.sorted_tables))


@cache
def _reset_sql() -> str:
    return _RESET_SQL.format(tables=", ".join(f"'{t}'" for t in _tables_children_first()))


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def new_database_name() -> str:
    return f"{PREFIX}{worker_id()}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _admin(url: str | URL, *statements: str) -> list[list[tuple]]:
    """Run statements outside a transaction (CREATE and DROP DATABASE need that)."""

    async def run() -> list[list[tuple]]:
        engine = create_async_engine(url, poolclass=NullPool)
        results = []
        try:
            async with engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                for sql in statements:
                    result = await conn.execute(text(sql))
                    results.append([tuple(r) for r in result] if result.returns_rows else [])
        finally:
            await engine.dispose()
        return results

    return asyncio.run(run())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_abandoned_databases(server_url: str) -> list[str]:
    """Drop the test databases of runs on this machine whose process no longer exists."""
    host = make_url(server_url).host
    if host not in _LOCAL_HOSTS and not host.startswith("/"):
        return []  # another machine's processes cannot be checked from here
    (rows,) = _admin(server_url, f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'")
    abandoned = [
        name for (name,) in rows if (match := _OWN_NAME.match(name)) and not _alive(int(match[1]))
    ]
    if abandoned:
        _admin(server_url, *(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in abandoned))
    return abandoned


def create_database(server_url: str, name: str) -> str:
    """Create the database `name` on the server and return its URL."""
    _admin(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_tables(url: str) -> None:
    """The reset empties the models' tables: a table the migrations add without a model would
    keep one test's rows for the next, so refuse to run instead."""
    (rows,) = _admin(url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    unknown = {t for (t,) in rows} - set(_tables_children_first()) - {"alembic_version"}
    if unknown:
        raise RuntimeError(
            f"tables without a model, which tests/postgres.py cannot reset: {unknown}"
        )


async def reset(engine: AsyncEngine) -> None:
    """Empty the tables that hold rows and restart the sequences that moved. Call at the start
    of a test, before anything else touches the database."""
    async with engine.begin() as conn:
        await conn.exec_driver_sql(_reset_sql())
