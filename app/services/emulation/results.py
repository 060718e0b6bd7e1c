"""The cluster's decision (kết quả bình xét): the leading unit proposed for Cờ thi đua của UBND
tỉnh and the units proposed for Bằng khen, recorded from the published ranking. It keeps each
ranked unit's standing, which the `cluster_leader` criterion of Cờ thi đua reads, and drafts
the cluster's own dossier for the head to complete and submit."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, Unprocessable
from app.core.orm import check_version, flush_or_conflict
from app.core.principal import Principal
from app.models import Cluster, ClusterStanding, ClusterVote, Dossier
from app.schemas.dossiers import DossierCreate, NominationCreate
from app.schemas.emulation import ResultCreate
from app.services import permissions, workflow
from app.services.dossiers.create import create_dossier
from app.services.emulation import votes
from app.services.emulation.points import from_centi, to_centi
from app.services.emulation.ranking import standings
from app.services.emulation.tables import get_table

CO_THI_DUA = "co_thi_dua_ubnd_tinh"
BANG_KHEN = "bang_khen_chu_tich_ubnd_tinh"


def _check_leader(ranked: list[dict[str, Any]], leader_id: int) -> None:
    top = [r for r in ranked if r["rank"] == 1]
    if any(r["unit_id"] == leader_id for r in top):
        return
    mine = next((r for r in ranked if r["unit_id"] == leader_id), None)
    where = (
        f"xếp thứ {mine['rank']} ({mine['total']} điểm)" if mine else "không có trong bảng xếp hạng"
    )
    raise Unprocessable(
        f"Đơn vị dẫn đầu phải là đơn vị có tổng điểm cao nhất ({top[0]['unit_name']}, "
        f"{top[0]['total']} điểm); đơn vị được chọn {where}.",
        code="leader_not_top_scorer",
    )


def _check_bang_khen(ranked: list[dict[str, Any]], leader_id: int, ids: list[int]) -> None:
    known = {r["unit_id"] for r in ranked}
    if unknown := [i for i in ids if i not in known or i == leader_id]:
        raise Unprocessable(
            f"Đơn vị mã số {unknown} không thể đề nghị Bằng khen: chỉ đơn vị có trong bảng xếp "
            "hạng, khác đơn vị dẫn đầu.",
            code="invalid_bang_khen_proposal",
        )


def _check_vote(vote: ClusterVote | None, leader_id: int, bang_khen: list[int]) -> None:
    """The result is the cluster meeting's: its closed secret ballot elected this leading unit
    and passed each of these Bằng khen proposals."""
    if vote is None:
        raise Conflict(
            "Chưa có kết quả bỏ phiếu kín của hội nghị cụm, khối: mở cuộc bỏ phiếu "
            "(POST /emulation/tables/{id}/votes), để các đơn vị thành viên bỏ phiếu, kết thúc "
            "rồi ghi kết quả.",
            code="cluster_vote_required",
        )
    leader, passed = votes.elected(vote)
    if leader != leader_id:
        raise Unprocessable(
            f"Đơn vị mã số {leader_id} không được hội nghị cụm, khối bầu dẫn đầu"
            + (f"; đơn vị được bầu là mã số {leader}." if leader else "; chưa đơn vị nào đạt.")
            + " Ghi đúng kết quả bỏ phiếu, hoặc tổ chức bỏ phiếu lại.",
            code="leader_not_elected",
            elected_unit_id=leader,
        )
    if missing := [u for u in bang_khen if u not in passed]:
        raise Unprocessable(
            f"Đơn vị mã số {missing} không được hội nghị cụm, khối bầu đề nghị Bằng khen.",
            code="bang_khen_not_elected",
            unit_ids=missing,
        )


def _nomination(row: dict[str, Any], award: str, cluster: Any) -> NominationCreate:
    """The unit itself (its own row in the collectives register), for `award`."""
    return NominationCreate(
        nominee_kind="collective", nominee_name=row["unit_name"], nominee_unit_id=row["unit_id"],
        award_type_code=award,
        achievement_summary=f"Xếp thứ {row['rank']} {cluster.name} năm {cluster.year} "
        f"với {row['total']} điểm.",
    )  # fmt: skip


async def record_result(
    session: AsyncSession,
    actor: Principal,
    table_id: int,
    body: ResultCreate,
    expected: int | None,
) -> tuple[list[ClusterStanding], Dossier]:
    """Record the cluster's decision on its published ranking: the leading unit must be a
    highest scorer; the draft dossier holds the Cờ thi đua and Bằng khen nominations."""
    permissions.require(actor, "emulation.record_result")
    table = await get_table(session, actor, table_id)
    permissions.require(actor, "emulation.record_result", table)
    check_version(table, expected)
    workflow.check_move("score_table", "decide", table.status, obj=table)
    ranked = await standings(session, table)
    leader_id, bang_khen = body.leader_unit_id, list(dict.fromkeys(body.bang_khen_unit_ids))
    _check_leader(ranked, leader_id)
    _check_bang_khen(ranked, leader_id, bang_khen)
    _check_vote(await votes.closed_vote(session, table.id), leader_id, bang_khen)
    # Columns, not the entity: the dossier's owner check loads the cluster with its members.
    cluster = (
        await session.execute(
            select(Cluster.name, Cluster.year).where(Cluster.id == table.cluster_id)
        )
    ).one()
    by_unit = {r["unit_id"]: r for r in ranked}
    dossier = await create_dossier(
        session, actor,
        DossierCreate(
            round_id=body.round_id, kind="periodic",
            title=f"Đề nghị khen thưởng {cluster.name} năm {cluster.year}",
            nominations=[_nomination(by_unit[leader_id], CO_THI_DUA, cluster)]
            + [_nomination(by_unit[u], BANG_KHEN, cluster) for u in bang_khen],
        ),
    )  # fmt: skip
    proposals = {leader_id: "co_thi_dua", **{u: "bang_khen" for u in bang_khen}}
    rows = [
        ClusterStanding(
            table_id=table.id, cluster_id=table.cluster_id, year=table.year,
            unit_id=r["unit_id"], rank=r["rank"], total_centipoints=to_centi(r["total"]),
            proposal=proposals.get(r["unit_id"]), dossier_id=dossier.id,
        )
        for r in ranked
    ]  # fmt: skip
    session.add_all(rows)
    await flush_or_conflict(
        session, "Kết quả bình xét của cụm, khối năm này đã được ghi.", code="result_recorded"
    )
    await workflow.transition(
        session, actor,
        workflow.Subject(
            "score_table", table, "score_table", table.id, cluster_id=table.cluster_id,
            data={"cluster_id": table.cluster_id, "year": table.year},
        ),
        "decide",
        after={"leader_unit_id": leader_id, "bang_khen_unit_ids": bang_khen,
               "dossier_id": dossier.id},
        event_data={"leader_unit_id": leader_id, "bang_khen_unit_ids": bang_khen,
                    "dossier_id": dossier.id},
    )  # fmt: skip
    return rows, dossier


def standing_view(row: ClusterStanding) -> dict[str, Any]:
    return {
        "unit_id": row.unit_id, "rank": row.rank, "total": from_centi(row.total_centipoints),
        "proposal": row.proposal,
    }  # fmt: skip


async def result_of(session: AsyncSession, table_id: int) -> list[ClusterStanding]:
    return list(
        await session.scalars(
            select(ClusterStanding)
            .where(ClusterStanding.table_id == table_id)
            .order_by(ClusterStanding.rank, ClusterStanding.unit_id)
        )
    )
