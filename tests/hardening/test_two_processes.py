"""Two API processes on one PostgreSQL database: concurrent creates, duplicate submits and
idempotent retries sent to both lose no write, make no duplicate and never answer 5xx."""

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, Dossier, Unit
from tests.factories import auth, make_unit, make_user
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.live_server import free_port, start_server, wait_ready

CREATES = 30
DOSSIERS = 12


@pytest.fixture
def two_servers(app, settings, is_postgres):
    if not is_postgres:
        pytest.skip("two processes share a PostgreSQL database (TDKT_TEST_DATABASE_URL)")
    ports = [free_port(), free_port()]
    servers = [start_server(settings, port) for port in ports]
    try:
        for server, port in zip(servers, ports, strict=True):
            wait_ready(server, port, "/readyz")
        yield [f"http://127.0.0.1:{port}/api/v1" for port in ports]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def _keyed(i: int) -> dict:
    return {"code": f"K{i}", "name": f"Đơn vị K{i}"}


async def _post(client: httpx.AsyncClient, url: str, **kw) -> int:
    return (await client.post(url, **kw)).status_code


async def test_two_processes_lose_nothing_and_double_nothing(app, session, two_servers):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    admin = auth(app, await make_user(session))
    officer = auth(app, await make_user(session, "unit", unit_id=unit.id))
    dossiers = [(await make_dossier(session, unit, round_)).id for _ in range(DOSSIERS)]
    await session.commit()
    a, b = two_servers

    async with httpx.AsyncClient(timeout=60) as client:
        # Each create goes to both processes at once with one key, and once more without a key.
        keyed = [
            _post(client, f"{base}/units", json=_keyed(i),
                  headers={**admin, "Idempotency-Key": f"unit-{i}"})
            for i in range(CREATES) for base in (a, b)
        ]  # fmt: skip
        plain = [
            _post(client, f"{(a, b)[i % 2]}/units", json={"code": f"P{i}", "name": f"P{i}"},
                  headers=admin)
            for i in range(CREATES)
        ]  # fmt: skip
        submits = [
            _post(client, f"{base}/dossiers/{d}/submit", headers=officer)
            for d in dossiers
            for base in (a, b)
        ]
        statuses = await asyncio.gather(*keyed, *plain, *submits)
        # Retried later, to either process, every key replays its first answer.
        replays = [
            await client.post(f"{(a, b)[i % 2]}/units", json=_keyed(i),
                              headers={**admin, "Idempotency-Key": f"unit-{i}"})
            for i in range(CREATES)
        ]  # fmt: skip

    keyed_statuses = statuses[: 2 * CREATES]
    plain_statuses = statuses[2 * CREATES : 3 * CREATES]
    submit_statuses = statuses[3 * CREATES :]
    assert all(s < 500 for s in statuses), Counter(statuses)
    assert set(keyed_statuses) <= {201, 409} and keyed_statuses.count(201) >= CREATES
    assert plain_statuses == [201] * CREATES
    assert Counter(submit_statuses)[200] == DOSSIERS, Counter(submit_statuses)
    assert all(r.status_code == 201 and r.headers["idempotent-replayed"] == "true" for r in replays)
    codes = Counter(await session.scalars(select(Unit.code).where(Unit.code.like("K%"))))
    plain_rows = await session.scalar(
        select(func.count()).select_from(Unit).where(Unit.code.like("P%"))
    )
    submitted = await session.scalar(
        select(func.count()).select_from(Dossier).where(Dossier.status == "submitted")
    )
    audited = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "dossier.submitted")
    )
    await session.commit()
    assert set(codes.values()) == {1} and len(codes) == CREATES  # one unit per key
    assert plain_rows == CREATES
    assert submitted == audited == DOSSIERS
