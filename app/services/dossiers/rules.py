"""Pure rules of the dossier workflow: when a round takes a unit's dossier, which papers are
missing, and how a nominee is recognised across dossiers."""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from app.core.nominee_kinds import NomineeKind
from app.core.statuses import DossierStatus, RoundStatus
from app.core.text import fold, search_text
from app.core.working_days import today_in_vietnam
from app.models import Attachment, Nomination, Round
from app.services.award_types.catalogue import DOCUMENT_TYPES

EDITABLE_STATUSES = frozenset({DossierStatus.DRAFT, DossierStatus.RETURNED})
# Periodic and dedication dossiers belong to a round; thematic and unscheduled ones may not.
ROUNDLESS_KINDS = frozenset({"thematic", "unscheduled"})


def now() -> datetime:
    """The one clock of rounds and dossiers (tests set it here)."""
    return datetime.now(UTC)


def today() -> date:
    """Today in Asia/Ho_Chi_Minh: the business date every clock of the workflow counts from."""
    return today_in_vietnam(now())


def submission_window(
    round_: Round, extension_until: date | None, supplement_due_on: date | None, on: date
) -> str | None:
    """Why `round_` takes a dossier on `on`, or None when it does not.

    `open`: the round is open and `on` is not past `submission_closes_on` (its whole last day
    counts). `extension`: the unit's latest extension (`extension_until`) still runs, even after
    the round closed. `supplement`: a returned dossier (pass its `supplement_due_on`) comes back
    by the deadline Sở Nội vụ set for it. Neither of the last two works once the round is
    completed (or before it opened).
    """
    if round_.status == RoundStatus.OPEN and on <= round_.submission_closes_on:
        return "open"
    if round_.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        return None
    if extension_until is not None and on <= extension_until:
        return "extension"
    if supplement_due_on is not None and on <= supplement_due_on:
        return "supplement"
    return None


def nominee_key(name: str) -> str:
    """A person's or collective's name folded for matching (no accents, case or extra spaces)."""
    return fold(name)[:300]


def missing_documents(
    nominations: Iterable[Nomination],
    attachments: Iterable[Attachment],
    required: Mapping[str, list[str]],
) -> list[dict[str, Any]]:
    """Required papers absent for each nomination; papers without a nomination serve all."""
    attachments = list(attachments)
    shared = {a.document_type for a in attachments if a.nomination_id is None}
    missing = []
    for nomination in nominations:
        have = shared | {a.document_type for a in attachments if a.nomination_id == nomination.id}
        for code in required.get(nomination.award_type_code, []):
            if code not in have:
                missing.append(
                    {
                        "nomination_id": nomination.id,
                        "nominee_name": nomination.nominee_name,
                        "award_type_code": nomination.award_type_code,
                        "document_type": code,
                        "document_name": DOCUMENT_TYPES.get(code, code),
                    }
                )
    return missing


def missing_message(missing: list[dict[str, Any]]) -> str:
    """The missing papers in Vietnamese, grouped by nominee."""
    by_nominee: dict[str, list[str]] = {}
    for item in missing:
        by_nominee.setdefault(item["nominee_name"], []).append(item["document_name"])
    parts = [f"{name}: {', '.join(docs)}" for name, docs in by_nominee.items()]
    return "Hồ sơ còn thiếu giấy tờ bắt buộc — " + "; ".join(parts) + "."


def same_nominee(a: Nomination, b: Nomination) -> bool:
    """One person (folded name and birth year), one collective (its row in the register;
    two collectives of one unit, such as a sở and its hospital, are two nominees) or one
    household (folded name in the same unit's area)."""
    if a.nominee_kind != b.nominee_kind:
        return False
    if a.nominee_kind == NomineeKind.COLLECTIVE and a.collective_id and b.collective_id:
        return a.collective_id == b.collective_id
    if a.nominee_kind == NomineeKind.COLLECTIVE:
        return a.nominee_key == b.nominee_key
    if a.nominee_kind == NomineeKind.HOUSEHOLD:
        return a.nominee_key == b.nominee_key and a.nominee_unit_id == b.nominee_unit_id
    return a.nominee_key == b.nominee_key and a.birth_year == b.birth_year


def dossier_search_text(code: str, title: str, nominee_names: Iterable[str]) -> str:
    """`?q=` finds a dossier by its code, title or any nominee's name, without accents."""
    return search_text(code, title, *nominee_names)
