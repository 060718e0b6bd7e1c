"""The values of the old `rule_values` table become dated rows of the one table (an amendment
waiting for its day becomes two rows), the award types' vote thresholds become dated rule
values of the council's rules, and going back restores both. Run on a database of its own, on
SQLite and on PostgreSQL alike."""

import asyncio
from datetime import date

from alembic import command
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.core.migrations_info import alembic_config
from app.models import AwardType

BEFORE = "20261209_event_units"
HERE = "20261209_one_rule_values_table"
COUNCIL = "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng tỉnh (Kế hoạch 2026, nhiệm vụ I.7)"


async def _run(url: str, *statements, rows: bool = False):
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            result = None
            for statement in statements:
                result = await conn.execute(statement)
            return [tuple(r) for r in result] if rows else None
    finally:
        await engine.dispose()


def _query(url: str, sql: str) -> list[tuple]:
    return asyncio.run(_run(url, text(sql), rows=True))


def _seed(url: str) -> None:
    asyncio.run(_run(
        url,
        # Amended at once (no date), and amended from a later day (the value before kept).
        text("UPDATE rule_values SET value = 10, legal_basis = 'Quyết định 1/2026', version = 2 "
             "WHERE key = 'appraisal_working_days'"),
        text("UPDATE rule_values SET value = 75, previous_value = 70, "
             "effective_from = '2099-01-01', legal_basis = 'Quyết định 99/QĐ-HĐTĐKT', "
             "version = 3 WHERE key = 'award_quorum_percent'"),
        insert(AwardType.__table__).values(
            code="co_thi_dua_ubnd_tinh", position=1, name="Cờ thi đua của UBND tỉnh",
            level="provincial", recipient="collective", decided_by="Chủ tịch UBND tỉnh",
            council_vote={"required": True, "threshold_percent": 85, "base": "all_members"},
            required_documents=[], criteria=[], legal_basis="", needs_public_disclosure=False,
            active=True, version=1,
        ),
    ))  # fmt: skip


def _check_both_ways(url: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, BEFORE)
    _seed(url)

    command.upgrade(cfg, HERE)
    dated = {
        (key, str(since)): (value, bool(verified))
        for key, since, value, verified in _query(
            url, "SELECT key, effective_from, value, verified FROM dated_rule_values"
        )
    }
    votes = _query(url, "SELECT council_vote FROM award_types")
    command.downgrade(cfg, BEFORE)
    restored = {
        key: (value, None if since is None else str(since), previous)
        for key, value, since, previous in _query(
            url, "SELECT key, value, effective_from, previous_value FROM rule_values"
        )
    }
    vote_back = _query(url, "SELECT council_vote FROM award_types")
    left = _query(url, "SELECT key FROM dated_rule_values WHERE unit NOT IN ('dong', 'multiple')")

    assert dated[("appraisal_working_days", "2024-01-01")] == (10, True)
    assert dated[("award_quorum_percent", "2024-01-01")] == (70, True)
    assert dated[("award_quorum_percent", "2099-01-01")] == (75, True)
    # Never amended, the council's quorum still waits for its rules: unverified.
    assert dated[("quorum_percent", "2024-01-01")] == (66.67, False)
    assert dated[("return_working_days", "2024-01-01")] == (5, True)
    assert dated[("council_vote_threshold_percent.co_thi_dua_ubnd_tinh", "2024-01-01")] == (
        85,
        False,
    )
    assert "threshold_percent" not in str(votes[0][0])
    assert restored["appraisal_working_days"] == (10, None, None)
    assert restored["award_quorum_percent"] == (75, "2099-01-01", 70)
    assert restored["quorum_percent"] == (66.67, None, None)
    assert '"threshold_percent": 85' in str(vote_back[0][0]).replace("'", '"')
    assert left == []
    assert any(COUNCIL in basis for (basis,) in _query(url, "SELECT legal_basis FROM rule_values"))
    command.upgrade(cfg, "head")


def test_rule_values_move_into_the_one_table_and_back(scratch_database_url):
    _check_both_ways(scratch_database_url)


def test_the_start_date_is_the_one_the_service_ships():
    from app.services.rule_values.defaults import SHIPPED_FROM

    assert SHIPPED_FROM == date(2024, 1, 1)
