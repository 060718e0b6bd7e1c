"""Subscriptions stored before the event types were a closed list still read after migrating:
unknown codes are dropped, and one left with none is switched off rather than sent everything."""

import asyncio
import json

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.migrations_info import alembic_config
from tests.conftest import PG_URL

BEFORE = "20261208_signed_decisions"
INSERT = text(
    "INSERT INTO webhook_subscriptions (id, url, event_types, active, owner_role, secret, "
    "description, version, event_cursor) VALUES (:id, 'https://hooks.example.org/t', "
    ":types, true, 'noi_vu', 'whsec_x', :description, 1, 0)"
)


async def _run(url: str, *statements) -> list:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for statement, params in statements:
                await conn.execute(statement, params)
            rows = await conn.execute(
                text("SELECT id, event_types, active, description FROM webhook_subscriptions")
            )
            return sorted(rows.all())
    finally:
        await engine.dispose()


def test_unknown_event_types_are_dropped_and_an_emptied_subscription_is_switched_off(
    scratch_database_url,
):
    cfg = alembic_config(scratch_database_url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, BEFORE)
    typed = "CAST(:types AS JSONB)" if PG_URL else ":types"
    insert = text(str(INSERT).replace(":types", typed))
    rows = [
        {"id": 1, "types": ["dossier.returned", "dossier.retuned"], "description": "Di động"},
        {"id": 2, "types": ["hoso.moi"], "description": "Báo cáo"},
        {"id": 3, "types": [], "description": None},
    ]
    asyncio.run(
        _run(
            scratch_database_url, *((insert, {**r, "types": json.dumps(r["types"])}) for r in rows)
        )
    )

    command.upgrade(cfg, "head")
    after = asyncio.run(_run(scratch_database_url))

    def types(value):
        return json.loads(value) if isinstance(value, str) else value

    (one, two, three) = after
    assert types(one.event_types) == ["dossier.returned"] and one.active
    assert one.description == "Di động"
    assert types(two.event_types) == [] and not two.active
    assert "hoso.moi" in two.description and two.description.startswith("Báo cáo")
    assert types(three.event_types) == [] and three.active  # "every event", as it always meant
