"""stored checks: a nomination keeps its criteria checks as last computed (NULL once an input
of the criteria changes), so reads do not evaluate the criteria again; trigram indexes (pg_trgm
GIN on PostgreSQL) behind the searches of units, dossiers and award history without diacritics

Revision ID: 20261206_stored_checks
Revises: 20261206_cluster_emulation
Create Date: 2026-12-06 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_stored_checks"
down_revision: str | None = "20261206_cluster_emulation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SEARCHED = ("units", "dossiers", "award_history")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCHED:
        op.create_index(
            f"ix_{table}_search_text_trgm",
            table,
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(
            sa.Column(
                "criteria_checks",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column("checks_stamp", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    for table in SEARCHED:
        op.drop_index(f"ix_{table}_search_text_trgm", table_name=table)
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("checks_stamp")
        batch.drop_column("criteria_checks")
