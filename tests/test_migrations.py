"""The models and the migrations agree; migrations go down and up; the audit log is append-only."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.migrations_info import alembic_config
from app.core.principal import SYSTEM
from app.models import Base
from app.services import audit


async def test_models_match_the_migrations(app):
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with app.state.db.engine.connect() as conn:
        differences = await conn.run_sync(diff)

    assert differences == []


def test_downgrade_to_base_and_upgrade_again(settings, is_postgres):
    if is_postgres:
        pytest.skip("the shared PostgreSQL database serves the other tests of this run")
    cfg = alembic_config(settings.database_url)
    cfg.attributes["configure_logger"] = False

    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")


async def test_audit_log_refuses_update_and_delete(app):
    async with app.state.db.sessionmaker() as session:
        entry_id = (await audit.record(session, SYSTEM, "test.done", "test", 1)).id
        await session.commit()
        for sql in (
            f"UPDATE audit_log SET action = 'forged' WHERE id = {entry_id}",
            f"DELETE FROM audit_log WHERE id = {entry_id}",
        ):
            with pytest.raises(DBAPIError, match="append-only"):
                await session.execute(text(sql))
            await session.rollback()
        kept = await session.scalar(text(f"SELECT action FROM audit_log WHERE id = {entry_id}"))
    assert kept == "test.done"
