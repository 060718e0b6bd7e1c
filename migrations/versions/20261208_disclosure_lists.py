"""disclosure lists: a public disclosure (công khai) becomes a published list of several
nominations with a title, an end date (hạn nhận ý kiến) and where to send opinions, and keeps
the opinions (ý kiến) received about it

Each existing disclosure (one nomination each) becomes a list of that one nomination; its end
date and feedback address stay empty, since nobody recorded them.

Revision ID: 20261208_disclosure_lists
Revises: 20261208_holiday_updated_at
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261208_disclosure_lists"
down_revision: str | None = "20261208_holiday_updated_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIGRATED_TITLE = "Danh sách công khai đề nghị khen thưởng"
UTC = app.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    # The items are copied out first, and get their foreign keys only once `disclosures` has
    # been rebuilt: on SQLite the rebuild drops the old table, which would cascade to them.
    op.create_table(
        "disclosure_items",
        sa.Column("disclosure_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("disclosure_id", "nomination_id", name=op.f("pk_disclosure_items")),
    )
    op.create_index(
        op.f("ix_disclosure_items_nomination_id"), "disclosure_items", ["nomination_id"]
    )
    op.execute(
        "INSERT INTO disclosure_items (disclosure_id, nomination_id) "
        "SELECT id, nomination_id FROM disclosures"
    )

    op.add_column("disclosures", sa.Column("updated_at", UTC))
    op.execute("UPDATE disclosures SET updated_at = created_at")
    with op.batch_alter_table("disclosures") as batch:
        batch.add_column(
            sa.Column("title", sa.String(300), server_default=MIGRATED_TITLE, nullable=False)
        )
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("feedback_to", sa.Text(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.alter_column(
            "updated_at", existing_type=UTC, nullable=False,
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
        )  # fmt: skip
        batch.create_foreign_key(
            batch.f("fk_disclosures_round_id_rounds"), "rounds", ["round_id"], ["id"]
        )
        batch.create_index(batch.f("ix_disclosures_round_id"), ["round_id"])
        batch.create_index(batch.f("ix_disclosures_published_on"), ["published_on"])
        batch.create_index(batch.f("ix_disclosures_ends_on"), ["ends_on"])
        batch.drop_index(batch.f("ix_disclosures_nomination_id"))
        batch.drop_constraint(batch.f("fk_disclosures_nomination_id_nominations"), "foreignkey")
        batch.drop_column("nomination_id")
    with op.batch_alter_table("disclosures") as batch:
        batch.alter_column("title", existing_type=sa.String(300), server_default=None)
    with op.batch_alter_table("disclosure_items") as batch:
        batch.create_foreign_key(
            batch.f("fk_disclosure_items_disclosure_id_disclosures"), "disclosures",
            ["disclosure_id"], ["id"], ondelete="CASCADE",
        )  # fmt: skip
        batch.create_foreign_key(
            batch.f("fk_disclosure_items_nomination_id_nominations"), "nominations",
            ["nomination_id"], ["id"],
        )  # fmt: skip

    op.create_table(
        "disclosure_opinions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disclosure_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("sender", sa.String(300), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=True),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", UTC, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["disclosure_id"],
            ["disclosures.id"],
            ondelete="CASCADE",
            name=op.f("fk_disclosure_opinions_disclosure_id_disclosures"),
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nominations.id"],
            name=op.f("fk_disclosure_opinions_nomination_id_nominations"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_disclosure_opinions_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_opinions")),
    )
    op.create_index(
        op.f("ix_disclosure_opinions_disclosure_id"), "disclosure_opinions", ["disclosure_id"]
    )
    op.create_index(
        op.f("ix_disclosure_opinions_nomination_id"), "disclosure_opinions", ["nomination_id"]
    )


def downgrade() -> None:
    """Back to one row per nominated disclosure: a list of several nominations becomes one
    disclosure per nomination; the opinions, titles, end dates and addresses are lost."""
    op.drop_table("disclosure_opinions")
    with op.batch_alter_table("disclosures") as batch:
        batch.add_column(sa.Column("nomination_id", sa.Integer(), nullable=True))
    # The first nomination stays on the list's row; every other one gets a copy of the row.
    op.execute(
        "UPDATE disclosures SET nomination_id = (SELECT min(i.nomination_id) FROM "
        "disclosure_items i WHERE i.disclosure_id = disclosures.id)"
    )
    op.execute(
        "INSERT INTO disclosures (nomination_id, published_on, channel, url, created_by_id, "
        "created_at, updated_at, title, version) "
        "SELECT i.nomination_id, d.published_on, d.channel, d.url, d.created_by_id, "
        "d.created_at, d.updated_at, d.title, 1 FROM disclosure_items i "
        "JOIN disclosures d ON d.id = i.disclosure_id WHERE i.nomination_id <> d.nomination_id"
    )
    op.execute("DELETE FROM disclosures WHERE nomination_id IS NULL")
    with op.batch_alter_table("disclosures") as batch:
        batch.alter_column("nomination_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            batch.f("fk_disclosures_nomination_id_nominations"), "nominations",
            ["nomination_id"], ["id"],
        )  # fmt: skip
        batch.create_index(batch.f("ix_disclosures_nomination_id"), ["nomination_id"])
        batch.drop_index(batch.f("ix_disclosures_ends_on"))
        batch.drop_index(batch.f("ix_disclosures_published_on"))
        batch.drop_index(batch.f("ix_disclosures_round_id"))
        batch.drop_constraint(batch.f("fk_disclosures_round_id_rounds"), "foreignkey")
        batch.drop_column("version")
        batch.drop_column("feedback_to")
        batch.drop_column("ends_on")
        batch.drop_column("round_id")
        batch.drop_column("title")
        batch.drop_column("updated_at")
    op.drop_table("disclosure_items")
