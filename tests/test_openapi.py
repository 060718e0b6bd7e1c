"""openapi/openapi.json is what the app generates; regenerate with `tdkt export-openapi`."""

from app.cli import OPENAPI_PATH, render_openapi


def test_committed_openapi_matches_the_app():
    committed = OPENAPI_PATH.read_text(encoding="utf-8")

    assert committed == render_openapi(), (
        "openapi/openapi.json is out of date: run `.venv/bin/tdkt export-openapi` and commit it"
    )
