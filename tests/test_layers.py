"""The layers import one way: api → services → models → core (schemas beside services)."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# What each layer may import from the app; anything else is an arrow running back up.
ALLOWED = {
    "core": ("app.core",),
    "models": ("app.core", "app.models"),
    "schemas": ("app.core", "app.models", "app.schemas"),
    "services": ("app.core", "app.models", "app.schemas", "app.services"),
    "api": ("app.core", "app.models", "app.schemas", "app.services", "app.api"),
}


def _app_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name == "app" or name.startswith("app.")]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    wrong = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in sorted((APP / layer).rglob("*.py"))
        for name in _app_imports(path)
        if not any(name == p or name.startswith(p + ".") for p in ALLOWED[layer])
    ]
    assert not wrong, "\n".join(wrong)


def test_no_loose_feature_modules_at_the_top_of_services():
    """Features are packages; the top of services holds only the cross-feature tables."""
    loose = {p.name for p in (APP / "services").glob("*.py")} - {
        "__init__.py",
        "permissions.py",
        "policies.py",
        "workflow.py",
        "bootstrap.py",
    }
    assert not loose, f"feature modules outside a feature package: {sorted(loose)}"
