"""A real Chromium, as the provincial SPA uses the API: a page on another origin logs in, reads
with a Bearer token, creates with an Idempotency-Key, revalidates with If-None-Match, patches
with If-Match and reads the answers and the exposed headers; a page on an origin not allowed
reads nothing; Swagger UI works with every other host unreachable and logs in through its
"Authorize" dialog.

The browser is driven by tests/browser/client.mjs (playwright-core, pinned in its lock file).
Locally the test is skipped when Chromium, node or `npm ci` are missing; in CI (`CI` set) it
fails instead, so it never goes silently unrun there.
"""

import json
import os
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.factories import PASSWORD, make_user
from tests.live_server import live_server

BROWSER_DIR = Path(__file__).resolve().parents[1] / "browser"
PAGE = "<!doctype html><meta charset=utf-8><title>SPA</title><p>tdkt SPA"


def _missing() -> str | None:
    if shutil.which("chromium") is None:
        return "Chromium is not installed (Debian package `chromium`)"
    if shutil.which("node") is None:
        return "node is not installed"
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        return f"playwright-core is not installed (`npm ci --prefix {BROWSER_DIR}`)"
    return None


@pytest.fixture
def browser():
    missing = _missing()
    if missing and os.environ.get("CI"):
        pytest.fail(f"The browser test must run in CI: {missing}")
    if missing:
        pytest.skip(missing)
    return shutil.which("chromium")


@pytest.fixture
def page_server(tmp_path):
    """The SPA's own origin: a static page on another port."""
    root = tmp_path / "spa"
    root.mkdir()
    (root / "index.html").write_text(PAGE)
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def api_server(settings, page_server):
    cors = {"TDKT_PUBLIC_DOCS": "true", "TDKT_CORS_ORIGINS": f"http://127.0.0.1:{page_server}"}
    with live_server(settings, **cors) as url:
        yield url


def _drive(chromium: str, config: dict) -> dict:
    finished = subprocess.run(
        ["node", str(BROWSER_DIR / "client.mjs"), json.dumps({"chromium": chromium, **config})],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


async def test_a_spa_on_an_allowed_origin_works_and_others_read_nothing(
    app, session, browser, api_server, page_server
):
    user = await make_user(session, "noi_vu")
    await session.commit()
    credentials = {"username": user.username, "password": PASSWORD}

    seen = _drive(
        browser,
        {
            "allowedPage": f"http://127.0.0.1:{page_server}/",
            "refusedPage": f"http://localhost:{page_server}/",
            "session": {"api": f"{api_server}/api/v1", "unitCode": "SPA1", **credentials},
            "docs": {"url": f"{api_server}/docs", **credentials},
        },
    )

    spa = seen["spa"]
    assert seen["allowedOrigin"] != seen["refusedOrigin"]
    assert spa["login"] == {"status": 200, "gotToken": True}
    assert spa["me"]["status"] == 200 and spa["me"]["body"]["username"] == user.username
    assert spa["me"]["headers"]["x-request-id"] == "spa-request-1"
    assert spa["me"]["headers"]["cache-control"] == "private, no-cache"
    created = spa["create"]
    assert created["status"] == 201 and created["body"]["code"] == "SPA1"
    assert created["headers"]["location"].endswith(f"/units/{created['body']['id']}")
    assert created["headers"]["etag"].startswith('"1-')
    assert spa["replay"]["status"] == 201 and spa["replay"]["id"] == created["body"]["id"]
    assert spa["replay"]["headers"]["idempotent-replayed"] == "true"
    assert spa["read"]["status"] == 200
    assert spa["conditional"] == {"status": 304, "etag": spa["read"]["etag"]}
    assert spa["patch"]["status"] == 200
    assert spa["patch"]["name"] == "Đơn vị đã sửa từ trình duyệt"
    assert spa["patch"]["headers"]["etag"].startswith('"2-')
    assert spa["stalePatch"] == {
        "status": 412, "contentType": "application/problem+json", "code": "version_mismatch"
    }  # fmt: skip
    assert spa["anonymous"] == {"status": 401, "code": "not_authenticated"}
    assert spa["download"]["status"] == 200
    assert spa["download"]["headers"]["content-disposition"].startswith("attachment;")

    # The origin not in TDKT_CORS_ORIGINS: the browser hands the page nothing at all.
    assert seen["refused"]["login"]["readable"] is False
    assert seen["refused"]["preflighted"]["readable"] is False
    assert seen["refusedConsole"] >= 1

    docs = seen["docs"]
    assert docs["elsewhere"] == []
    assert docs["operations"] > 50
    assert docs["loginStatus"] == 200
    assert docs["meStatus"] == 200 and docs["meAuthorization"] == "Bearer"
