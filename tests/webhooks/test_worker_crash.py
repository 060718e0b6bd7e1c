"""A worker killed in the middle of a send loses nothing: after a restart the message is sent
again (at least once, with the same `webhook-id`) and recorded as delivered."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.factories import signed_in
from tests.webhooks.support import eventually, subscribe, until_deliveries

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(settings, cwd: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TDKT_ENV": "test",
        "TDKT_DATABASE_URL": settings.database_url,
        "TDKT_JWT_SECRET": settings.jwt_secret,
        "TDKT_VAR_DIR": str(settings.var_dir),
        "TDKT_WEBHOOKS_ALLOW_HTTP": "true",
        "TDKT_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true",
        "TDKT_WEBHOOKS_TIMEOUT_SECONDS": "1",
        "TDKT_WEBHOOKS_POLL_SECONDS": "0.05",
        "TDKT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


async def test_a_worker_killed_mid_send_delivers_after_a_restart(
    app, client, session, receiver, tmp_path
):
    _, admin = await signed_in(app, session)
    created = await subscribe(client, admin, receiver.url)
    receiver.secret = created["secret"]
    receiver.plan, receiver.hang_seconds = ["hang"], 30
    ping = await client.post(f"/api/v1/webhooks/{created['id']}/ping", headers=admin)
    assert ping.status_code == 202

    first = _start_worker(app.state.settings, tmp_path)
    try:
        await eventually(lambda: len(receiver.received) == 1, within=20)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    killed_at = time.monotonic()
    second = _start_worker(app.state.settings, tmp_path)
    try:
        (delivered,) = await until_deliveries(
            client, admin, created["id"], lambda d: d and d[0]["status"] == "delivered",
            within=20,
        )  # fmt: skip
    finally:
        second.terminate()
        second.wait(timeout=10)

    hung, again = receiver.received
    assert again.verified and again.headers["webhook-id"] == hung.headers["webhook-id"]
    assert again.body == hung.body
    # Sent again only once the dead worker's claim ran out (twice the 1 s timeout and 1 s).
    assert again.at - killed_at >= 2
    assert delivered["attempts"] == 1 and delivered["last_status_code"] == 204
