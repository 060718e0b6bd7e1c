"""A TypeScript client generated from openapi/openapi.json, as the SPA team builds theirs:
openapi-typescript types, openapi-fetch calls, `tsc --strict`. The program in
tests/client/src/ logs in, searches units, creates a dossier, reads it, edits it with the
ETag it read, tells a stale edit (412) by the problem's typed `code` and uploads a paper. It
must compile with no cast and no `any`, and then run against a live server.

The npm packages are pinned in tests/client/package-lock.json (`npm ci --prefix tests/client`).
Locally the test is skipped when node or the packages are missing; in CI (`CI` set) it fails.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, make_unit, make_user

CLIENT_DIR = Path(__file__).resolve().parents[1] / "client"
PACKAGES = ("openapi-typescript", "openapi-fetch", "typescript")
# A cast (`x as T`, `<T>x`) or `any` would let the program compile whatever the types say.
CASTS = re.compile(r"\bas\s+(?!from\b)[A-Za-z_{(\[]|\bany\b|<[A-Z]\w*>\s*[a-z(]")


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    for package in PACKAGES:
        if not (CLIENT_DIR / "node_modules" / package).is_dir():
            return f"{package} is not installed (`npm ci --prefix {CLIENT_DIR}`)"
    return None


@pytest.fixture
def node():
    missing = _missing()
    if missing and os.environ.get("CI"):
        pytest.fail(f"The TypeScript client check must run in CI: {missing}")
    if missing:
        pytest.skip(missing)


def _run(*command: str) -> str:
    finished = subprocess.run(
        command, cwd=CLIENT_DIR, capture_output=True, text=True, timeout=300, check=False
    )
    assert finished.returncode == 0, f"{' '.join(command)}\n{finished.stdout}\n{finished.stderr}"
    return finished.stdout


def _tsc(*arguments: str) -> str:
    return _run("node", str(CLIENT_DIR / "node_modules" / "typescript" / "bin" / "tsc"), *arguments)


def _code(source: str) -> str:
    """The program without its comments and strings, where a cast could not hide."""
    source = re.sub(r"//[^\n]*|/\*.*?\*/", "", source, flags=re.S)
    return re.sub(r"`(?:[^`\\]|\\.)*`|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", '""', source)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def api_server(settings):
    port = _free_port()
    env = {
        **os.environ,
        "TDKT_ENV": "test",
        "TDKT_DATABASE_URL": settings.database_url,
        "TDKT_VAR_DIR": str(settings.var_dir),
        "TDKT_JWT_SECRET": TEST_SECRET,
        "TDKT_LOAD_REFERENCE_DATA": "false",
        "TDKT_LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.asgi:app", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the API server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_program_has_no_cast_and_no_any():
    sources = sorted((CLIENT_DIR / "src").glob("*.ts"))
    assert sources
    for source in sources:
        found = CASTS.findall(_code(source.read_text(encoding="utf-8")))
        assert found == [], f"{source.name}: {found}"
    assert CASTS.search(_code("const x = y as DossierRead;"))  # the check itself can fail


async def test_the_generated_client_compiles_under_strict_and_works_against_a_live_server(
    node, session, api_server
):
    # The types generated from the committed document (tests/test_openapi.py holds it to the
    # app), then the program type-checked under --strict, then emitted and run.
    _run("node", "generate.mjs")
    _tsc("--noEmit", "-p", ".")
    _tsc("-p", ".", "--noEmit", "false", "--outDir", "build/js")
    unit = await make_unit(session, name="Sở Nội vụ tỉnh Sơn La", code="SNV")
    user = await make_user(session, "unit", unit_id=unit.id)
    await session.commit()

    seen = json.loads(_run("node", "build/js/src/client.js", api_server, user.username, PASSWORD))

    assert seen["login"]["tokenType"] == "bearer"
    assert seen["me"] == {"role": "unit", "unitId": unit.id}
    assert seen["units"]["total"] >= 1 and "Sở Nội vụ tỉnh Sơn La" in seen["units"]["names"]
    created = seen["created"]
    assert created["status"] == 201 and created["dossierStatus"] == "draft"
    assert re.fullmatch(r"/api/v1/dossiers/\d+", created["location"])
    assert seen["read"]["etag"].startswith('"1-') and seen["read"]["revalidated"] == 304
    assert seen["patched"] == {"title": "Hồ sơ đã sửa từ client TypeScript", "etagChanged": True}
    assert seen["stale"]["status"] == 412 and seen["stale"]["code"] == "version_mismatch"
    assert seen["stale"]["advice"] == "reload and apply the edit again"
    uploaded = seen["uploaded"]
    assert uploaded["status"] == 201 and uploaded["documentType"] == "bao_cao_thanh_tich"
    assert uploaded["contentType"] == "application/pdf" and uploaded["size"] > 0
    assert seen["event"] == {"type": "dossier.created", "code": created["code"], "status": "draft"}
