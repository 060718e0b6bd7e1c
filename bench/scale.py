"""National scale on PostgreSQL: build a data set with COPY, time the lists, searches and the
round report at that size, and print the plans of their statements.

    .venv/bin/python -m bench.scale [--nominations 2000000] [--units 50000] [--keep]

Creates the database `tdkt_scale_<n>` at TDKT_BENCH_PG_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432), migrates it, loads the award catalogue, then
copies in ≈ 34 provinces' worth of units, 10 years (2017–2026) of rounds and award history
(one row per 2 nominations) and the dossiers with three nominations each, spread over the
years and statuses. Then, as the worker does after midnight, it stores the day's criteria
checks of every nomination (`tdkt refresh-checks`; timed) and vacuums again, as autovacuum
would after so many updates. It then serves the app in-process, times each scenario (p50/p95 of
`--repeat` requests after a warm-up), runs EXPLAIN (ANALYZE, BUFFERS) on every statement of
each scenario, writes bench/results/scale-<n>.json and drops the database (unless --keep).
"""

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from alembic import command
from sqlalchemy import event

from app.core.config import Settings
from app.core.migrations_info import alembic_config
from app.core.security import hash_password
from app.core.text import fold, search_text
from app.main import create_app, settle_heap
from app.services.award_types import load_award_types
from app.services.award_types.catalogue import AWARD_TYPES

