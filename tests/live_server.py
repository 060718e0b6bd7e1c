"""The API served by uvicorn in a process of its own, on a free local port, against the test's
database: for the tests that drive it as a real client would (a browser, the generated
TypeScript client) or that kill it (a crash, two processes side by side)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.conftest import TEST_SECRET


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(settings, port: int, **env: str) -> subprocess.Popen:
    """uvicorn serving `app.asgi:app` on `port`, configured like the tests' app; `env` adds
    or overrides settings (`TDKT_CORS_ORIGINS=...`). Returns at once: see `wait_ready`."""
    environment = {
        **os.environ,
        "TDKT_ENV": "test",
        "TDKT_DATABASE_URL": settings.database_url,
        "TDKT_VAR_DIR": str(settings.var_dir),
        "TDKT_JWT_SECRET": TEST_SECRET,
        "TDKT_LOAD_REFERENCE_DATA": "false",
        "TDKT_LOG_LEVEL": "ERROR",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.asgi:app", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(server: subprocess.Popen, port: int, path: str = "/healthz") -> None:
    """Wait (up to a minute) until `path` answers 200; a server that never does is killed."""
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.kill()
    raise AssertionError(f"the API server on port {port} did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


@contextmanager
def live_server(settings, **env: str) -> Iterator[str]:
    """A started server's base address (`http://127.0.0.1:<port>`), stopped afterwards."""
    port = free_port()
    server = start_server(settings, port, **env)
    try:
        wait_ready(server, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)
