"""one table of rule values: the legal clocks and quorums move into the dated rule values, the
council's vote thresholds leave the award types for it, and a meeting's result keeps the basis
of its threshold

- Each `rule_values` row becomes dated rows of the same key: a row amended with a later
  `effective_from` (`previous_value` set) becomes two — the previous value from 2024-01-01 and
  the value from its `effective_from`; any other row becomes one, from its `effective_from` or,
  when it had none, from 2024-01-01 (the day Luật Thi đua, khen thưởng 2022 took effect, the
  date the service ships these values from). A row whose basis still says the council's rules
  are not issued is unverified; the others were set or shipped with their text.
- Each award type's `council_vote.threshold_percent` becomes the value of
  `council_vote_threshold_percent.<code>` from 2024-01-01, basis the council's rules,
  unverified; the award type keeps whether the council votes.
- A meeting's agenda no longer copies the threshold (the count reads the one in force on the
  meeting's day); `meeting_results.threshold_basis` keeps its legal basis.

Going back restores `rule_values` (the value of each key in force today, or the next one with
the current as its previous value), puts each award type's threshold in force today back in
its `council_vote`, and leaves the agenda items' threshold empty (the old count then reads the
award type's).

Revision ID: 20261209_one_rule_values_table
Revises: 20261209_event_units
Create Date: 2026-12-09 00:00:00.000000
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "20261209_one_rule_values_table"
down_revision: str | None = "20261209_event_units"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

START = date(2024, 1, 1)
THRESHOLD = "council_vote_threshold_percent."
COUNCIL_RULES = (
    "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng tỉnh (Kế hoạch 2026, nhiệm vụ I.7): "
    "chưa ban hành; Sở Nội vụ cập nhật số liệu, căn cứ và ngày hiệu lực khi quy chế được ban hành"
)
# Frozen here: the values of the keys `rule_values` held, as shipped when this was written, and
# the catalogue's thresholds — what going back writes where nothing was stored.
SHIPPED = {
    "return_working_days": 5,
    "supplement_working_days": 5,
    "appraisal_working_days": 20,
    "quorum_percent": 66.67,
    "award_quorum_percent": 80,
    "cluster_quorum_percent": 66.67,
    "cluster_vote_threshold_percent": 50,
}
SHIPPED_THRESHOLDS = {
    "chien_si_thi_dua_cap_tinh": 90,
    "chien_si_thi_dua_toan_quoc": 90,
    "anh_hung_lao_dong": 90,
    "co_thi_dua_ubnd_tinh": 80,
    "co_thi_dua_chinh_phu": 80,
    "bang_khen_thu_tuong": 80,
    "huan_chuong_lao_dong_hang_ba": 80,
}
OLD_UNITS = "unit IN ('dong', 'multiple')"
NEW_UNITS = "unit IN ('working_days', 'percent', 'dong', 'multiple')"

old_rules = sa.table(
    "rule_values",
    sa.column("key", sa.String), sa.column("value", sa.Float), sa.column("unit", sa.String),
    sa.column("name", sa.String), sa.column("legal_basis", sa.Text),
    sa.column("effective_from", sa.Date), sa.column("previous_value", sa.Float),
    sa.column("version", sa.Integer),
)  # fmt: skip
dated = sa.table(
    "dated_rule_values",
    sa.column("key", sa.String), sa.column("effective_from", sa.Date),
    sa.column("value", sa.Float), sa.column("unit", sa.String), sa.column("name", sa.String),
    sa.column("legal_basis", sa.Text), sa.column("verified", sa.Boolean),
    sa.column("version", sa.Integer),
)  # fmt: skip
award_types = sa.table(
    "award_types",
    sa.column("code", sa.String), sa.column("name", sa.String),
    sa.column("council_vote", app.models.base.JSONType),
)  # fmt: skip


def _units(check: str) -> None:
    with op.batch_alter_table("dated_rule_values") as batch:
        batch.drop_constraint("unit", type_="check")  # ck_dated_rule_values_unit
        batch.create_check_constraint("unit", check)


def _dated_rows(row) -> list[dict]:
    common = {"key": row.key, "unit": row.unit, "name": row.name,
              "legal_basis": row.legal_basis, "verified": row.legal_basis != COUNCIL_RULES,
              "version": row.version}  # fmt: skip
    if row.effective_from is None or row.effective_from <= START:
        return [{**common, "effective_from": row.effective_from or START, "value": row.value}]
    rows = [{**common, "effective_from": row.effective_from, "value": row.value}]
    if row.previous_value is not None:
        rows.append({**common, "effective_from": START, "value": row.previous_value})
    return rows


def upgrade() -> None:
    bind = op.get_bind()
    _units(NEW_UNITS)
    moved = [r for row in bind.execute(sa.select(old_rules)) for r in _dated_rows(row)]
    for row in bind.execute(sa.select(award_types)):
        vote = dict(row.council_vote or {})
        threshold = vote.pop("threshold_percent", None)
        if threshold is not None:
            moved.append({
                "key": THRESHOLD + row.code, "effective_from": START, "value": float(threshold),
                "unit": "percent", "legal_basis": COUNCIL_RULES, "verified": False,
                "name": f"Tỷ lệ thành viên Hội đồng biểu quyết đồng ý để đề nghị {row.name} (%)",
                "version": 1,
            })  # fmt: skip
        if "threshold_percent" in (row.council_vote or {}):
            bind.execute(
                award_types.update().where(award_types.c.code == row.code).values(council_vote=vote)
            )
    if moved:
        bind.execute(dated.insert(), moved)
    op.drop_table("rule_values")
    with op.batch_alter_table("meeting_agenda_items") as batch:
        batch.drop_column("threshold_percent")
    with op.batch_alter_table("meeting_results") as batch:
        batch.add_column(sa.Column("threshold_basis", sa.Text(), nullable=True))


def _in_force(rows: list, today: date):
    """(the row in force today or else the first, the first row after today) of one key."""
    rows = sorted(rows, key=lambda r: r.effective_from)
    started = [r for r in rows if r.effective_from <= today]
    pending = [r for r in rows if r.effective_from > today]
    return (started[-1] if started else None), (pending[0] if pending else None)


def downgrade() -> None:
    bind = op.get_bind()
    today = date.today()
    with op.batch_alter_table("meeting_results") as batch:
        batch.drop_column("threshold_basis")
    with op.batch_alter_table("meeting_agenda_items") as batch:
        batch.add_column(sa.Column("threshold_percent", sa.Float(), nullable=True))
    table = op.create_table(
        "rule_values",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("previous_value", sa.Float(), nullable=True),
        sa.CheckConstraint("unit IN ('working_days', 'percent')", name=op.f("ck_rule_values_unit")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rule_values")),
    )
    by_key: dict[str, list] = {}
    for row in bind.execute(sa.select(dated).where(dated.c.unit.in_(("working_days", "percent")))):
        by_key.setdefault(row.key, []).append(row)
    restored = []
    for key, rows in by_key.items():
        if key not in SHIPPED:
            continue
        current, pending = _in_force(rows, today)
        shown = pending or current
        restored.append({
            "key": key, "value": shown.value, "unit": shown.unit, "name": shown.name,
            "legal_basis": shown.legal_basis, "version": max(r.version for r in rows),
            "effective_from": None if shown.effective_from <= START else shown.effective_from,
            "previous_value": (current.value if current else SHIPPED[key]) if pending else None,
        })  # fmt: skip
    if restored:
        bind.execute(table.insert(), restored)
    for row in bind.execute(sa.select(award_types)):
        vote = dict(row.council_vote or {})
        current, _ = _in_force(by_key.get(THRESHOLD + row.code, []), today)
        threshold = current.value if current else SHIPPED_THRESHOLDS.get(row.code)
        if threshold is None:
            continue
        vote["threshold_percent"] = round(threshold)
        bind.execute(
            award_types.update().where(award_types.c.code == row.code).values(council_vote=vote)
        )
    bind.execute(dated.delete().where(dated.c.unit.in_(("working_days", "percent"))))
    _units(OLD_UNITS)
