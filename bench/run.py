"""Benchmarks: latency of the busiest read paths and peak memory, against targets.

Run with `make bench` (SQLite) or with TDKT_BENCH_DATABASE_URL set to an empty PostgreSQL
database. It builds a throw-away database, fills it with a province-sized directory (1,410
units in 130 clusters, as in Sơn La), then times each scenario through the ASGI app in-process
and writes `bench/results/latest.json`. Exit status 1 when a target is missed.
"""

import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from alembic import command

from app.core.config import Settings
from app.core.migrations_info import alembic_config
from app.core.security import hash_password
from app.core.text import search_text
from app.main import create_app, settle_heap
from app.models import Cluster, ClusterMembership, Unit, User
from bench import scenarios as feature_scenarios

UNITS = 1410
CLUSTERS = 130
REPEAT = 50
WARMUP = 3
RESULTS = Path(__file__).parent / "results" / "latest.json"


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    p95_target_ms: float


SCENARIOS = [
    Scenario("list 200 units", "GET", "/api/v1/units?limit=200", 60),
    Scenario("search units without diacritics", "GET", "/api/v1/units?q=van%20phong", 40),
    Scenario("list 130 clusters with members", "GET", "/api/v1/clusters?limit=200", 100),
    Scenario("who am I", "GET", "/api/v1/auth/me", 15),
]
PEAK_RSS_TARGET_MB = 300


async def seed(app) -> str:
    async with app.state.db.session() as session:
        admin = User(
            username="bench", full_name="Bench", password_hash=hash_password("bench-password"),
            role="noi_vu", active=True, token_version=1,
        )  # fmt: skip
        session.add(admin)
        units = []
        for i in range(UNITS):
            name = f"Văn phòng đơn vị số {i}" if i % 10 == 0 else f"Ủy ban nhân dân xã số {i}"
            unit = Unit(code=f"B{i:05d}", name=name, kind="commune", aliases=[], active=True)
            unit.search_text = search_text(unit.code, unit.name)
            units.append(unit)
        session.add_all(units)
        await session.flush()
        for c in range(CLUSTERS):
            cluster = Cluster(year=2026, kind="cum" if c < 25 else "khoi", name=f"Cụm/Khối {c}")
            cluster.search_text = search_text(cluster.name)
            session.add(cluster)
            await session.flush()
            for j, unit in enumerate(units[c::CLUSTERS]):
                role = "head" if j == 0 else "member"
                session.add(
                    ClusterMembership(cluster_id=cluster.id, unit_id=unit.id, year=2026, role=role)
                )
        await session.flush()
        await seed_features(session)
        token, _ = app.state.tokens.encode(
            subject=str(admin.id), typ="access", ttl=app.state.tokens.access_ttl,
            claims={"ver": 1, "role": "noi_vu"},
        )  # fmt: skip
    return token


async def measure(client: httpx.AsyncClient, scenario: Scenario, headers) -> dict:
    for _ in range(WARMUP):  # first calls build caches; the targets are for steady state
        await client.request(scenario.method, scenario.path, headers=headers)
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = await client.request(scenario.method, scenario.path, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            raise SystemExit(f"{scenario.name}: {response.status_code} {response.text[:200]}")
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return {
        "scenario": scenario.name,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(p95, 2),
        "target_p95_ms": scenario.p95_target_ms,
        "ok": p95 <= scenario.p95_target_ms,
    }


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TDKT_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        await asyncio.to_thread(command.upgrade, cfg, "head")
        settings = Settings(
            database_url=url, var_dir=Path(tmp), jwt_secret="bench-" + "x" * 40,
            log_level="WARNING", load_reference_data=False,
        )  # fmt: skip
        app = create_app(settings, configure_logs=False)
        token = await seed(app)
        settle_heap()  # as the server's start-up does
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        results = []
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for scenario in extra_scenarios() + SCENARIOS:
                results.append(await measure(client, scenario, headers))
        await app.state.db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "database": url.split(":")[0],
        "units": UNITS,
        "clusters": CLUSTERS,
        "repeat": REPEAT,
        "results": results,
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_target_mb": PEAK_RSS_TARGET_MB,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    for r in results:
        mark = "ok  " if r["ok"] else "MISS"
        print(f"{mark} {r['scenario']:<40} p50 {r['p50_ms']:>7} ms  p95 {r['p95_ms']:>7} ms"
              f"  (target {r['target_p95_ms']} ms)")  # fmt: skip
    print(f"peak RSS {report['peak_rss_mb']} MB (target {PEAK_RSS_TARGET_MB} MB)")
    ok = all(r["ok"] for r in results) and peak_mb <= PEAK_RSS_TARGET_MB
    return 0 if ok else 1


def extra_scenarios() -> list[Scenario]:
    """The features' scenarios (bench/scenarios.py)."""
    return list(feature_scenarios.SCENARIOS)


async def seed_features(session) -> None:
    await feature_scenarios.seed(session)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
