"""Webhook delivery: latency and throughput of one worker, and the API's latency while a
receiver hangs.

`.venv/bin/python -m bench.webhooks` (SQLite; set TDKT_BENCH_DATABASE_URL to an empty
PostgreSQL database to use that). It migrates a throw-away database, starts a receiver on
127.0.0.1 and one `tdkt worker` process (as `tdkt serve` does), then:
1. latency: events committed one at a time, 50 ms apart, to one subscription; the time from
   the commit to the receiver's arrival, median and p95;
2. throughput: 1,000 events committed at once, to one subscription (sent one at a time, in
   order) and to 10 subscriptions (sent side by side);
3. the API's own latency (`GET /api/v1/events?limit=50` through the app in this process),
   before and while every message to one subscription hangs past the timeout.
Prints a JSON report.
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from alembic import command
from sqlalchemy import text, update

from app.core.config import Settings
from app.core.migrations_info import alembic_config
from app.core.security import hash_password
from app.main import create_app
from app.models import User, WebhookSubscription
from app.services import audit

ROOT = Path(__file__).resolve().parents[1]


class Receiver:
    """Answers 204 at once, or after `hang` seconds for paths ending in /hang."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[tuple[float, dict]]] = {}
        self.hang = 30.0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.arrivals.setdefault(scope["path"], []).append((time.time(), json.loads(body)))
        if scope["path"].endswith("/hang"):
            await asyncio.sleep(self.hang)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def start_receiver(receiver: Receiver) -> int:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(receiver, log_level="critical", lifespan="off"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


async def wait_for(check, within: float) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > within:
            raise SystemExit("the receiver did not get everything in time")
        await asyncio.sleep(0.005)
    return time.monotonic() - started


async def subscribe(app, url: str) -> None:
    async with app.state.db.session() as session:
        head = await session.scalar(text("SELECT max(id) FROM events"))
        session.add(
            WebhookSubscription(
                url=url,
                event_types=[],
                owner_role="noi_vu",
                secret="whsec_" + "A" * 43,
                event_cursor=head or 0,
                active=True,
            )
        )


SUBMITTED = {
    "kind": "periodic", "round_id": None, "submitting_unit_id": None, "cluster_id": None,
    "status": "submitted", "previous_status": "draft",
}  # fmt: skip


async def emit(app, count: int, tag: str) -> None:
    async with app.state.db.session() as session:
        for i in range(count):
            # The declared shape of `dossier.submitted`, and the bench's own markers beside it.
            data = {**SUBMITTED, "code": f"HS-{i + 1}", "tag": tag, "t": time.time()}
            await audit.emit(session, "dossier.submitted", "dossier", i + 1, data)


async def api_latency(client: httpx.AsyncClient, headers, repeat: int = 100) -> dict:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get("/api/v1/events?limit=50", headers=headers)
        response.raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
    }


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TDKT_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        await asyncio.to_thread(command.upgrade, cfg, "head")
        secret = "bench-" + "x" * 40
        settings = Settings(
            database_url=url, var_dir=Path(tmp), jwt_secret=secret, log_level="WARNING",
            load_reference_data=False,
        )  # fmt: skip
        app = create_app(settings, configure_logs=False)
        async with app.state.db.session() as session:
            admin = User(
                username="bench", full_name="Bench", password_hash=hash_password("bench-pw-123"),
                role="noi_vu", active=True, token_version=1,
            )  # fmt: skip
            session.add(admin)
        token, _ = app.state.tokens.encode(
            subject=str(admin.id), typ="access", ttl=app.state.tokens.access_ttl,
            claims={"ver": 1, "role": "noi_vu"},
        )  # fmt: skip
        headers = {"Authorization": f"Bearer {token}"}
        receiver = Receiver()
        base = f"http://127.0.0.1:{start_receiver(receiver)}"
        env = {
            **os.environ, "TDKT_DATABASE_URL": url, "TDKT_JWT_SECRET": secret,
            "TDKT_VAR_DIR": tmp, "TDKT_WEBHOOKS_ALLOW_HTTP": "true",
            "TDKT_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true", "TDKT_LOG_LEVEL": "WARNING",
            "TDKT_WEBHOOKS_TIMEOUT_SECONDS": "10", "PYTHONPATH": str(ROOT),
        }  # fmt: skip
        worker = subprocess.Popen(  # noqa: ASYNC220 (started once, before anything is timed)
            [sys.executable, "-m", "app.cli", "worker"], env=env, cwd=tmp
        )
        report: dict = {"database": url.split(":")[0], "cores": os.cpu_count()}
        try:
            await subscribe(app, f"{base}/latency")
            await emit(app, 1, "warm-up")
            await wait_for(lambda: len(receiver.arrivals.get("/latency", [])) == 1, 60)
            for _ in range(200):
                await emit(app, 1, "latency")
                await asyncio.sleep(0.05)
            await wait_for(lambda: len(receiver.arrivals["/latency"]) == 201, 60)
            latencies = [
                (at - body["data"]["t"]) * 1000
                for at, body in receiver.arrivals["/latency"]
                if body["data"]["tag"] == "latency"
            ]
            report["latency_ms"] = {
                "events": len(latencies),
                "p50": round(statistics.median(latencies), 1),
                "p95": round(percentile(latencies, 0.95), 1),
            }

            # Throughput, one subscription (the latency one): strictly one message at a time.
            await emit(app, 1000, "burst")
            took = await wait_for(lambda: len(receiver.arrivals["/latency"]) == 1201, 600)
            report["throughput_one_subscription_per_s"] = round(1000 / took, 1)

            async with app.state.db.session() as session:
                await session.execute(update(WebhookSubscription).values(active=False))
            for i in range(10):
                await subscribe(app, f"{base}/many/{i}")
            await emit(app, 1000, "burst-10")

            def all_ten() -> bool:
                return sum(len(v) for k, v in receiver.arrivals.items() if "/many/" in k) == 10000

            took = await wait_for(all_ten, 900)
            report["throughput_ten_subscriptions_per_s"] = round(10000 / took, 1)

            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await api_latency(client, headers, 10)
                report["api_events_page_idle"] = await api_latency(client, headers)
                async with app.state.db.session() as session:
                    await session.execute(update(WebhookSubscription).values(active=False))
                await subscribe(app, f"{base}/hang")
                await subscribe(app, f"{base}/latency-2")
                await emit(app, 20, "hang")
                await wait_for(lambda: len(receiver.arrivals.get("/hang", [])) >= 1, 60)
                report["api_events_page_while_a_receiver_hangs"] = await api_latency(
                    client, headers
                )
                report["other_subscription_delivered_while_hanging"] = len(
                    receiver.arrivals.get("/latency-2", [])
                )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            await app.state.db.dispose()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
