"""Production does not publish the documentation unless TDKT_PUBLIC_DOCS says so."""

import httpx
import pytest

from app.core.config import Settings
from app.main import create_app
from tests.conftest import TEST_SECRET

DOCS = ("/docs", "/redoc", "/openapi.json")


async def _statuses(tmp_path, **overrides) -> list[int]:
    settings = Settings(
        jwt_secret=TEST_SECRET, ballot_secret=TEST_SECRET + "-ballot",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", var_dir=tmp_path,
        load_reference_data=False, **overrides,
    )  # fmt: skip
    app = create_app(settings, configure_logs=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        statuses = [(await client.get(path)).status_code for path in DOCS]
    await app.state.db.dispose()
    return statuses


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"env": "production"}, [404, 404, 404]),
        ({"env": "production", "public_docs": True}, [200, 200, 200]),
        ({"env": "development"}, [200, 200, 200]),
        ({"env": "development", "public_docs": False}, [404, 404, 404]),
    ],
)
async def test_docs_follow_the_setting(tmp_path, overrides, expected):
    assert await _statuses(tmp_path, **overrides) == expected


def test_the_committed_contract_is_still_exported_with_docs_off(tmp_path):
    settings = Settings(
        env="production", jwt_secret=TEST_SECRET, ballot_secret=TEST_SECRET + "-ballot",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", var_dir=tmp_path,
    )  # fmt: skip
    document = create_app(settings, configure_logs=False).openapi()

    assert "/api/v1/units" in document["paths"]
