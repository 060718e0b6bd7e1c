"""Test harness: the real migrations, a fresh database per test, the app over ASGI.

The suite runs in parallel (pytest-xdist, `-n auto` in pyproject); each worker is a process of
its own with its own temporary directory, template and database; `-n 0` runs in one process.

SQLite (default): migrations run once per worker into a template file that each test copies.
PostgreSQL (`TDKT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres`):
each worker creates its own database, migrates it once, and before each test empties the tables
that hold rows (see tests/postgres.py).

The app is imported inside the fixtures, not here: the xdist controller loads this file too and
runs no test, and importing the app costs it seconds before any worker starts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import httpx

    from app.core.config import Settings

PG_URL = os.environ.get("TDKT_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-" + "x" * 40


def _migrate(url: str) -> None:
    from alembic import command

    from app.core.migrations_info import alembic_config

    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def pytest_sessionstart(session) -> None:
    # In the xdist controller (or the only process), before the workers start: the databases
    # that killed runs left behind. Workers create and drop their own.
    if PG_URL and not hasattr(session.config, "workerinput"):
        from tests import postgres

        postgres.drop_abandoned_databases(PG_URL)


def pytest_unconfigure(config) -> None:
    # After the workers are gone: those that an interrupt (Ctrl-C) stopped before their
    # teardown leave their databases behind.
    if PG_URL and not hasattr(config, "workerinput"):
        from tests import postgres

        postgres.drop_abandoned_databases(PG_URL)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> AsyncIterator[str]:
    """Migrate once per worker: a SQLite template file (under the worker's own temporary
    directory), or a PostgreSQL database of the worker's own, dropped at the end."""
    if PG_URL:
        from tests import postgres

        name = postgres.new_database_name()
        url = postgres.create_database(PG_URL, name)
        try:
            _migrate(url)
            postgres.check_tables(url)
            yield url
        finally:
            postgres.drop_database(PG_URL, name)
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite+aiosqlite:///{path}")
    yield str(path)


@pytest.fixture
def settings(database_template: str, tmp_path: Path) -> Settings:
    from app.core.config import Settings

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
    from app.api import openapi
    from app.core.config import Settings
    from app.main import create_app

    # Every answer a route sends is compared with its declaration in the OpenAPI document.
    openapi.check_sent_headers_enabled = True
    placeholder = Settings(
        env="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('unused')}/unused.db",
        jwt_secret=TEST_SECRET,
        load_reference_data=False,
    )
    return create_app(placeholder, configure_logs=False)


@pytest.fixture
async def app(_application, settings: Settings):
    from app.core.db import Database
    from app.core.security import TokenCodec
    from app.services.public.throttle import RequestThrottle

    _application.state.settings = settings
    _application.state.db = Database(settings)
    _application.state.tokens = TokenCodec(settings)
    _application.state.public_throttle = RequestThrottle(settings.public_requests_per_minute)
    if PG_URL:
        from tests import postgres

        await postgres.reset(_application.state.db.engine)
    yield _application
    await _application.state.db.dispose()
    from app.api.openapi import drift

    undeclared, drift[:] = list(drift), []
    assert not undeclared, f"answers that disagree with the OpenAPI document: {undeclared}"


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    import httpx

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


@pytest.fixture
def scratch_database_url(tmp_path: Path):
    """An empty database of the test's own, for walking migrations up and down: a SQLite file,
    or a new database on the PostgreSQL server of the run (dropped afterwards)."""
    if not PG_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}"
        return
    from tests import postgres

    name = postgres.new_database_name()
    url = postgres.create_database(PG_URL, name)
    try:
        yield url
    finally:
        postgres.drop_database(PG_URL, name)


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
