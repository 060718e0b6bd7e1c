"""An app of its own for the transport tests that need settings the shared app does not have
(an allowed browser origin)."""

from collections.abc import AsyncIterator

import httpx
import pytest

SPA_ORIGIN = "http://spa.example"


@pytest.fixture
async def spa_app(settings):
    from app.main import create_app

    app = create_app(
        settings.model_copy(update={"cors_origins": [SPA_ORIGIN]}), configure_logs=False
    )
    yield app
    await app.state.db.dispose()


@pytest.fixture
async def spa_client(spa_app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=spa_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def spa_session(spa_app):
    async with spa_app.state.db.sessionmaker() as session:
        yield session
