"""The `tdkt` command: bootstrap creates the first administrator once; create-user works."""

import shutil

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app.cli import cli
from app.core.config import get_settings


@pytest.fixture
def cli_env(database_template, tmp_path, monkeypatch, is_postgres):
    if is_postgres:
        pytest.skip("runs on a private SQLite copy")
    db = tmp_path / "cli.db"
    shutil.copyfile(database_template, db)
    monkeypatch.setenv("TDKT_DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("TDKT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("TDKT_LOAD_REFERENCE_DATA", "false")
    monkeypatch.delenv("TDKT_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def _users(db) -> list[tuple[str, str]]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT username, role FROM users ORDER BY id")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_bootstrap_creates_the_admin_once_and_prints_its_password_once(cli_env):
    runner = CliRunner()

    first = runner.invoke(cli, ["bootstrap"])
    second = runner.invoke(cli, ["bootstrap"])

    assert first.exit_code == 0, first.output
    assert "mật khẩu" in first.output
    assert second.exit_code == 0 and "mật khẩu" not in second.output
    assert _users(cli_env) == [("admin", "noi_vu")]


def test_create_user_from_the_command_line(cli_env):
    result = CliRunner().invoke(
        cli,
        ["create-user", "second.admin", "--role", "noi_vu", "--full-name", "Cán bộ"],
        input="a-long-password\na-long-password\n",
    )

    assert result.exit_code == 0, result.output
    assert ("second.admin", "noi_vu") in _users(cli_env)


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    from app.core.config import Settings, SettingsError

    with pytest.raises(SettingsError, match="TDKT_JWT_SECRET"):
        Settings(env="production", jwt_secret="")


def test_refresh_checks_says_how_many_it_refreshed_and_can_run_again(cli_env):
    runner = CliRunner()

    first = runner.invoke(cli, ["refresh-checks", "--chunk", "100"])
    second = runner.invoke(cli, ["refresh-checks"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "của 0 đề nghị" in second.output
