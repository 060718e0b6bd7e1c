"""Every stable `code` the API can answer with is a member of the `ProblemCode` enum, which the
OpenAPI document publishes; and every member is still raised somewhere."""

import ast
from pathlib import Path

from app.core import errors
from app.core.errors import ProblemCode
from app.services.plans.parser import ERROR_CODES

APP = Path(__file__).resolve().parent.parent / "app"
# The callables whose `code=` (or, for the plan reader, first argument) becomes a problem's code;
# `__init__` is an error class's constructor handing its own code to its base
# (`super().__init__(detail, code="...")`).
RAISERS = {
    "problem_response", "problem_document", "Refusal", "PlanParseError", "flush_or_conflict",
    "__init__",
}  # fmt: skip


def _error_classes(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _error_classes(sub)
    return found


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _forwarders(trees: dict[Path, ast.Module], raisers: set[str]) -> dict[str, int]:
    """Helpers that take a `code` parameter and raise with it (`require_status(..., code, ...)`),
    with the position of that parameter."""
    found: dict[str, int] = {}
    for tree in trees.values():
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = [a.arg for a in fn.args.args]
            if "code" not in names:
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and _callee(node) in raisers:
                    if any(
                        k.arg == "code" and isinstance(k.value, ast.Name) for k in node.keywords
                    ):
                        found[fn.name] = names.index("code")
    return found


def raised_codes() -> dict[str, str]:
    """Each code written in the app's source, with where it is written."""
    classes = _error_classes(errors.DomainError) | {errors.DomainError}
    raisers = RAISERS | {cls.__name__ for cls in classes}
    found = {cls.default_code: f"{cls.__module__}.{cls.__name__}" for cls in classes}
    found |= {code: "app.core.errors._HTTP_CODES" for code, _, _ in errors._HTTP_CODES.values()}
    found[errors.HTTP_ERROR] = "app.core.errors.HTTP_ERROR"
    found |= dict.fromkeys(ERROR_CODES, "app.services.plans.parser.ERROR_CODES")
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in APP.rglob("*.py")}
    forwarders = _forwarders(trees, raisers)
    positions = {"PlanParseError": 0} | forwarders
    for path, tree in trees.items():
        for node in ast.walk(tree):
            callee = _callee(node) if isinstance(node, ast.Call) else None
            if callee not in raisers and callee not in positions:
                continue
            values = [k.value for k in node.keywords if k.arg == "code"]
            if callee in positions and len(node.args) > positions[callee]:
                values.append(node.args[positions[callee]])
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, f"{path.relative_to(APP.parent)}:{node.lineno}")
    return found


def test_every_raised_code_is_in_the_enum():
    members = {member.value for member in ProblemCode}
    missing = {code: where for code, where in raised_codes().items() if code not in members}
    assert not missing, f"add these codes to ProblemCode (app/core/errors.py): {missing}"


def test_every_enum_member_is_raised_somewhere():
    raised = raised_codes()
    stale = sorted(code for code in ProblemCode if code not in raised)
    assert not stale, f"no code raises these ProblemCode members any more: {stale}"


def test_the_walk_sees_codes_of_every_kind():
    raised = raised_codes()
    # a keyword code, a class default, a workflow refusal, a framework error, the plan reader's
    for code in ("missing_documents", "version_mismatch", "dossier_not_editable",
                 "method_not_allowed", "bad_header", "validation_error",
                 "meeting_not_scheduled"):  # fmt: skip
        assert code in raised
