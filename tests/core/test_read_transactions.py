"""Reads do not queue behind writers: a GET's transaction never takes SQLite's write lock, and
a read-only request cannot write."""

import asyncio

import pytest
from sqlalchemy import text

from app.core.db import WriteInReadOnlyTransaction
from app.models import Unit
from tests.factories import signed_in


async def test_a_read_answers_while_a_writer_holds_the_write_lock(
    app, client, session, is_postgres
):
    _, headers = await signed_in(app, session)
    async with app.state.db.engine.connect() as writer:
        # A request that writes has begun (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL)
        # and has not committed yet.
        await writer.execute(text("UPDATE users SET full_name = full_name WHERE id > 0"))
        me = await asyncio.wait_for(client.get("/api/v1/auth/me", headers=headers), timeout=5)
        units = await asyncio.wait_for(client.get("/api/v1/units", headers=headers), timeout=5)
        await writer.rollback()

    assert me.status_code == 200 and units.status_code == 200


async def test_writers_still_queue_behind_each_other(app, client, session, is_postgres):
    if is_postgres:
        pytest.skip("PostgreSQL queues writers by row locks, not by a database-wide lock")
    _, headers = await signed_in(app, session)
    async with app.state.db.engine.connect() as writer:
        await writer.execute(text("UPDATE users SET full_name = full_name WHERE id > 0"))
        create = asyncio.ensure_future(
            client.post(
                "/api/v1/units",
                headers=headers,
                json={"code": "Q1", "name": "Đơn vị xếp hàng", "aliases": []},
            )
        )
        await asyncio.sleep(0.5)
        assert not create.done()  # the second writer waits for the lock...
        await writer.commit()
    assert (await asyncio.wait_for(create, timeout=10)).status_code == 201  # ...then goes


async def test_a_read_only_session_refuses_to_flush_a_change(app):
    async with app.state.db.read_sessionmaker() as session:
        session.add(Unit(code="RO1", name="Không được ghi", kind="department", aliases=[]))
        with pytest.raises(WriteInReadOnlyTransaction):
            await session.flush()


async def test_trips_to_the_sqlite_thread_per_request(
    app, client, session, is_postgres, monkeypatch
):
    """A trip to SQLite's connection thread costs more than a short statement's own work: a
    read-only request makes none (its snapshot reads run on the event loop's thread, as does
    its caller's lookup), a write takes its statements and its COMMIT to the thread, where
    waiting for the write lock blocks no other request."""
    if is_postgres:
        pytest.skip("SQLite's connection thread")
    import aiosqlite.core

    _, headers = await signed_in(app, session)
    units = await client.get("/api/v1/units", headers=headers)  # warm: the pool has a connection
    assert units.status_code == 200
    trips = []
    execute = aiosqlite.core.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        trips.append(getattr(fn, "__qualname__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    created = await client.post(
        "/api/v1/units", headers=headers, json={"code": "T1", "name": "Ghi", "aliases": []}
    )
    assert created.status_code == 201
    # the INSERT (with BEGIN IMMEDIATE), its audit and event rows, the COMMIT: in the thread
    assert len(trips) >= 2, trips
    trips.clear()
    me = await client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200
    listed = await client.get("/api/v1/units", headers=headers)
    assert listed.status_code == 200 and listed.json()["total"] == 1
    one = await client.get(f"/api/v1/units/{created.json()['id']}", headers=headers)
    assert one.status_code == 200 and one.json()["name"] == "Ghi"
    assert trips == []


async def test_a_read_on_postgresql_opens_no_transaction(
    app, client, session, is_postgres, monkeypatch
):
    """On PostgreSQL a read-only request's statements run without BEGIN and COMMIT (each sees
    its own snapshot under READ COMMITTED anyway): one round trip per statement. A write
    still runs in one transaction."""
    if not is_postgres:
        pytest.skip("asyncpg's transactions")
    import asyncpg.transaction

    _, headers = await signed_in(app, session)
    started = []
    start = asyncpg.transaction.Transaction.start

    async def counted(self):
        started.append(self)
        return await start(self)

    monkeypatch.setattr(asyncpg.transaction.Transaction, "start", counted)
    me = await client.get("/api/v1/auth/me", headers=headers)
    listed = await client.get("/api/v1/units", headers=headers)
    assert me.status_code == 200 and listed.status_code == 200
    assert started == []
    created = await client.post(
        "/api/v1/units", headers=headers, json={"code": "T2", "name": "Ghi", "aliases": []}
    )
    assert created.status_code == 201 and len(started) == 1
    one = await client.get(f"/api/v1/units/{created.json()['id']}", headers=headers)
    assert one.status_code == 200 and len(started) == 1


def test_fastapi_telemetry_is_off_unless_asked_for(tmp_path):
    """Without configured providers FastAPI's OpenTelemetry records nothing, yet every request
    would look the providers up: it is off by default and on with TDKT_OPENTELEMETRY."""
    from app.core.config import Settings
    from app.main import create_app

    url = f"sqlite+aiosqlite:///{tmp_path / 'tdkt.db'}"
    off = create_app(Settings(database_url=url, var_dir=tmp_path), configure_logs=False)
    on = create_app(
        Settings(database_url=url, var_dir=tmp_path, opentelemetry=True), configure_logs=False
    )
    assert not any(off._telemetry[k] for k in ("tracing", "metrics", "logs", "operation_spans"))
    assert all(on._telemetry[k] for k in ("tracing", "metrics", "logs", "operation_spans"))
