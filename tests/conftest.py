"""Test harness: the real migrations, a fresh database per test, the app over ASGI.

SQLite (default): migrations run once into a template file that each test copies.
PostgreSQL (`TDKT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres`):
the run creates its own database, migrates it once, and empties every table between tests.
"""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import Database, create_engine
from app.core.migrations_info import alembic_config
from app.core.security import TokenCodec
from app.main import create_app
from app.models import Base

PG_URL = os.environ.get("TDKT_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-" + "x" * 40


def _migrate(url: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


async def _pg_admin(url: str, sql: str) -> None:
    engine = create_engine(url)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(sql))
    await engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> AsyncIterator[str]:
    """Migrate once: a SQLite template file, or a PostgreSQL database of this run's own."""
    if PG_URL:
        name = f"tdkt_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin_url = make_url(PG_URL)
        asyncio.run(_pg_admin(str(admin_url), f'CREATE DATABASE "{name}"'))
        url = admin_url.set(database=name).render_as_string(hide_password=False)
        _migrate(url)
        yield url
        asyncio.run(_pg_admin(str(admin_url), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite+aiosqlite:///{path}")
    yield str(path)


def _truncate_sql() -> str:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    return f"TRUNCATE {tables} RESTART IDENTITY CASCADE"


@pytest.fixture
def settings(database_template: str, tmp_path: Path) -> Settings:
    if PG_URL:
        url = database_template
    else:
        db_file = tmp_path / "tdkt.db"
        shutil.copyfile(database_template, db_file)
        url = f"sqlite+aiosqlite:///{db_file}"
    return Settings(
        env="test",
        database_url=url,
        var_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,
        load_reference_data=False,
        admin_password="admin-password-123",
        log_level="WARNING",
    )


@pytest.fixture(scope="session")
def _application(tmp_path_factory):
    """One app for the run: FastAPI prepares its routes on the first request, which costs far
    more than a test; each test gets the app with its own settings and database."""
    placeholder = Settings(
        env="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('unused')}/unused.db",
        jwt_secret=TEST_SECRET,
        load_reference_data=False,
    )
    return create_app(placeholder, configure_logs=False)


@pytest.fixture
async def app(_application, settings: Settings):
    _application.state.settings = settings
    _application.state.db = Database(settings)
    _application.state.tokens = TokenCodec(settings)
    if PG_URL:
        async with _application.state.db.engine.begin() as conn:
            await conn.execute(text(_truncate_sql()))
    yield _application
    await _application.state.db.dispose()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def session(app):
    """A session for arranging data directly; commit what you make before calling the API."""
    async with app.state.db.sessionmaker() as s:
        yield s


@pytest.fixture
def is_postgres() -> bool:
    return bool(PG_URL)


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter:` counts the SQL statements the app sends meanwhile."""
    from contextlib import contextmanager

    from sqlalchemy import event

    engine = app.state.db.engine.sync_engine

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                counter.count += 1
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
