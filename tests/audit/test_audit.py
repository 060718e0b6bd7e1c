"""Audit entries and events are written in the caller's transaction."""

import pytest
from sqlalchemy import func, select, text

from app.core.principal import SYSTEM
from app.models import AuditEntry, Event
from app.services import audit
from tests.factories_events import event_data


async def test_audit_and_event_vanish_with_a_rolled_back_change(app):
    async with app.state.db.sessionmaker() as session:
        await audit.record(session, SYSTEM, "thing.changed", "thing", 1)
        await audit.emit(session, "dossier.created", "dossier", 1, event_data("dossier.created"))
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_events_take_the_ordering_lock_on_postgres(app, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite admits one writer at a time: ids are committed in order anyway")
    async with app.state.db.sessionmaker() as session:
        await audit.emit(session, "dossier.created", "dossier", 1, event_data("dossier.created"))
        held = await session.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND objid = :key AND pid = pg_backend_pid()"
            ),
            {"key": audit.EVENT_ORDER_LOCK},
        )
        await session.rollback()
    assert held == 1
