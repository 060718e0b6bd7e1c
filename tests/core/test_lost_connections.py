"""The API keeps answering after the database server dropped its connections (a restart, an
administrator ending sessions): the pool hands out no connection the server has closed."""

import asyncio

import pytest
from sqlalchemy import text

from tests.factories import signed_in


async def test_requests_after_the_server_ended_every_pooled_connection(
    app, client, session, is_postgres
):
    if not is_postgres:
        pytest.skip("SQLite has no server to lose")
    _, headers = await signed_in(app, session)
    await session.close()
    # Several connections in the pool, idle.
    answers = await asyncio.gather(
        *(client.get("/api/v1/auth/me", headers=headers) for _ in range(4))
    )
    assert [a.status_code for a in answers] == [200] * 4

    async with app.state.db.engine.connect() as admin:
        ended = await admin.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        await admin.rollback()
        await admin.invalidate()  # this one too, as a restart would
    assert ended >= 1
    await asyncio.sleep(0.3)  # the server's goodbye reaches the idle connections

    answers = await asyncio.gather(
        *(client.get("/api/v1/auth/me", headers=headers) for _ in range(6))
    )
    assert [a.status_code for a in answers] == [200] * 6
