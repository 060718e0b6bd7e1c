"""event units: an event may be followed by several units besides its own `unit_id` (a
published list of several units' nominations is seen by each of them)

Revision ID: 20261209_event_units
Revises: 20261208_disclosure_lists
Create Date: 2026-12-09 01:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261209_event_units"
down_revision: str | None = "20261208_disclosure_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The event types that came with it: the version before does not know them.
NEW_TYPES = (
    "disclosure.published",
    "disclosure.updated",
    "disclosure.opinion_recorded",
    "disclosure.opinion_updated",
)


def upgrade() -> None:
    op.create_table(
        "event_units",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            ondelete="CASCADE",
            name=op.f("fk_event_units_event_id_events"),
        ),
        sa.PrimaryKeyConstraint("event_id", "unit_id", name=op.f("pk_event_units")),
    )
    op.create_index(op.f("ix_event_units_unit_id"), "event_units", ["unit_id"])


def downgrade() -> None:
    """The disclosure events go too, and the subscriptions forget their types: the version
    before could not read either. A subscription to those types alone is switched off rather
    than left with none (which would mean every event)."""
    op.drop_index(op.f("ix_event_units_unit_id"), table_name="event_units")
    op.drop_table("event_units")
    bind = op.get_bind()
    events = sa.table("events", sa.column("type", sa.String))
    bind.execute(sa.delete(events).where(events.c.type.in_(NEW_TYPES)))
    cast = "CAST(:types AS JSONB)" if bind.dialect.name == "postgresql" else ":types"
    for row in bind.execute(sa.text("SELECT id, event_types FROM webhook_subscriptions")).all():
        value = row.event_types
        subscribed = list((json.loads(value) if isinstance(value, str) else value) or [])
        kept = [t for t in subscribed if t not in NEW_TYPES]
        if kept == subscribed:
            continue
        bind.execute(
            sa.text(
                f"UPDATE webhook_subscriptions SET event_types = {cast}, "  # noqa: S608 (a cast)
                "active = active AND :keep WHERE id = :id"
            ),
            {"id": row.id, "types": json.dumps(kept), "keep": bool(kept)},
        )
