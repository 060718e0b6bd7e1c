"""Drafting dossiers: a unit's own, or a cluster's own nomination drafted by its head."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.errors import Conflict, Forbidden, Unprocessable
from app.models import Cluster, Dossier, Round
from app.services import audit, directory
from app.services.common import check_version
from app.services.dossiers import nominations, queries, rules
from app.services.principal import CLUSTER_HEAD, UNIT, Principal
from app.services.text import nfc
from app.services.workflow import flush_or_conflict

AUDITED = ("code", "title", "kind", "round_id", "year", "status", "cluster_id")
_CODE_ATTEMPTS = 5


async def _round_for(session: AsyncSession, round_id: int | None, kind: str) -> Round | None:
    if round_id is None:
        if kind not in rules.ROUNDLESS_KINDS:
            raise Unprocessable(
                "Hồ sơ theo đợt và hồ sơ quá trình cống hiến phải thuộc một đợt (round_id).",
                code="round_required",
            )
        return None
    row = await session.get(Round, round_id)
    if row is None:
        raise Unprocessable(
            f"Không có đợt xét khen thưởng mã số {round_id}.", code="unknown_reference"
        )
    if row.status == "completed":
        raise Conflict(f"{row.name} đã kết thúc, không nhận hồ sơ mới.", code="round_completed")
    return row


async def _cluster_owner(session: AsyncSession, actor: Principal, year: int) -> tuple[int, int]:
    cluster = await session.get(
        Cluster, actor.cluster_id or 0, options=[selectinload(Cluster.memberships)]
    )
    head = (
        next((m.unit_id for m in cluster.memberships if m.role == "head"), None)
        if cluster
        else None
    )
    if cluster is None or head is None:
        raise Unprocessable(
            "Cụm, khối của tài khoản chưa có đơn vị Trưởng khối; liên hệ Sở Nội vụ.",
            code="cluster_without_head",
        )
    if cluster.year != year:
        raise Unprocessable(
            f"Tài khoản Trưởng khối thuộc cụm, khối năm {cluster.year}, "
            f"không lập được hồ sơ năm {year}.",
            code="cluster_year_mismatch",
        )
    return head, cluster.id


async def _owner(session: AsyncSession, actor: Principal, year: int) -> dict[str, Any]:
    """Who submits: the unit itself (its cluster of that year noted), or the cluster's head."""
    if actor.role == CLUSTER_HEAD:
        head, cluster_id = await _cluster_owner(session, actor, year)
        return {"owner_kind": "cluster", "submitting_unit_id": head, "cluster_id": cluster_id}
    if actor.role != UNIT or actor.unit_id is None:
        raise Forbidden("Chỉ đơn vị hoặc Trưởng khối được lập hồ sơ đề nghị khen thưởng.")
    cluster_id = await directory.cluster_of_unit(session, actor.unit_id, year)
    return {"owner_kind": "unit", "submitting_unit_id": actor.unit_id, "cluster_id": cluster_id}


async def _insert_numbered(session: AsyncSession, dossier: Dossier) -> None:
    """Give the dossier the next code of its year (HS-2026-0001); a concurrent draft that
    took the same number makes us try the next one inside a savepoint."""
    for attempt in range(_CODE_ATTEMPTS):
        taken = await session.scalar(select(func.count()).where(Dossier.year == dossier.year))
        dossier.code = f"HS-{dossier.year}-{(taken or 0) + 1 + attempt:04d}"
        nominations.refresh_search(dossier)
        try:
            async with session.begin_nested():
                session.add(dossier)
                await session.flush()
            return
        except IntegrityError:
            continue
    raise Conflict("Nhiều hồ sơ được lập cùng lúc; hãy thử lại.", code="concurrent_update")


async def create_dossier(session: AsyncSession, actor: Principal, data: dict[str, Any]) -> Dossier:
    """A new draft of the caller's unit, or of the cluster it heads."""
    round_ = await _round_for(session, data.get("round_id"), data["kind"])
    year = round_.year if round_ else rules.today().year
    owner = await _owner(session, actor, year)
    items = data.get("nominations") or []
    await nominations.validate(session, items)
    dossier = Dossier(
        **owner,
        year=year,
        round_id=data.get("round_id"),
        kind=data["kind"],
        title=nfc(data["title"]),
        status="draft",
        submission_count=0,
        created_by_id=actor.user_id,
    )
    dossier.nominations = nominations.build(items)
    dossier.attachments = []
    await _insert_numbered(session, dossier)
    await audit.record(
        session, actor, "dossier.created", "dossier", dossier.id,
        after={**audit.snapshot(dossier, AUDITED), "nominations": len(dossier.nominations)},
    )  # fmt: skip
    return dossier


async def update_dossier(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    changes: dict[str, Any],
    expected: int | None,
) -> Dossier:
    """Title, kind and round, while the dossier is a draft or returned (owner only)."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id)
    check_version(dossier, expected)
    before = audit.snapshot(dossier, AUDITED)
    kind = changes.get("kind") or dossier.kind
    round_id = changes["round_id"] if "round_id" in changes else dossier.round_id
    if kind != dossier.kind or round_id != dossier.round_id:
        round_ = await _round_for(session, round_id, kind)
        year = round_.year if round_ else dossier.year
        if dossier.owner_kind == "unit":
            dossier.cluster_id = await directory.cluster_of_unit(
                session, dossier.submitting_unit_id, year
            )
        else:
            await _cluster_owner(session, actor, year)
        dossier.kind, dossier.round_id, dossier.year = kind, round_id, year
    if changes.get("title"):
        dossier.title = nfc(changes["title"])
    nominations.refresh_search(dossier)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "dossier.updated", "dossier", dossier.id,
        before=before, after=audit.snapshot(dossier, AUDITED),
    )  # fmt: skip
    return dossier
