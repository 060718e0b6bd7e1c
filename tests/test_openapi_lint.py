"""openapi/openapi.json lints clean with Redocly CLI's `recommended` ruleset, pinned in
tests/lint/package-lock.json and configured by tests/lint/redocly.yaml (each rule changed there,
and each single finding accepted in .redocly.lint-ignore.yaml, says why).

Locally the test is skipped when node or `npm ci --prefix tests/lint` are missing; in CI (`CI`
set) it fails instead, so it never goes silently unrun there.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tests" / "lint"
CLI = LINT_DIR / "node_modules" / "@redocly" / "cli" / "bin" / "cli.js"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not CLI.is_file():
        return f"Redocly CLI is not installed (`npm ci --prefix {LINT_DIR.relative_to(ROOT)}`)"
    return None


def _lint(document: Path) -> dict:
    missing = _missing()
    if missing and os.environ.get("CI"):
        pytest.fail(f"The OpenAPI lint must run in CI: {missing}")
    if missing:
        pytest.skip(missing)
    finished = subprocess.run(
        ["node", str(CLI), "lint", str(document), "--config", "redocly.yaml", "--format", "json"],
        cwd=LINT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
        check=False,
    )
    report = json.loads(finished.stdout)
    report["exit_code"] = finished.returncode
    return report


def test_the_committed_document_has_no_error_and_no_warning():
    report = _lint(Path("../../openapi/openapi.json"))

    problems = [(p["ruleId"], p["message"]) for p in report["problems"]]
    assert report["totals"]["errors"] == 0, problems
    assert report["totals"]["warnings"] == 0, problems
    assert report["exit_code"] == 0


def test_the_linter_fails_a_document_with_an_error(tmp_path):
    """The gate can fail: the same document with a path parameter left undeclared is refused."""
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    document["paths"]["/api/v1/units/{unit_id}"]["get"]["parameters"] = []
    broken = tmp_path / "openapi.json"
    broken.write_text(json.dumps(document), encoding="utf-8")

    report = _lint(broken)

    assert report["exit_code"] != 0
    assert "path-parameters-defined" in {p["ruleId"] for p in report["problems"]}
