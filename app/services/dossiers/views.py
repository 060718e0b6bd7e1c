"""Response shapes of dossiers, nominations and attachments, with checks computed in bulk."""

import copy
from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.models import Attachment, AuditEntry, Dossier, Nomination
from app.services import policies
from app.services.award_types.criteria import Check
from app.services.decisions import outcomes
from app.services.dossiers.checks import checks_for

DOSSIER_FIELDS = (
    "id",
    "code",
    "year",
    "round_id",
    "kind",
    "owner_kind",
    "submitting_unit_id",
    "cluster_id",
    "title",
    "status",
    "submitted_at",
    "received_at",
    "appraised_at",
    "return_due_on",
    "appraisal_due_on",
    "supplement_due_on",
    "submission_count",
    "created_at",
    "updated_at",
    "version",
)
NOMINATION_FIELDS = (
    "id",
    "dossier_id",
    "nominee_kind",
    "nominee_name",
    "nominee_unit_id",
    "collective_id",
    "position",
    "birth_year",
    "award_type_code",
    "achievement_summary",
    "prior_awards",
    "status",
    "version",
)
PERSONAL_FIELDS = ("position", "birth_year")
# What a person wrote about themselves: blank for readers, unless the nominee is a collective.
INDIVIDUAL_FIELDS = {"achievement_summary": "", "prior_awards": []}


def attachment_view(row: Attachment) -> dict[str, Any]:
    """The contract's shape of a paper (never its storage name)."""
    return {
        name: getattr(row, name)
        for name in (
            "id",
            "dossier_id",
            "nomination_id",
            "filename",
            "content_type",
            "size",
            "sha256",
            "document_type",
            "created_at",
        )
    }


def _appraisal(row: Nomination) -> dict[str, Any] | None:
    if row.appraisal_conclusion is None:
        return None
    return {
        "conclusion": row.appraisal_conclusion,
        "note": row.appraisal_note,
        "appraised_at": row.appraised_at,
        "appraised_by_name": row.appraised_by_name,
    }


def nomination_view(row: Nomination, checks: list[Check], personal: bool) -> dict[str, Any]:
    """The contract's shape of a nomination; personal fields blanked for readers."""
    view = {name: getattr(row, name) for name in NOMINATION_FIELDS}
    if not personal:
        view.update(dict.fromkeys(PERSONAL_FIELDS))
        if row.nominee_kind == "individual":
            view.update({name: copy.copy(blank) for name, blank in INDIVIDUAL_FIELDS.items()})
    view["checks"] = [asdict(c) for c in checks]
    view["appraisal"] = _appraisal(row)
    # Filled by council meetings and decisions.
    view["vote_result"] = None
    view["decision"] = None
    return view


def _dossier_view(
    dossier: Dossier, checks: dict[int, list[Check]], personal: bool
) -> dict[str, Any]:
    view = {name: getattr(dossier, name) for name in DOSSIER_FIELDS}
    view["nominations"] = [
        nomination_view(n, checks.get(n.id, []), personal) for n in dossier.nominations
    ]
    view["attachments"] = [attachment_view(a) for a in dossier.attachments]
    return view


async def dossier_views(
    session: AsyncSession, principal: Principal, dossiers: list[Dossier]
) -> list[dict[str, Any]]:
    """Shape dossiers (children loaded) for `principal`; checks cost two queries in all."""
    nominations = [n for d in dossiers for n in d.nominations]
    checks = await checks_for(session, nominations, {d.id: d.year for d in dossiers})
    personal = policies.sees_personal_data(principal)
    shaped = [_dossier_view(d, checks, personal) for d in dossiers]
    await outcomes.fill(session, [n for d in shaped for n in d["nominations"]])
    return shaped


async def dossier_view(
    session: AsyncSession, principal: Principal, dossier: Dossier
) -> dict[str, Any]:
    """One dossier shaped for `principal`."""
    return (await dossier_views(session, principal, [dossier]))[0]


async def nomination_read(
    session: AsyncSession, principal: Principal, nomination: Nomination, year: int
) -> dict[str, Any]:
    """One nomination shaped for `principal`, with its checks."""
    checks = await checks_for(session, [nomination], {nomination.dossier_id: year})
    view = nomination_view(
        nomination, checks[nomination.id], policies.sees_personal_data(principal)
    )
    await outcomes.fill(session, [view])
    return view


def history_view(entry: AuditEntry, personal: bool) -> dict[str, Any]:
    """An audit entry of the dossier; readers see who did what, not the recorded values."""
    view = {
        name: getattr(entry, name)
        for name in ("id", "occurred_at", "actor_name", "actor_role", "action", "comment")
    }
    view["before"] = entry.before if personal else None
    view["after"] = entry.after if personal else None
    return view
