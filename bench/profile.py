"""Profile one endpoint in-process and count its SQL statements.

    .venv/bin/python -m bench.profile /api/v1/dossiers/{id} [--repeat 300] [--as unit|noi_vu]

Builds a throw-away SQLite database (or TDKT_BENCH_DATABASE_URL, an empty PostgreSQL
database), seeds what `../shared/bench/api_ratio.sh` seeds (a unit officer, a round, 60 draft
dossiers of three nominations each), then prints the statements one request runs and a
pyinstrument profile of `--repeat` requests. `{id}` is replaced by the last dossier's id.
pyinstrument is a development dependency.
"""

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

import httpx
from alembic import command
from sqlalchemy import event

from app.core.config import Settings
from app.core.migrations_info import alembic_config
from app.main import create_app, settle_heap
from app.services import bootstrap


async def seed(client: httpx.AsyncClient, admin_password: str) -> tuple[str, str, int]:
    """Admin token, unit officer token, the last dossier's id (as the shell harness does)."""

    async def token(username: str, password: str) -> str:
        r = await client.post(
            "/api/v1/auth/token", data={"username": username, "password": password}
        )
        r.raise_for_status()
        return r.json()["access_token"]

    admin = await token("admin", admin_password)
    h = {"Authorization": f"Bearer {admin}"}
    unit = (
        await client.post(
            "/api/v1/units", headers=h, json={"code": "perf1", "name": "Đơn vị đo", "aliases": []}
        )
    ).json()
    await client.post(
        "/api/v1/users",
        headers=h,
        json={
            "username": "perfunit",
            "password": "Perf-Unit-Pass-1",
            "full_name": "Cán bộ đo",
            "role": "unit",
            "unit_id": unit["id"],
        },
    )
    rnd = (
        await client.post(
            "/api/v1/rounds",
            headers=h,
            json={
                "year": 2026,
                "number": 2,
                "name": "Đợt 2 năm 2026",
                "submission_opens_on": "2026-10-01",
                "submission_closes_on": "2026-12-31",
            },
        )
    ).json()
    officer = await token("perfunit", "Perf-Unit-Pass-1")
    last = 0
    for i in range(60):
        noms = [
            {
                "nominee_kind": "individual",
                "nominee_name": f"Nguyễn Văn {i}-{k}",
                "award_type_code": "bang_khen_chu_tich_ubnd_tinh",
                "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm 2025",
                "position": "Chuyên viên",
                "birth_year": 1980,
            }
            for k in range(3)
        ]
        r = await client.post(
            "/api/v1/dossiers",
            headers={"Authorization": f"Bearer {officer}"},
            json={
                "round_id": rnd["id"],
                "kind": "periodic",
                "title": f"Tờ trình số {i}",
                "nominations": noms,
            },
        )
        r.raise_for_status()
        last = r.json()["id"]
    return admin, officer, last


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--as", dest="who", default="noi_vu", choices=["noi_vu", "unit"])
    args = parser.parse_args()
    from pyinstrument import Profiler

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TDKT_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/profile.db"
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        await asyncio.to_thread(command.upgrade, cfg, "head")
        password = "Profile-Admin-Pass-1"
        settings = Settings(
            database_url=url,
            var_dir=Path(tmp),
            jwt_secret="profile-" + "x" * 40,
            log_level="WARNING",
            admin_password=password,
        )
        app = create_app(settings, configure_logs=False)
        async with app.state.db.session() as session:
            await bootstrap.ensure_admin(session, settings)
            await bootstrap.load_reference_data(session)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://profile") as client:
            admin, officer, last = await seed(client, password)
            settle_heap()
            headers = {"Authorization": f"Bearer {admin if args.who == 'noi_vu' else officer}"}
            path = args.path.replace("{id}", str(last))
            statements: list[str] = []

            def count(conn, cursor, statement, parameters, context, executemany) -> None:
                statements.append(statement.split("\n")[0][:110])

            event.listen(app.state.db.engine.sync_engine, "before_cursor_execute", count)
            r = await client.request(args.method, path, headers=headers)
            event.remove(app.state.db.engine.sync_engine, "before_cursor_execute", count)
            print(f"{args.method} {path} -> {r.status_code}, {len(r.content)} bytes")
            print(f"{len(statements)} statements:")
            for s in statements:
                print("   ", s)
            profiler = Profiler(interval=0.0002, async_mode="enabled")
            with profiler:
                for _ in range(args.repeat):
                    await client.request(args.method, path, headers=headers)
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        await app.state.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
