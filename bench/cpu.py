"""CPU time per request, in-process, as ratios of the one-query anchor: a quick, load-tolerant
companion of `bench/api.py` for deciding what to change.

    .venv/bin/python -m bench.cpu [--only health,me,dossier,page] [--repeat 400] [--rounds 3]
                                  [--profile KEY] [--sort tottime]

Seeds a throw-away SQLite database (or TDKT_BENCH_DATABASE_URL, an empty PostgreSQL database)
as `bench/profile.py` does, then calls the app and `bench/anchor_app.py` directly through ASGI
(no server, no HTTP client: what is left is the application's own work) one request at a time,
in alternating blocks, and reports the CPU time of the process per request (`time.process_time`;
the least of `--rounds` blocks, as a neighbour's load only adds to it) and the ratio anchor /
endpoint. A server adds the same
fixed cost to both sides, so these ratios are lower than the ones `bench/api.py` measures over
HTTP; they move the same way. `--profile KEY` prints a cProfile of that endpoint instead.
`--calls` prints the Python function calls per request of the anchor and of each endpoint
(cProfile's count, coroutine resumptions included): deterministic, so it compares two commits
on a machine too loaded for timings.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import httpx
from alembic import command

from app.core.config import Settings
from app.core.migrations_info import alembic_config
from app.main import create_app, settle_heap
from app.services import bootstrap
from bench.profile import seed

PATHS = {
    "health": "/healthz",
    "me": "/api/v1/auth/me",
    "dossier": "/api/v1/dossiers/{id}",
    "page": "/api/v1/dossiers?limit=50",
}


def caller(app, path: str, headers: list[tuple[bytes, bytes]]):
    """A coroutine function that sends one GET of `path` to `app` and checks its status."""
    route, _, query = path.partition("?")
    scope_base = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("bench", 80),
        "state": {},
    }
    request = {"type": "http.request", "body": b"", "more_body": False}

    async def receive():
        return request

    async def call() -> None:
        status = 0

        async def send(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app({**scope_base, "state": {}}, receive, send)
        if status != 200:
            raise SystemExit(f"{path}: {status}")

    return call


async def cpu_per_request(call, repeat: int) -> float:
    started = time.process_time()
    for _ in range(repeat):
        await call()
    return (time.process_time() - started) / repeat


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="me,dossier,page")
    parser.add_argument("--repeat", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--calls", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TDKT_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/cpu.db"
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        await asyncio.to_thread(command.upgrade, cfg, "head")
        password = "Profile-Admin-Pass-1"
        settings = Settings(
            database_url=url,
            var_dir=Path(tmp),
            jwt_secret="profile-" + "x" * 40,
            admin_password=password,
        )
        # The app logs each request as the server would (to a file, not the terminal).
        log = os.open(Path(tmp) / "app.log", os.O_WRONLY | os.O_CREAT)
        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(log, 1)
        app = create_app(settings)
        async with app.state.db.session() as session:
            await bootstrap.ensure_admin(session, settings)
            await bootstrap.load_reference_data(session)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            admin, _officer, last = await seed(client, password)
        if url.startswith("sqlite"):
            os.environ["TDKT_ANCHOR_DB"] = url.split(":///", 1)[1]
        else:
            os.environ["TDKT_ANCHOR_URL"] = url
        from bench import anchor_app

        try:
            anchor = caller(anchor_app.app, "/core", [])
            auth = [(b"authorization", f"Bearer {admin}".encode())]
            calls = {
                key: caller(app, PATHS[key].replace("{id}", str(last)), auth)
                for key in args.only.split(",")
            }
            settle_heap()
            for call in (anchor, *calls.values()):  # warm up
                for _ in range(20):
                    await call()
            if args.calls:
                counts = {}
                for key, call in {"anchor": anchor, **calls}.items():
                    profiler = cProfile.Profile()
                    profiler.enable()
                    for _ in range(args.repeat):
                        await call()
                    profiler.disable()
                    counts[key] = pstats.Stats(profiler).total_calls / args.repeat
            elif args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.repeat):
                    await calls[args.profile]()
                profiler.disable()
            else:
                results = {}
                for key, call in calls.items():
                    pairs = []
                    for _ in range(args.rounds):
                        a = await cpu_per_request(anchor, args.repeat)
                        b = await cpu_per_request(call, args.repeat)
                        pairs.append((a, b))
                    results[key] = pairs
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(log)
        if args.calls:
            print(f"{'endpoint':10} {'calls per request':>18}")
            for key, count in counts.items():
                print(f"{key:10} {count:18.0f}")
        elif args.profile:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
        else:
            # The least disturbed round of each side: a neighbour's load only ever adds time.
            print(f"{'endpoint':10} {'anchor µs':>10} {'app µs':>10} {'ratio':>7}")
            for key, pairs in results.items():
                a = min(p[0] for p in pairs) * 1e6
                b = min(p[1] for p in pairs) * 1e6
                print(f"{key:10} {a:10.0f} {b:10.0f} {a / b:7.3f}")
        await app.state.db.dispose()
        await anchor_app.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
