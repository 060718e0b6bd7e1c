"""list indexes: the dossier list's equality filters carry the id (a filtered page is read in
order from the index), and the nominations' dossier index covers what the round report counts

Revision ID: 20261207_list_indexes
Revises: 20261207_rule_effective_dates
Create Date: 2026-12-07 23:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261207_list_indexes"
down_revision: str | None = "20261207_rule_effective_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ("round_id", "status", "submitting_unit_id", "cluster_id")
COUNTS = ("dossier_id", "status", "nominee_kind", "award_type_code", "appraisal_conclusion")


def upgrade() -> None:
    for column in FILTERED:
        op.create_index(f"ix_dossiers_{column}_id", "dossiers", [column, "id"])
        op.drop_index(f"ix_dossiers_{column}", table_name="dossiers")
    op.create_index("ix_nominations_dossier_counts", "nominations", list(COUNTS))
    op.drop_index("ix_nominations_dossier_id", table_name="nominations")
    op.create_index(
        "ix_nominations_award_type_code_dossier_id",
        "nominations",
        ["award_type_code", "dossier_id"],
    )
    op.drop_index("ix_nominations_award_type_code", table_name="nominations")


def downgrade() -> None:
    op.create_index("ix_nominations_award_type_code", "nominations", ["award_type_code"])
    op.drop_index("ix_nominations_award_type_code_dossier_id", table_name="nominations")
    op.create_index("ix_nominations_dossier_id", "nominations", ["dossier_id"])
    op.drop_index("ix_nominations_dossier_counts", table_name="nominations")
    for column in FILTERED:
        op.create_index(f"ix_dossiers_{column}", "dossiers", [column])
        op.drop_index(f"ix_dossiers_{column}_id", table_name="dossiers")
