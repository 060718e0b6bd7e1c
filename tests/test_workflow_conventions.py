"""Guards of the state machines and of the transaction's edges: every status moves through the
one table, every status has its Vietnamese name, and only the route class ends a transaction."""

import re
from pathlib import Path

import pytest

from app.core import statuses
from app.models import Complaint, Dossier, Meeting, Nomination, Round, Task
from app.schemas import decisions, dossiers, emulation, meetings, rounds, tasks, webhooks
from app.services.workflow import MACHINES, TRANSITIONS, apply

APP = Path(__file__).resolve().parents[1] / "app"
SERVICES = APP / "services"
# `x.status = ...`, `x.status, y = ...`, `setattr(x, "status", ...)`, an UPDATE's
# `.values(status=...)`: writing a status by hand.
STATUS_WRITE = re.compile(
    r"^\s*[\w.\[\]]+\.status\s*(?:,\s*[\w.\[\]]+\s*)*=(?!=)"
    r"|setattr\([^,]+,\s*[\"']status[\"']|\.values\([^)]*\bstatus\s*="
)


def _sources(root: Path, *, besides: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        str(path.relative_to(APP)): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.py"))
        if str(path.relative_to(APP)) not in besides
    }


def _hits(pattern: re.Pattern[str], sources: dict[str, str]) -> list[str]:
    return [
        f"{name}:{number}: {line.strip()}"
        for name, text in sources.items()
        for number, line in enumerate(text.splitlines(), 1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]


def test_every_status_is_written_by_the_workflow_only():
    assert _hits(STATUS_WRITE, _sources(SERVICES, besides=("services/workflow.py",))) == []
    assert _hits(STATUS_WRITE, _sources(APP / "api")) == []


def test_the_status_write_guard_sees_each_form():
    written = ('row.status = "x"', "m.status, m.at = a, b", 'setattr(row, "status", v)',
               'update(Task).values(status="done")')  # fmt: skip
    for line in written:
        assert STATUS_WRITE.search(line), line
    for line in ('row.status == "x"', 'Round(status="draft")', "check(m.status, obj=m)"):
        assert not STATUS_WRITE.search(line), line


@pytest.mark.parametrize("entity", sorted(MACHINES))
def test_each_machine_moves_between_its_own_statuses(entity):
    machine = MACHINES[entity]
    codes = set(machine.statuses.values())
    assert machine.statuses is statuses.MACHINE_STATUSES[entity]
    for action, move in machine.moves.items():
        assert move.sources and move.targets, action
        assert move.sources <= codes and move.targets <= codes, action
        assert all(isinstance(s, machine.statuses) for s in move.sources | move.targets), action
        if move.event is not None:
            assert move.event.startswith(f"{entity}."), action
    assert set(TRANSITIONS) >= {(entity, action) for action in machine.moves}


@pytest.mark.parametrize("enum", statuses.MACHINE_STATUSES.values(), ids=lambda e: e.__name__)
def test_every_status_has_a_vietnamese_name(enum):
    for member in enum:
        assert member.label.strip() and member.label != member.value, member
        assert any(ord(char) > 127 for char in member.label), member
        assert member.display[0].isupper(), member


@pytest.mark.parametrize(
    ("schema", "enum"),
    [
        (dossiers.DossierStatus, statuses.DossierStatus),
        (dossiers.NominationStatus, statuses.NominationStatus),
        (rounds.RoundStatus, statuses.RoundStatus),
        (meetings.MeetingStatus, statuses.MeetingStatus),
        (decisions.ComplaintStatus, statuses.ComplaintStatus),
        (tasks.TaskStatus, statuses.TaskStatus),
        (emulation.TableStatus, statuses.ScoreTableStatus),
        (emulation.SheetStatus, statuses.ScoreSheetStatus),
        (webhooks.DeliveryStatus, statuses.DeliveryStatus),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_the_schemas_use_the_status_enums_themselves(schema, enum):
    # Named schemas in the document (`RoundStatus`, `TaskStatus`...), not inline literals.
    assert schema is enum


def test_the_narrower_enums_are_nomination_statuses():
    assert [c.value for c in dossiers.AppraisalConclusion] == ["eligible", "ineligible"]
    assert [c.value for c in decisions.StateOutcome] == ["awarded", "rejected"]
    assert {c.value for c in dossiers.AppraisalConclusion} <= set(statuses.NominationStatus)
    assert {c.value for c in decisions.StateOutcome} <= set(statuses.NominationStatus)


@pytest.mark.parametrize(
    ("model", "enum"),
    [
        (Round, statuses.RoundStatus),
        (Dossier, statuses.DossierStatus),
        (Nomination, statuses.NominationStatus),
        (Meeting, statuses.MeetingStatus),
        (Complaint, statuses.ComplaintStatus),
        (Task, statuses.TaskStatus),
    ],
)
def test_status_columns_are_checked_against_their_enum(model, enum):
    checks = [
        str(c.sqltext)
        for c in model.__table__.constraints
        if str(getattr(c, "name", "")).endswith("_status")
    ]
    assert checks == [f"status IN ({', '.join(repr(v) for v in enum.values())})"]


def test_apply_refuses_a_status_smuggled_in_as_a_side_field():
    task = Task(status="not_started", completed_on=None, progress_percent=0)
    with pytest.raises(ValueError, match="status"):
        apply(task, "task", "correct", target="done", changes={"status": "cancelled"})


def test_apply_stores_the_plain_code():
    task = Task(status="in_progress", completed_on=None, progress_percent=40)
    step = apply(task, "task", "correct", target=statuses.TaskStatus.DONE)
    assert type(task.status) is str and task.status == "done"
    assert (step.previous, step.status) == ("in_progress", "done")


def test_only_the_route_class_ends_a_transaction():
    ends = re.compile(r"\.(commit|rollback)\(")
    assert _hits(ends, _sources(SERVICES)) == []
    # The CLI's and start-up jobs' session (`Database.session`) is their own commit point; the
    # SQLite driver's connection passes SQLAlchemy's commit and rollback on to sqlite3.
    assert [hit.split(":")[0] for hit in _hits(ends, _sources(APP / "core"))] == [
        "core/db.py",
        "core/db.py",
        "core/sqlite_driver.py",
        "core/sqlite_driver.py",
    ]


def test_dialect_branches_live_in_the_database_module():
    branch = re.compile(r"dialect\.name|\bpg_|\bpostgresql\b|\bsqlite\b")
    assert _hits(branch, _sources(SERVICES)) == []


def test_integrity_errors_become_conflicts_in_one_place():
    caught = re.compile(r"except\s+\(?[\w., ]*IntegrityError")
    hits = _hits(caught, _sources(APP, besides=("core/orm.py",)))
    # The idempotency claim retries on it instead: a lost race there is not an error.
    assert [hit.split(":")[0] for hit in hits] == ["api/idempotency.py"]
