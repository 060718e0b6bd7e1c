"""dossier nomination count: how many nominations a dossier holds, kept with them

A round's report sums dossiers and nominations per unit and per cluster; reading the count
beside the dossier spares it a probe of the nominations per dossier (33,000 per round at 2
million nominations). Filled here from the nominations; kept by the application afterwards.

Revision ID: 20261209_dossier_nominations
Revises: 20261209_decision_signers
Create Date: 2026-12-09 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261209_dossier_nominations"
down_revision: str | None = "20261209_decision_signers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(
            sa.Column("nomination_count", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE dossiers SET nomination_count = (SELECT count(*) FROM nominations"
        " WHERE nominations.dossier_id = dossiers.id)"
    )


def downgrade() -> None:
    # In place (SQLite ≥ 3.35 drops a plain column): a batch copy would drop and recreate
    # `dossiers`, which the tables referring to it forbid.
    op.drop_column("dossiers", "nomination_count")
