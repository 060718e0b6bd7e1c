"""Cluster emulation (thi đua cụm, khối): scoring tables, self-scoring, verification by the
cluster head, the ranking, the cluster's result and Sở Nội vụ's view of every cluster."""

from app.services.emulation.export import export_scores
from app.services.emulation.ranking import progress, publish, ranking
from app.services.emulation.results import record_result, result_of, standing_view
from app.services.emulation.sheets import (
    adjust_score,
    dispute_score,
    get_sheet,
    list_sheets,
    save_own_sheet,
    sheet_totals,
    sheet_view,
    submit_own_sheet,
    verify_sheet,
)
from app.services.emulation.tables import (
    create_table,
    get_table,
    list_tables,
    open_table,
    revise_table,
    table_view,
    update_table,
)

__all__ = [
    "adjust_score",
    "create_table",
    "dispute_score",
    "export_scores",
    "get_sheet",
    "get_table",
    "list_sheets",
    "list_tables",
    "open_table",
    "progress",
    "publish",
    "ranking",
    "record_result",
    "result_of",
    "revise_table",
    "save_own_sheet",
    "sheet_totals",
    "sheet_view",
    "standing_view",
    "submit_own_sheet",
    "table_view",
    "update_table",
    "verify_sheet",
]
