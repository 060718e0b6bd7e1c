"""Two writers that lock the same rows in opposite order deadlock on PostgreSQL; the server
aborts one of them. The request that loses answers 409 `concurrent_update` with Retry-After,
and nothing it did stays: not its change, not its audit entry."""

import asyncio

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import func, select, text

from app.api.deps import SessionDep
from app.api.routing import TransactionalRoute
from app.core.principal import NOI_VU, Principal
from app.main import create_app
from app.models import AuditEntry, Unit
from app.services import audit
from tests.factories import make_unit

RENAME = text("UPDATE units SET name = :name WHERE id = :id")


def _app_with_a_route_that_locks(settings, first_id: int, second_id: int, gate: dict):
    """The application, plus one route that changes two units (with an audit entry) and waits
    between the two until the test has the other connection waiting on the first unit."""
    app = create_app(settings, configure_logs=False)
    router = APIRouter(route_class=TransactionalRoute)

    @router.post("/test-only/rename-two-units")
    async def rename_two_units(session: SessionDep) -> dict:
        # This transaction finds the deadlock first, so it is the one PostgreSQL aborts.
        await session.execute(text("SET LOCAL deadlock_timeout = '100ms'"))
        first = await session.get(Unit, first_id)
        first.name = "Đổi bởi yêu cầu"
        actor = Principal(role=NOI_VU, user_id=None, service_token_id=1, username="test")
        await audit.record(session, actor, "unit.updated", "unit", first_id)
        await session.flush()  # holds the first unit's row lock until the end
        gate["first_locked"].set()
        await gate["other_waiting"].wait()
        second = await session.get(Unit, second_id)
        second.name = "Đổi bởi yêu cầu"
        await session.flush()  # waits for the other transaction, which waits for this one
        return {"renamed": 2}

    app.include_router(router)
    return app


async def _wait_until_blocked(engine, pid: int) -> None:
    async with engine.connect() as watcher:
        for _ in range(200):
            state = await watcher.scalar(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid},
            )
            await watcher.rollback()
            if state == "Lock":
                return
            await asyncio.sleep(0.05)
    raise AssertionError("the other transaction never waited for the row lock")


async def test_a_deadlocked_write_answers_409_and_keeps_nothing(
    app, session, settings, is_postgres
):
    if not is_postgres:
        pytest.skip("SQLite serialises writers; it has no deadlock to detect")
    first, second = await make_unit(session), await make_unit(session)
    names = {first.id: first.name, second.id: second.name}
    first_id = first.id
    await session.commit()
    gate = {"first_locked": asyncio.Event(), "other_waiting": asyncio.Event()}
    locking = _app_with_a_route_that_locks(settings, first.id, second.id, gate)
    transport = httpx.ASGITransport(app=locking, raise_app_exceptions=False)
    engine = app.state.db.engine
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
            engine.connect() as other,
        ):
            await other.execute(text("SET LOCAL deadlock_timeout = '20s'"))
            request = asyncio.create_task(client.post("/test-only/rename-two-units"))
            await asyncio.wait_for(gate["first_locked"].wait(), 20)
            # The other writer takes the second unit, then asks for the first: it waits.
            await other.execute(RENAME, {"name": "Đổi bởi người khác", "id": second.id})
            pid = await other.scalar(text("SELECT pg_backend_pid()"))
            blocked = asyncio.create_task(
                other.execute(RENAME, {"name": "Đổi bởi người khác", "id": first.id})
            )
            await _wait_until_blocked(engine, pid)
            gate["other_waiting"].set()
            answer = await asyncio.wait_for(request, 30)
            # The request's transaction was rolled back: the other writer gets the first unit.
            await asyncio.wait_for(blocked, 30)
            await other.rollback()
    finally:
        await locking.state.db.dispose()

    assert answer.status_code == 409, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["retry-after"] == "1"
    problem = answer.json()
    assert problem["code"] == "concurrent_update"
    assert problem["detail"] == "Dữ liệu vừa được người khác thay đổi, vui lòng thử lại"
    # Nothing half-saved: neither unit renamed (the other writer rolled back too), no audit.
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(names))))
    stored = dict(rows.all())
    assert stored == names
    audited = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_id == first_id)
    )
    assert audited == 0
