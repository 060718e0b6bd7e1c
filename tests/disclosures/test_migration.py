"""The disclosures recorded before lists existed — one row per nomination — become lists of
that one nomination, with no deadline nor address (nobody recorded them); going back splits a
list into one disclosure per nomination."""

import asyncio
import sqlite3
from datetime import date

import pytest
from alembic import command
from sqlalchemy import select

from app.core.migrations_info import alembic_config
from app.models import Disclosure
from app.services.disclosures.lists import with_items
from tests.factories_council import HUAN_CHUONG, disclosure, eligible_nominations

BEFORE_LISTS = "20261208_holiday_updated_at"


async def test_disclosures_become_lists_of_one_and_back(app, session, settings, is_postgres):
    if is_postgres:
        pytest.skip("the shared PostgreSQL database serves the other tests of this run")
    first, second = await eligible_nominations(session, HUAN_CHUONG, 2)
    session.add(
        disclosure([first.id, second.id], date(2026, 12, 1), ends_on=date(2026, 12, 15),
                   feedback_to="tdkt@sonla.gov.vn", url="https://sonla.gov.vn/ck")
    )  # fmt: skip
    await session.commit()
    await session.close()
    await app.state.db.engine.dispose()
    cfg = alembic_config(settings.database_url)
    cfg.attributes["configure_logger"] = False
    path = settings.database_url.removeprefix("sqlite+aiosqlite:///")

    await asyncio.to_thread(command.downgrade, cfg, BEFORE_LISTS)
    with sqlite3.connect(path) as db:
        legacy = db.execute(
            "SELECT nomination_id, published_on, channel, url FROM disclosures ORDER BY 1"
        ).fetchall()
    await asyncio.to_thread(command.upgrade, cfg, "head")
    lists = list(await session.scalars(with_items(select(Disclosure)).order_by(Disclosure.id)))

    assert legacy == [
        (first.id, "2026-12-01", "Cổng thông tin điện tử tỉnh", "https://sonla.gov.vn/ck"),
        (second.id, "2026-12-01", "Cổng thông tin điện tử tỉnh", "https://sonla.gov.vn/ck"),
    ]
    assert sorted(d.nomination_ids for d in lists) == [[first.id], [second.id]]
    assert {(d.ends_on, d.feedback_to, d.version) for d in lists} == {(None, None, 1)}
    assert {d.title for d in lists} == {"Danh sách công khai đề nghị khen thưởng"}
