"""The settings the app asks of its PostgreSQL connections."""

import pytest
from sqlalchemy import text


async def test_postgresql_connections_compile_no_plans(app, is_postgres):
    """JIT compilation is off: the API's statements are short, compiling them costs more than
    it saves."""
    if not is_postgres:
        pytest.skip("SQLite has no JIT")
    async with app.state.db.engine.connect() as conn:
        assert await conn.scalar(text("SHOW jit")) == "off"
