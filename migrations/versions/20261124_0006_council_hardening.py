"""council hardening: voter roll, sealed ballots, receipt-keyed read-back, agenda thresholds

Ballots are sealed while a meeting is open and written as plain choices only at the close, so
`ballot_choices` loses `ballot_ref`; `ballot_receipts` now holds the choices sealed under the
voter's one-time receipt. Both ballot tables are recreated (WITHOUT ROWID on SQLite): their
old rows cannot be converted (old receipts named no choices), and the counted results of
closed meetings stay in `meeting_results`. Close every open meeting before upgrading.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _choices_table(with_ref: bool) -> None:
    op.create_table(
        "ballot_choices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        *([sa.Column("ballot_ref", sa.String(length=36), nullable=False)] if with_ref else []),
        sa.CheckConstraint(
            "choice IN ('approve', 'reject', 'abstain')", name=op.f("ck_ballot_choices_choice")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_ballot_choices_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nominations.id"],
            name=op.f("fk_ballot_choices_nomination_id_nominations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_choices")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_ballot_choices_meeting_id"), "ballot_choices", ["meeting_id"], unique=False
    )


def _drop_choices_table() -> None:
    op.drop_index(op.f("ix_ballot_choices_meeting_id"), table_name="ballot_choices")
    op.drop_table("ballot_choices")


def upgrade() -> None:
    op.create_table(
        "meeting_voters",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_voters_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["council_members.id"],
            name=op.f("fk_meeting_voters_member_id_council_members"),
        ),
        sa.PrimaryKeyConstraint("meeting_id", "member_id", name=op.f("pk_meeting_voters")),
    )
    op.create_table(
        "sealed_ballots",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_sealed_ballots_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sealed_ballots")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_sealed_ballots_meeting_id"), "sealed_ballots", ["meeting_id"], unique=False
    )
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("threshold_percent", sa.Float(), nullable=True))
    _drop_choices_table()
    _choices_table(with_ref=False)
    op.drop_table("ballot_receipts")
    op.create_table(
        "ballot_receipts",
        sa.Column("receipt_key", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("receipt_key", name=op.f("pk_ballot_receipts")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("ballot_receipts")
    op.create_table(
        "ballot_receipts",
        sa.Column("receipt_key", sa.String(length=64), nullable=False),
        sa.Column("sealed_ref", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("receipt_key", name=op.f("pk_ballot_receipts")),
        sqlite_with_rowid=False,
    )
    _drop_choices_table()
    _choices_table(with_ref=True)
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.drop_column("threshold_percent")
    op.drop_index(op.f("ix_sealed_ballots_meeting_id"), table_name="sealed_ballots")
    op.drop_table("sealed_ballots")
    op.drop_table("meeting_voters")
