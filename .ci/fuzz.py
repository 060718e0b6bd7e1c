"""Fuzz the live API with schemathesis, once per role, against a server this script starts.

    .venv/bin/python .ci/fuzz.py [--database-url URL] [--seconds-per-role N] [--seed N]

The server is `uvicorn app.asgi:app` on a free loopback port, on a fresh SQLite file (default)
or on a fresh database created on the PostgreSQL server of `--database-url` (dropped after).
It is migrated and loaded with the Sơn La reference data; one account per role is made through
the API. Every phase runs (examples, coverage, fuzzing, stateful) with a fixed seed inside a
time budget per role. Any 5xx, or an answer that does not match the documented schema, fails
the run. The figures per role are printed at the end (and written as JSON with --results).
"""

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROLES = ("noi_vu", "unit", "cluster_head", "council_member", "reader")
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
# Operations that end the fuzzing account's own session: after them every later case is a 401.
EXCLUDED_OPERATIONS = ("logout", "update_user", "revoke_service_token")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _pg_admin(url: str, sql: str) -> None:
    from sqlalchemy import text

    from app.core.db import create_engine

    engine = create_engine(url)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(sql))
    await engine.dispose()


def prepare_database(admin_url: str | None, var_dir: Path) -> tuple[str, str | None]:
    """(database URL for the server, name of a PostgreSQL database to drop afterwards)."""
    if not admin_url:
        return f"sqlite+aiosqlite:///{var_dir / 'tdkt.db'}", None
    from sqlalchemy.engine import make_url

    name = f"tdkt_fuzz_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(admin_url, f'CREATE DATABASE "{name}"'))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def server_env(database_url: str, var_dir: Path, password: str) -> dict[str, str]:
    return {
        **os.environ,
        "TDKT_ENV": "development",
        "TDKT_DATABASE_URL": database_url,
        "TDKT_VAR_DIR": str(var_dir),
        "TDKT_JWT_SECRET": secrets.token_urlsafe(48),
        "TDKT_BALLOT_SECRET": secrets.token_urlsafe(48),
        "TDKT_ADMIN_PASSWORD": password,
        "TDKT_LOG_LEVEL": "ERROR",
        # The fuzzer logs in with random names and passwords all the time.
        "TDKT_LOGIN_ADDRESS_MAX_FAILURES": "1000000",
        "TDKT_ACCESS_TOKEN_MINUTES": "240",
    }


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    subprocess.run([BIN / "tdkt", "migrate"], env=env, check=True, cwd=ROOT)
    subprocess.run([BIN / "tdkt", "bootstrap"], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [BIN / "uvicorn", "app.asgi:app", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server did not start; see {log}")


def _token(api: httpx.Client, username: str, password: str) -> str:
    answer = api.post("/auth/token", data={"username": username, "password": password})
    answer.raise_for_status()
    return answer.json()["access_token"]


def _created(api: httpx.Client, path: str, body: dict, headers: dict) -> dict:
    answer = api.post(path, json=body, headers=headers)
    if answer.status_code != 201:
        raise SystemExit(f"POST {path}: {answer.status_code} {answer.text}")
    return answer.json()


def role_tokens(base: str, password: str) -> dict[str, str]:
    """One account per role, made through the API as the administrator; their tokens."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        admin = {"Authorization": f"Bearer {_token(api, 'admin', password)}"}
        units = api.get("/units", params={"limit": 2}, headers=admin).json()["items"]
        cluster_body = {
            "year": 2026,
            "kind": "khoi",
            "name": "Khối thử",
            "head_unit_id": units[1]["id"],
            "member_unit_ids": [units[0]["id"]],
        }
        cluster = _created(api, "/clusters", cluster_body, admin)
        council = _created(api, "/councils", {"name": "Hội đồng thử"}, admin)
        member = _created(api, f"/councils/{council['id']}/members", {"full_name": "Ủy viên"},
                          admin)  # fmt: skip
        links = {
            "noi_vu": {},
            "unit": {"unit_id": units[0]["id"]},
            "cluster_head": {"cluster_id": cluster["id"]},
            "council_member": {"council_member_id": member["id"]},
            "reader": {},
        }
        tokens = {}
        for role, link in links.items():
            username, secret = f"fuzz.{role.replace('_', '')}", secrets.token_urlsafe(16)
            _created(api, "/users", {"username": username, "full_name": f"Fuzz {role}",
                                     "password": secret, "role": role, **link}, admin)  # fmt: skip
            tokens[role] = _token(api, username, secret)
        return tokens


def fuzz(base: str, role: str, token: str, seconds: int, seed: int, reports: Path) -> dict:
    """One schemathesis run as `role`; its figures from the JSON report."""
    report = reports / f"{role}.json"
    command = [
        BIN / "schemathesis", "run", str(ROOT / "openapi" / "openapi.json"),
        "--url", base, "--header", f"Authorization: Bearer {token}",
        # Writes need If-Match, which no schema parameter declares: `*` lets every one through.
        "--header", "If-Match: *",
        "--phases", "examples,coverage,fuzzing,stateful", "--checks", CHECKS,
        "--seed", str(seed), "--max-time", str(seconds), "--workers", "1",
        "--request-timeout", "30", "--generation-database", "none", "--no-color",
        "--report", "json", "--report-json-path", str(report),
        *[arg for op in EXCLUDED_OPERATIONS for arg in ("--exclude-operation-id", op)],
    ]  # fmt: skip
    started = time.monotonic()
    finished = subprocess.run(command, cwd=ROOT, check=False)
    return {
        "role": role,
        "exit_code": finished.returncode,
        "seconds": round(time.monotonic() - started),
        **_figures(report),
    }


def _figures(report: Path) -> dict:
    if not report.exists():
        return {"cases": None, "failures": None, "stateful": None}
    data = json.loads(report.read_text())
    cases = data.get("test_cases", {})
    return {
        "cases": cases.get("generated"),
        "failures": cases.get("unique_failures"),
        "errored": cases.get("errored"),
        "stateful": data.get("phases", {}).get("stateful", {}).get("status"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (admin URL); default SQLite")
    parser.add_argument("--seconds-per-role", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--results", type=Path, help="where to write the figures as JSON")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tdkt-fuzz-"))
    var_dir, password = workdir / "var", secrets.token_urlsafe(16)
    database_url, pg_name = prepare_database(args.database_url, var_dir)
    port = free_port()
    server = start_server(server_env(database_url, var_dir, password), port, workdir / "server.log")
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        tokens = role_tokens(base, password)
        for role in args.roles.split(","):
            results.append(fuzz(base, role, tokens[role], args.seconds_per_role, args.seed,
                                workdir))  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        if pg_name:
            drop = f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'
            asyncio.run(_pg_admin(args.database_url, drop))
    (args.results or workdir / "fuzz-results.json").write_text(json.dumps(results, indent=2))
    for r in results:
        print(f"fuzz {r['role']}: {r['cases']} cases, {r['failures']} failures, "
              f"{r['errored']} errored, stateful {r['stateful']}, exit {r['exit_code']}, "
              f"{r['seconds']} s")  # fmt: skip
    print(f"server log: {workdir / 'server.log'}")
    cases = sum(r["cases"] or 0 for r in results)
    failed = sum(r["failures"] or 0 for r in results)
    print(f"fuzz: {cases - failed} passed, {failed} failed")
    return 0 if all(r["exit_code"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
