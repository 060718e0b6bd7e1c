"""Announce changes of the callers' tables (PostgreSQL): `NOTIFY tdkt_principals`.

An API process keeps the caller rows it has read (`app.core.principal_cache`) and forgets them
when any statement changes `users` or `role_grants`, whoever runs it. A statement trigger
sends the notification, which PostgreSQL delivers at commit (and not at all on rollback).
SQLite: nothing (its processes keep no rows).

Revision ID: 20261210_principal_notify
Revises: 20261210_dossier_totals
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261210_principal_notify"
down_revision: str | None = "20261210_dossier_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG = [
    """
CREATE FUNCTION principals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tdkt_principals', TG_TABLE_NAME);
    RETURN NULL;
END $$
""",
    "CREATE TRIGGER users_principals_changed AFTER INSERT OR UPDATE OR DELETE ON users "
    "FOR EACH STATEMENT EXECUTE FUNCTION principals_changed()",
    "CREATE TRIGGER role_grants_principals_changed AFTER INSERT OR UPDATE OR DELETE "
    "ON role_grants FOR EACH STATEMENT EXECUTE FUNCTION principals_changed()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS role_grants_principals_changed ON role_grants",
    "DROP TRIGGER IF EXISTS users_principals_changed ON users",
    "DROP FUNCTION IF EXISTS principals_changed()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_DROP:
            op.execute(statement)
