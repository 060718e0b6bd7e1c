"""absence reasons: a council meeting's attendance records why a member is absent, for the
biên bản họp Hội đồng

Revision ID: 20261208_absence_reasons
Revises: 20261208_unit_title_edits
Create Date: 2026-12-08 02:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261208_absence_reasons"
down_revision: str | None = "20261208_unit_title_edits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_absences",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_meeting_absences_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["council_members.id"],
            name="fk_meeting_absences_member_id_council_members",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "member_id", name="pk_meeting_absences"),
    )


def downgrade() -> None:
    op.drop_table("meeting_absences")