PG_URL = os.environ.get("TDKT_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
RESULTS = Path(__file__).parent / "results"
YEARS = range(2017, 2027)
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Lò",
    "Quàng",
    "Cầm",
    "Hà",
    "Lường",
    "Tòng",
    "Vì",
    "Điêu",
    "Sầm",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang", "Thanh", "Kim"]
GIVEN = [
    "Thắng",
    "Lan",
    "Hoa",
    "Páo",
    "Dũng",
    "Hùng",
    "Hương",
    "Mai",
    "Tuấn",
    "Sơn",
    "Hải",
    "Bình",
    "Chiến",
    "Thảo",
    "Xuân",
    "Yến",
    "Khánh",
    "Long",
    "Phương",
    "Quý",
]
PROVINCES = 34
STATUSES_PAST = [("appraised", "eligible"), ("appraised", "awarded"), ("withdrawn", "withdrawn")]
STATUSES_NOW = [
    ("draft", "draft"),
    ("submitted", "submitted"),
    ("under_appraisal", "submitted"),
    ("returned", "draft"),
]


ROUND_COUNTS = """
INSERT INTO round_nomination_counts (round_id, award_type_code, status, nominee_kind, conclusion, n)
SELECT d.round_id, n.award_type_code, n.status, n.nominee_kind,
       coalesce(n.appraisal_conclusion, ''), count(*)
FROM nominations n JOIN dossiers d ON d.id = n.dossier_id
WHERE d.round_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5
"""


def person(rng: random.Random, i: int) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {i % 997}"


async def build(conn: asyncpg.Connection, nominations: int, units: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    started = time.perf_counter()
    # Bulk-load practice: the big tables' secondary indexes are dropped before COPY and built
    # again afterwards (one sort per index instead of millions of insertions, trigram
    # indexes included); primary keys and unique constraints stay.
    indexes = await conn.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public'"
        " AND i.tablename = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conname = i.indexname)",
        ["units", "award_history", "dossiers", "nominations"],
    )
    for row in indexes:
        await conn.execute(f'DROP INDEX "{row["indexname"]}"')
    admin_hash = hash_password("scale-admin-password")
    await conn.execute(
        "INSERT INTO users (username, full_name, password_hash, role, active, token_version,"
        " created_at, updated_at, version) VALUES ('scale', 'Scale', $1, 'noi_vu', true, 1,"
        " now(), now(), 1)",
        admin_hash,
    )
    unit_rows = []
    for i in range(1, units + 1):
        province = (i - 1) % PROVINCES + 1
        name = (
            f"Văn phòng đơn vị số {i} tỉnh {province}"
            if i % 10 == 0
            else f"Ủy ban nhân dân xã số {i} tỉnh {province}"
        )
        unit_rows.append(
            (i, f"S{i:06d}", name, "commune", "[]", True, search_text(f"S{i:06d}", name))
        )
    await conn.copy_records_to_table(
        "units",
        records=unit_rows,
        columns=["id", "code", "name", "kind", "aliases", "active", "search_text"],
    )
    rounds = []
    for year in YEARS:
        for number in (1, 2):
            rid = len(rounds) + 1
            status = "completed" if year < 2026 else ("closed" if number == 1 else "open")
            rounds.append(
                (
                    rid,
                    year,
                    number,
                    f"Đợt {number} năm {year}",
                    date(year, 3 if number == 1 else 9, 1),
                    date(year, 3 if number == 1 else 9, 30),
                    status,
                    now,
                    now,
                    1,
                )
            )
    await conn.copy_records_to_table(
        "rounds",
        records=rounds,
        columns=[
            "id",
            "year",
            "number",
            "name",
            "submission_opens_on",
            "submission_closes_on",
            "status",
            "created_at",
            "updated_at",
            "version",
        ],
    )
    codes = [a.code for a in AWARD_TYPES]
    history = []
    for i in range(nominations // 2):
        name = person(rng, i)
        year = rng.choice(YEARS[:-1])
        history.append(
            (
                i + 1,
                "individual",
                name,
                fold(name),
                search_text(name),
                rng.randint(1, units),
                rng.choice(codes),
                year,
                f"{i}/QĐ-UBND",
                "import",
                "regular",
                now,
            )
        )
    await conn.copy_records_to_table(
        "award_history",
        records=history,
        columns=[
            "id",
            "nominee_kind",
            "nominee_name",
            "nominee_key",
            "search_text",
            "unit_id",
            "award_type_code",
            "year",
            "decision_no",
            "source",
            "kind",
            "created_at",
        ],
    )
    del history
    # The triggers that keep the per-round and per-year counts would run once per copied row;
    # the counts are filled in one grouped statement each afterwards instead, as the
    # migrations that created them do.
    await conn.execute("ALTER TABLE dossiers DISABLE TRIGGER USER")
    await conn.execute("ALTER TABLE nominations DISABLE TRIGGER USER")
    dossiers, noms = [], []
    count = max(1, nominations // 3)
    for d in range(1, count + 1):
        rnd = rounds[(d * len(rounds)) // (count + 1)]
        year = rnd[1]
        dstatus, nstatus = rng.choice(STATUSES_NOW if year == 2026 else STATUSES_PAST)
        title = f"Tờ trình đề nghị khen thưởng số {d}"
        code = f"HS-{year}-{d:07d}"
        received = now - timedelta(days=30) if dstatus in ("under_appraisal", "appraised") else None
        dossiers.append(
            (
                d,
                code,
                year,
                rnd[0],
                "periodic",
                "unit",
                rng.randint(1, units),
                title,
                search_text(code, title),
                dstatus,
                received,
                1,
                3,
                now,
                now,
                1,
            )
        )
        for k in range(3):
            name = person(rng, d * 3 + k)
            noms.append(
                (
                    d * 3 + k - 2,
                    d,
                    "individual",
                    name,
                    fold(name),
                    rng.choice(codes),
                    "Hoàn thành xuất sắc nhiệm vụ",
                    "[]",
                    nstatus,
                    now,
                    now,
                    1,
                    0,
                )
            )
    await conn.copy_records_to_table(
        "dossiers",
        records=dossiers,
        columns=[
            "id",
            "code",
            "year",
            "round_id",
            "kind",
            "owner_kind",
            "submitting_unit_id",
            "title",
            "search_text",
            "status",
            "received_at",
            "submission_count",
            "nomination_count",
            "created_at",
            "updated_at",
            "version",
        ],
    )
    del dossiers
    await conn.copy_records_to_table(
        "nominations",
        records=noms,
        columns=[
            "id",
            "dossier_id",
            "nominee_kind",
            "nominee_name",
            "nominee_key",
            "award_type_code",
            "achievement_summary",
            "prior_awards",
            "status",
            "created_at",
            "updated_at",
            "version",
            "checks_stamp",
        ],
    )
    del noms
    await conn.execute("ALTER TABLE dossiers ENABLE TRIGGER USER")
    await conn.execute("ALTER TABLE nominations ENABLE TRIGGER USER")
    await conn.execute(ROUND_COUNTS)
    await conn.execute(
        "INSERT INTO dossier_totals (year, n) SELECT year, count(*) FROM dossiers GROUP BY year"
    )
    loaded = time.perf_counter()
    await conn.execute("SET maintenance_work_mem = '512MB'")
    for row in indexes:
        await conn.execute(row["indexdef"])
    indexed = time.perf_counter()
    for table in ("units", "rounds", "award_history", "dossiers", "nominations", "users"):
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    # VACUUM as autovacuum would on a live database: the visibility map lets PostgreSQL answer
    # counts from an index alone (index-only scans) instead of visiting every row.
    await conn.execute("VACUUM ANALYZE")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "load_seconds": round(loaded - started, 1),
        "index_seconds": round(indexed - loaded, 1),
    }


SCENARIOS = [
    ("list 50 dossiers", "/api/v1/dossiers?limit=50"),
    ("list 50 dossiers of a round", "/api/v1/dossiers?round_id=19&limit=50"),
    (
        "search dossiers without diacritics",
        "/api/v1/dossiers?q=to%20trinh%20de%20nghi%20khen%20thuong%20so%201234",
    ),
    ("round report", "/api/v1/reports/dossiers?round_id=19"),
    ("award history search without diacritics", "/api/v1/award-history?q=lo%20van%20thang"),
    ("units search without diacritics", "/api/v1/units?q=uy%20ban%20nhan%20dan%20xa%20so%201234"),
    ("who am I", "/api/v1/auth/me"),
]


async def refresh_checks(url: str, server: str, name: str) -> dict:
    """The daily job on the built database: store today's checks of every nomination whose
    stored checks do not hold today, then VACUUM ANALYZE (the updates leave a dead row each)."""
    from app.core.db import Database
    from app.services.dossiers import daily_checks

    settings = Settings(database_url=url, jwt_secret="scale-" + "x" * 40, load_reference_data=False)
    db = Database(settings)
    started = time.perf_counter()
    try:
        refreshed = await daily_checks.refresh_stale_checks(db)
    finally:
        await db.dispose()
    done = time.perf_counter()
    conn = await asyncpg.connect(f"{server}/{name}")
    try:
        await conn.execute("VACUUM ANALYZE nominations")
    finally:
        await conn.close()
    return {
        "nominations": refreshed,
        "seconds": round(done - started, 1),
        "vacuum_seconds": round(time.perf_counter() - done, 1),
    }


async def measure(url: str, repeat: int, explain: bool, only: str = "") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=url,
            var_dir=Path(tmp),
            jwt_secret="scale-" + "x" * 40,
            log_level="WARNING",
            load_reference_data=False,
        )
        app = create_app(settings, configure_logs=False)
        token, _ = app.state.tokens.encode(
            subject="1",
            typ="access",
            ttl=app.state.tokens.access_ttl,
            claims={"ver": 1, "role": "noi_vu"},
        )
        headers = {"Authorization": f"Bearer {token}"}
        settle_heap()
        captured: list[tuple[str, object]] = []

        def capture(conn, cursor, statement, parameters, context, executemany) -> None:
            captured.append((statement, parameters))

        results = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://scale") as client:
            for name, path in SCENARIOS:
                if only and only not in name:
                    continue
                for _ in range(3):
                    r = await client.get(path, headers=headers)
                    if r.status_code != 200:
                        raise SystemExit(f"{name}: {r.status_code} {r.text[:300]}")
                timings = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    await client.get(path, headers=headers)
                    timings.append((time.perf_counter() - t) * 1000)
                timings.sort()
                row = {
                    "scenario": name,
                    "path": path,
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                }
                if explain:
                    captured.clear()
                    engine = app.state.db.engine.sync_engine
                    event.listen(engine, "before_cursor_execute", capture)
                    await client.get(path, headers=headers)
                    event.remove(engine, "before_cursor_execute", capture)
                    row["plans"] = await _plans(app, list(captured))
                results.append(row)
        await app.state.db.dispose()
    return {
        "results": results,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


async def _plans(app, statements) -> list[dict]:
    plans = []
    async with app.state.db.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        for statement, params in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            args = list(params) if isinstance(params, (list, tuple)) else []
            rows = await raw.fetch("EXPLAIN (ANALYZE, BUFFERS) " + statement, *args)
            plans.append({"statement": statement, "plan": [r[0] for r in rows]})
    return plans


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nominations", type=int, default=2_000_000)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="with --reuse: measure without storing the day's checks first",
    )
    parser.add_argument("--only", default="", help="the scenarios whose name contains this")
    args = parser.parse_args()
    name = f"tdkt_scale_{args.nominations}"
    server = PG_URL.replace("+asyncpg", "")
    admin = await asyncpg.connect(server + "/postgres")
    url = f"{PG_URL}/{name}"
    report: dict = {"nominations": args.nominations, "units": args.units, "database": name}
    try:
        if not args.reuse:
            await admin.execute(f"DROP DATABASE IF EXISTS {name}")
            await admin.execute(f"CREATE DATABASE {name}")
            cfg = alembic_config(url)
            cfg.attributes["configure_logger"] = False
            await asyncio.to_thread(command.upgrade, cfg, "head")
            settings = Settings(
                database_url=url, jwt_secret="scale-" + "x" * 40, load_reference_data=False
            )
            from app.core.db import Database

            db = Database(settings)
            async with db.session() as session:
                await load_award_types(session)
            await db.dispose()
            conn = await asyncpg.connect(f"{server}/{name}")
            try:
                report["build"] = await build(conn, args.nominations, args.units)
                size = await conn.fetchval(
                    "SELECT pg_size_pretty(pg_database_size(current_database()))"
                )
                report["build"]["database_size"] = size
            finally:
                await conn.close()
            built = report["build"]
            print(f"built {name} in {built['seconds']} s ({built['database_size']})")
        if not args.no_refresh:
            report["refresh_checks"] = refreshed = await refresh_checks(url, server, name)
            print(
                f"refreshed the checks of {refreshed['nominations']} nominations in"
                f" {refreshed['seconds']} s (then VACUUM ANALYZE in"
                f" {refreshed['vacuum_seconds']} s)"
            )
        report.update(await measure(url, args.repeat, not args.no_explain, args.only))
    finally:
        if not args.keep:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.only.replace(' ', '_')}" if args.only else ""
    (RESULTS / f"scale-{args.nominations}{suffix}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    )
    for r in report["results"]:
        print(f"{r['scenario']:<44} p50 {r['p50_ms']:>8} ms  p95 {r['p95_ms']:>8} ms")
    print(f"peak RSS {report['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
