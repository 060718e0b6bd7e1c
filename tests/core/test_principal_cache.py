"""On PostgreSQL an API process keeps the callers' rows it read, and forgets them the moment
the database announces a change of `users` or `role_grants`, whoever made it: the API in this
process, the API in another process, or a script writing SQL. A caller deactivated anywhere is
refused at once everywhere."""

import asyncio

import httpx
import pytest
from sqlalchemy import event, text

from app.core.principal_cache import ChangeListener
from tests.factories import auth, etag_version, make_user, signed_in
from tests.live_server import free_port, start_server, stop, wait_ready


@pytest.fixture
async def listening(app, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite keeps no caller rows (its read is cheaper than the bookkeeping)")
    listener = ChangeListener(app.state.db.url, app.state.principals)
    await listener.start()
    yield app.state.principals
    await listener.stop()


def _statements(app) -> list[str]:
    seen: list[str] = []

    @event.listens_for(app.state.db.engine.sync_engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    return seen


async def _deactivate(client, admin: dict[str, str], user_id: int) -> None:
    """Sở Nội vụ deactivates the account through the API (as it would, with If-Match)."""
    read = await client.get(f"/api/v1/users/{user_id}", headers=admin)
    off = await client.patch(
        f"/api/v1/users/{user_id}",
        headers={**admin, "If-Match": f'"{etag_version(read)}"'},
        json={"active": False},
    )
    assert off.status_code == 200


async def test_a_kept_caller_costs_no_statement_until_a_script_changes_it(
    app, client, session, listening
):
    user, headers = await signed_in(app, session)
    for _ in range(2):  # read (and the account's creation announced meanwhile), then kept
        assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    seen = _statements(app)
    me = await client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["username"] == user.username
    assert seen == []  # the caller's row was kept

    # A script (not the API) deactivates the account with plain SQL and commits.
    async with app.state.db.engine.begin() as conn:
        await conn.execute(text("UPDATE users SET active = false WHERE id = :id"), {"id": user.id})
    refused = await client.get("/api/v1/auth/me", headers=headers)
    assert refused.status_code == 401


async def test_a_rolled_back_change_forgets_nothing_that_matters(app, client, session, listening):
    _, headers = await signed_in(app, session)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    async with app.state.db.engine.connect() as conn:
        await conn.execute(text("UPDATE users SET active = false"))
        await conn.rollback()
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200


async def test_a_change_through_the_api_is_refused_at_once_in_this_process(
    app, client, session, listening
):
    admin = auth(app, await make_user(session))
    user, headers = await signed_in(app, session)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    await _deactivate(client, admin, user.id)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_a_second_process_refuses_a_caller_deactivated_in_the_first(
    app, client, session, settings, listening
):
    """Two API processes on one database: the second keeps the caller's row, the first
    deactivates the account, the second refuses the caller's very next request."""
    admin = auth(app, await make_user(session))
    user, headers = await signed_in(app, session)
    port = free_port()
    server = start_server(settings, port)
    try:
        wait_ready(server, port, "/readyz")
        second = f"http://127.0.0.1:{port}/api/v1"
        async with httpx.AsyncClient(timeout=30) as other:
            for _ in range(3):  # read, then kept
                assert (await other.get(f"{second}/auth/me", headers=headers)).status_code == 200
            await _deactivate(client, admin, user.id)
            assert (await other.get(f"{second}/auth/me", headers=headers)).status_code == 401
    finally:
        stop(server)


async def test_a_process_that_stops_hearing_the_database_keeps_nothing(
    app, client, session, listening
):
    """Its listening connection cut (a restart, an administrator): no change could reach the
    process, so it keeps no row until it listens again, and a change made meanwhile counts."""
    user, headers = await signed_in(app, session)
    for _ in range(2):
        assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    async with app.state.db.engine.begin() as conn:
        await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()"
            )
        )
    for _ in range(200):  # the cut reaches the process as its socket closes
        if not listening.listening:
            break
        await asyncio.sleep(0.01)
    assert not listening.listening
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    async with app.state.db.engine.begin() as conn:
        await conn.execute(text("UPDATE users SET active = false WHERE id = :id"), {"id": user.id})
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
