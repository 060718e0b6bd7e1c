"""dossier search words: a GIN index of the words of a dossier's folded search text
(PostgreSQL only)

Every dossier's title reads "Tờ trình đề nghị khen thưởng số N": a search for one of them
by its title finds the needle's trigrams in every row, and the trigram index intersects
posting lists of the whole table (≈ 110 ms at 666,666 dossiers). The words index finds the
same rows from the needle's rarest word (< 1 ms); the `LIKE` still decides. SQLite keeps the
`LIKE` alone.

Revision ID: 20261210_dossier_search_words
Revises: 20261210_round_nomination_counts
Create Date: 2026-12-10 02:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261210_dossier_search_words"
down_revision: str | None = "20261210_round_nomination_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_dossiers_search_words ON dossiers"
            " USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_dossiers_search_words")
