"""webhook event types: subscriptions keep only the event types the API can emit

Before event types became a closed list (EventType), a subscription accepted any code shaped
like `đối_tượng.việc`; a mistyped code never matched an event and now cannot be read back.
Unknown codes are dropped. A subscription left with no type would mean "every event", so it is
switched off instead, and its description says which codes were dropped.

Revision ID: 20261208_webhook_event_types
Revises: 20261208_signed_decisions
Create Date: 2026-12-08 02:10:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261208_webhook_event_types"
down_revision: str | None = "20261208_signed_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The event types as of this revision (app/core/event_types.py); types are only ever added.
KNOWN = frozenset(
    {
        "cluster_vote.closed", "cluster_vote.opened", "complaint.recorded", "complaint.resolved",
        "decision.corrected", "decision.recorded", "decision.signed_pdf_attached",
        "decision.signed_pdf_replaced", "dossier.appraised", "dossier.created",
        "dossier.received", "dossier.returned", "dossier.submitted", "dossier.withdrawn",
        "meeting.closed", "meeting.opened", "meeting.scheduled", "nomination.appraised",
        "nomination.approved", "nomination.awarded", "nomination.rejected",
        "nomination.state_result", "nomination.submitted_to_state", "plan.imported",
        "round.closed", "round.completed", "round.created", "round.extension_granted",
        "round.opened", "score_sheet.adjusted", "score_sheet.disputed", "score_sheet.submitted",
        "score_sheet.verified", "score_table.created", "score_table.decided",
        "score_table.opened", "score_table.published", "score_table.revised",
        "score_table.updated", "task.created", "task.reported", "task.updated", "webhook.ping",
    }
)  # fmt: skip


def _types(value: object) -> list[str]:
    if isinstance(value, str):  # a driver that hands JSON back as text
        value = json.loads(value)
    return list(value or [])


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, event_types, description FROM webhook_subscriptions")
    ).all()
    for row in rows:
        types = _types(row.event_types)
        kept = sorted(t for t in types if t in KNOWN)
        if kept == sorted(types):
            continue
        dropped = ", ".join(sorted(set(types) - KNOWN))
        values: dict[str, object] = {"id": row.id, "types": json.dumps(kept)}
        if kept:
            sql = "UPDATE webhook_subscriptions SET event_types = {types} WHERE id = :id"
        else:
            note = f"Đã tắt: loại sự kiện không tồn tại ({dropped})"
            values["description"] = (f"{row.description} — {note}" if row.description else note)[
                :500
            ]
            sql = (
                "UPDATE webhook_subscriptions SET event_types = {types}, active = false, "
                "description = :description WHERE id = :id"
            )
        cast = "CAST(:types AS JSONB)" if bind.dialect.name == "postgresql" else ":types"
        bind.execute(sa.text(sql.format(types=cast)), values)


def downgrade() -> None:
    """Nothing to restore: the dropped codes never matched an event."""
