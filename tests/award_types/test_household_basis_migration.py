"""The household criterion of Bằng khen tỉnh stored before its basis was corrected: rewritten
where Sở Nội vụ never amended the award type's criteria, left alone where it did."""

import asyncio
import json

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.migrations_info import alembic_config
from tests.conftest import PG_URL

REVISION = "20261209_households_rest"
CODE = "bang_khen_chu_tich_ubnd_tinh"
OLD_BASIS = "Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Điều 74 khoản 3"


def _shipped() -> list:
    module = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(REVISION).module
    return module._with_basis(module.SHIPPED, OLD_BASIS)


async def _run(url: str, statement: str | None = None, params: dict | None = None) -> list:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            if statement:
                await conn.execute(text(statement), params or {})
            stored = await conn.scalar(
                text("SELECT criteria FROM award_types WHERE code = :code"), {"code": CODE}
            )
            return json.loads(stored) if isinstance(stored, str) else stored
    finally:
        await engine.dispose()


def _household(criteria: list) -> dict:
    return next(c for c in criteria if c.get("check") == "household_contribution")


def test_the_basis_is_corrected_only_where_never_amended(scratch_database_url):
    cfg = alembic_config(scratch_database_url)
    cfg.attributes["configure_logger"] = False
    before = ScriptDirectory.from_config(cfg).get_revision(REVISION).down_revision
    command.upgrade(cfg, before)
    cast = "CAST(:criteria AS JSONB)" if PG_URL else ":criteria"
    shipped = _shipped()
    asyncio.run(_run(scratch_database_url, (
        "INSERT INTO award_types (code, position, name, level, recipient, accepts_households, "
        "decided_by, council_vote, required_documents, criteria, legal_basis, "
        f"needs_public_disclosure, active, version) VALUES (:code, 1, 'Bằng khen', 'provincial', "
        f"'both', true, 'Chủ tịch UBND tỉnh', '{{}}', '[]', {cast}, '', false, true, 1)"
    ), {"code": CODE, "criteria": json.dumps(shipped)}))  # fmt: skip

    command.upgrade(cfg, "head")
    corrected = asyncio.run(_run(scratch_database_url))
    command.downgrade(cfg, before)
    restored = asyncio.run(_run(scratch_database_url))
    amended = [{**c, "message": "Theo quy chế của tỉnh."} if c in (_household(shipped),) else c
               for c in shipped]  # fmt: skip
    asyncio.run(_run(scratch_database_url, f"UPDATE award_types SET criteria = {cast}",
                     {"criteria": json.dumps(amended)}))  # fmt: skip
    command.upgrade(cfg, "head")
    kept = asyncio.run(_run(scratch_database_url))

    assert "Điều 2" in _household(corrected)["legal_basis"]
    assert "Chưa đối chiếu" in _household(corrected)["legal_basis"]
    assert [c for c in corrected if c.get("check") != "household_contribution"] == [
        c for c in shipped if c.get("check") != "household_contribution"
    ]
    assert restored == shipped
    assert kept == amended and _household(kept)["legal_basis"] == OLD_BASIS
