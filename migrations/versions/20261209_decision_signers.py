"""decision signers: a recorded decision keeps its signer's office and whether a deputy signed
for the Chủ tịch (ký thay, KT. CHỦ TỊCH / PHÓ CHỦ TỊCH), so its paper prints the signature block
as signed; decisions recorded before were signed by the Chủ tịch

Revision ID: 20261209_decision_signers
Revises: 20261209_one_rule_values_table
Create Date: 2026-12-09 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261209_decision_signers"
down_revision: str | None = "20261209_one_rule_values_table"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(
            sa.Column("signer_title", sa.String(100), nullable=False, server_default="Chủ tịch")
        )
        batch.add_column(sa.Column("on_behalf", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("on_behalf")
        batch.drop_column("signer_title")
