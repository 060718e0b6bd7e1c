"""The `tdkt` command: serve, worker, migrate, bootstrap, create-user, refresh-checks,
export-openapi."""

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from app.core.config import PROJECT_ROOT, get_settings

cli = typer.Typer(help="tdkt — API công tác thi đua, khen thưởng tỉnh Sơn La", no_args_is_help=True)
OPENAPI_PATH = PROJECT_ROOT / "openapi" / "openapi.json"


def migrate_database(revision: str = "head") -> None:
    from alembic import command

    from app.core.migrations_info import alembic_config

    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    cfg = alembic_config(settings.resolved_database_url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, revision)


async def _bootstrap(load_reference: bool) -> tuple[str | None, list[str]]:
    from app.core.db import Database
    from app.services import bootstrap

    settings = get_settings()
    db = Database(settings)
    try:
        async with db.session() as session:
            password = await bootstrap.ensure_admin(session, settings)
        loaded: list[str] = []
        if load_reference:
            async with db.session() as session:
                loaded = await bootstrap.load_reference_data(session)
        return password, loaded
    finally:
        await db.dispose()


def run_bootstrap() -> None:
    settings = get_settings()
    password, loaded = asyncio.run(_bootstrap(settings.load_reference_data))
    for line in loaded:
        typer.echo(f"Dữ liệu tham chiếu — {line}")
    if password:
        # Printed to the terminal once, never logged.
        typer.secho(
            f"Đã tạo tài khoản Sở Nội vụ '{settings.admin_username}' với mật khẩu: {password}\n"
            "Hãy lưu lại và đổi mật khẩu sau khi đăng nhập (mật khẩu không được in lại).",
            fg=typer.colors.YELLOW,
            err=True,
        )


@cli.command()
def migrate(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply the database migrations (Alembic) up to REVISION."""
    migrate_database(revision)
    typer.echo(f"Cơ sở dữ liệu đã ở phiên bản {revision}.")


@cli.command("bootstrap")
def bootstrap_command() -> None:
    """Create the first Sở Nội vụ account and load the Sơn La reference data (idempotent)."""
    run_bootstrap()


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: TDKT_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: TDKT_PORT")] = None,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
    workers: int = 1,
    webhook_worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Also run one webhook worker")
    ] = True,
) -> None:
    """Migrate, load reference data, and serve the API with uvicorn, beside one webhook
    worker in a process of its own (`--no-worker` serves the API alone)."""
    import subprocess
    import sys

    import uvicorn

    settings = get_settings()
    if migrate_first:
        migrate_database()
        run_bootstrap()
    child = (
        subprocess.Popen([sys.executable, "-m", "app.cli", "worker"]) if webhook_worker else None
    )
    try:
        uvicorn.run(
            "app.asgi:app",
            host=host or settings.host,
            port=port or settings.port,
            workers=workers,
            log_config=None,
            proxy_headers=True,
        )
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=settings.webhooks_timeout_seconds + 5)
            except subprocess.TimeoutExpired:
                child.kill()


@cli.command()
def worker() -> None:
    """Deliver webhooks: derive deliveries from new events and send them, until stopped.
    Several may run against one PostgreSQL database; on SQLite run one."""
    from app.core.observability import configure_logging
    from app.worker import main as run_worker

    settings = get_settings()
    configure_logging(settings.log_level)
    asyncio.run(run_worker(settings))


@cli.command("refresh-checks")
def refresh_checks(
    chunk: Annotated[int, typer.Option(min=1, help="Nominations per transaction")] = 500,
) -> None:
    """Compute and store today's criteria checks of every nomination whose stored checks no
    longer hold (the worker does it once a day after midnight); safe to run again."""
    from app.core.db import Database
    from app.services.dossiers import daily_checks

    async def run() -> int:
        db = Database(get_settings())
        try:
            return await daily_checks.refresh_stale_checks(db, chunk)
        finally:
            await db.dispose()

    refreshed = asyncio.run(run())
    typer.echo(f"Đã cập nhật kết quả kiểm tra tiêu chuẩn của {refreshed} đề nghị.")


@cli.command("create-user")
def create_user(
    username: str,
    role: Annotated[
        str, typer.Option(help="noi_vu | cluster_head | council_member | unit | reader")
    ],
    full_name: Annotated[str, typer.Option()] = "",
    unit_id: int | None = None,
    cluster_id: int | None = None,
    council_member_id: int | None = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create an account from the command line (e.g. a second Sở Nội vụ administrator)."""
    from pydantic import ValidationError

    from app.core.db import Database
    from app.core.principal import SYSTEM
    from app.schemas.accounts import UserCreate
    from app.services import accounts

    try:
        data = UserCreate(
            username=username,
            full_name=full_name or username,
            password=password,
            role=role,
            unit_id=unit_id,
            cluster_id=cluster_id,
            council_member_id=council_member_id,
        )
    except ValidationError as exc:
        fields = ", ".join(str(error["loc"][0]) for error in exc.errors())
        typer.echo(f"Dữ liệu không hợp lệ: {fields}.", err=True)
        raise typer.Exit(2) from exc

    async def run() -> int:
        db = Database(get_settings())
        try:
            async with db.session() as session:
                user = await accounts.create_user(session, SYSTEM, data)
                return user.id
        finally:
            await db.dispose()

    user_id = asyncio.run(run())
    typer.echo(f"Đã tạo tài khoản {username} (id {user_id}, vai trò {role}).")


def openapi_document() -> dict:
    from app.main import create_app

    return create_app(configure_logs=False).openapi()


def render_openapi() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cli.command("export-openapi")
def export_openapi(
    output: Annotated[Path, typer.Option(help="Where to write the document")] = OPENAPI_PATH,
) -> None:
    """Write the OpenAPI document generated from the app (a test fails when it drifts)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_openapi(), encoding="utf-8")
    typer.echo(f"Đã ghi {output}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
