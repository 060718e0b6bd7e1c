"""collectives: a register of collectives (tập thể), which award history and nominations point
at, so one collective's awards never count for another of the same unit; the decision year of
an award beside the year of its achievement

Revision ID: 20261206_collectives
Revises: 0008
Create Date: 2026-12-06 19:00:00.000000
"""

from collections.abc import Sequence
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

import app.models.base
from app.core.text import search_text
from app.services.nominees.collectives import name_key

revision: str = "20261206_collectives"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collectives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_collectives_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collectives")),
        sa.UniqueConstraint("unit_id", "name_key", name=op.f("uq_collectives_unit_id_name_key")),
    )
    with op.batch_alter_table("collectives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collectives_unit_id"), ["unit_id"])
    for table in ("award_history", "nominations"):
        _add_collective_id(table)
    op.add_column("award_history", sa.Column("decision_year", sa.Integer(), nullable=True))
    _backfill()


def _add_collective_id(table: str) -> None:
    """A plain ADD COLUMN with its foreign key: rebuilding these tables on SQLite (batch mode)
    would drop them, and dropping a referenced table cascades deletes."""
    fk = f"fk_{table}_collective_id_collectives"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN collective_id INTEGER "
            f"CONSTRAINT {fk} REFERENCES collectives (id)"
        )
    else:
        op.add_column(table, sa.Column("collective_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk, table, "collectives", ["collective_id"], ["id"])
    op.create_index(f"ix_{table}_collective_id", table, ["collective_id"])


def _backfill() -> None:
    """Register the collectives already named in the history and the nominations."""
    bind = op.get_bind()
    units = {
        row.id: SimpleNamespace(name=row.name, short_name=row.short_name, aliases=row.aliases)
        for row in bind.execute(sa.text("SELECT id, name, short_name, aliases FROM units"))
    }
    bind.execute(
        sa.text(
            "UPDATE award_history SET decision_year = CAST(strftime('%Y', decided_on) AS INTEGER)"
            if bind.dialect.name == "sqlite"
            else "UPDATE award_history SET decision_year = EXTRACT(YEAR FROM decided_on)::int"
        )
    )
    registered: dict[tuple[int | None, str], int] = {}
    for table, name_column, unit_column in (
        ("award_history", "nominee_name", "unit_id"),
        ("nominations", "nominee_name", "nominee_unit_id"),
    ):
        rows = bind.execute(
            sa.text(
                f"SELECT id, {name_column} AS name, {unit_column} AS unit_id FROM {table} "  # noqa: S608
                "WHERE nominee_kind = 'collective'"
            )
        ).all()
        for row in rows:
            unit = units.get(row.unit_id)
            key = name_key(row.name, unit)[:300]
            if (row.unit_id, key) not in registered:
                shown = unit.name if key == "" and unit is not None else row.name
                registered[(row.unit_id, key)] = bind.execute(
                    sa.text(
                        "INSERT INTO collectives (unit_id, name, name_key, search_text, "
                        "created_at) VALUES (:unit_id, :name, :key, :search, CURRENT_TIMESTAMP) "
                        "RETURNING id"
                    ),
                    {"unit_id": row.unit_id, "name": shown, "key": key,
                     "search": search_text(shown, unit.name if unit else None)},
                ).scalar_one()  # fmt: skip
            bind.execute(
                sa.text(f"UPDATE {table} SET collective_id = :c WHERE id = :id"),  # noqa: S608
                {"c": registered[(row.unit_id, key)], "id": row.id},
            )


def downgrade() -> None:
    with op.batch_alter_table("award_history", schema=None) as batch_op:
        batch_op.drop_column("decision_year")
    for table in ("nominations", "award_history"):
        op.drop_index(f"ix_{table}_collective_id", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if op.get_bind().dialect.name != "sqlite":  # SQLite keeps the key unnamed
                batch_op.drop_constraint(
                    f"fk_{table}_collective_id_collectives", type_="foreignkey"
                )
            batch_op.drop_column("collective_id")
    with op.batch_alter_table("collectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collectives_unit_id"))
    op.drop_table("collectives")
