"""Drafting dossiers: a unit's own, or a cluster's own nomination drafted by its head."""

from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.db import upsert_insert
from app.core.errors import Conflict, Forbidden, Unprocessable
from app.core.orm import flush_or_conflict
from app.core.principal import CLUSTER_HEAD, UNIT, Principal
from app.core.statuses import DossierStatus, RoundStatus
from app.core.text import nfc
from app.models import Cluster, Dossier, DossierCounter, Round
from app.schemas.common import sent_fields
from app.schemas.dossiers import DossierCreate, DossierUpdate
from app.services import audit, directory, permissions
from app.services.dossiers import actions, nominations, queries, rules
from app.services.nominees.criteria_inputs import inputs_changed

AUDITED = ("code", "title", "kind", "round_id", "year", "status", "cluster_id")


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
    if row.status == RoundStatus.COMPLETED:
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


async def _next_number(session: AsyncSession, year: int) -> int:
    """The next dossier number of `year`, from its counter row.

    The UPDATE locks the row until the request commits, so concurrent creates queue for their
    numbers instead of racing for the same `count() + 1`.
    """
    # A year's first counter starts after the dossiers numbered before counters existed.
    existing = select(literal(year), func.count()).where(Dossier.year == year)
    await session.execute(
        upsert_insert(session, DossierCounter)
        .from_select(["year", "last_no"], existing)
        .on_conflict_do_nothing()
    )
    return await session.scalar(
        update(DossierCounter)
        .where(DossierCounter.year == year)
        .values(last_no=DossierCounter.last_no + 1)
        .returning(DossierCounter.last_no)
    )


async def _insert_numbered(session: AsyncSession, dossier: Dossier) -> None:
    """Give the dossier the next code of its year (HS-2026-0001)."""
    number = await _next_number(session, dossier.year)
    dossier.code = f"HS-{dossier.year}-{number:04d}"
    nominations.refresh_search(dossier)
    session.add(dossier)
    await flush_or_conflict(session)


async def create_dossier(session: AsyncSession, actor: Principal, body: DossierCreate) -> Dossier:
    """A new draft of the caller's unit, or of the cluster it heads."""
    permissions.require(actor, "dossier.create")
    round_ = await _round_for(session, body.round_id, body.kind)
    year = round_.year if round_ else rules.today().year
    owner = await _owner(session, actor, year)
    items = body.nominations
    collective_ids = await nominations.validate(
        session, items, nominations.Owner(owner["owner_kind"], year)
    )
    dossier = Dossier(
        **owner,
        year=year,
        round_id=body.round_id,
        kind=body.kind,
        title=nfc(body.title),
        status=DossierStatus.DRAFT,
        submission_count=0,
        created_by_id=actor.user_id,
    )
    dossier.nominations = nominations.build(items, collective_ids)
    dossier.attachments = []
    await _insert_numbered(session, dossier)
    await audit.record(
        session, actor, "dossier.created", "dossier", dossier.id,
        after={**audit.snapshot(dossier, AUDITED), "nominations": len(dossier.nominations)},
    )  # fmt: skip
    await audit.emit(
        session, "dossier.created", "dossier", dossier.id,
        {**actions.event_data(dossier), "status": dossier.status},
        unit_id=dossier.submitting_unit_id if dossier.owner_kind == "unit" else None,
        cluster_id=dossier.cluster_id,
    )  # fmt: skip
    return dossier


async def update_dossier(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    changes: DossierUpdate,
    expected: int | None,
) -> Dossier:
    """Title, kind and round, while the dossier is a draft or returned (owner only); `round_id`
    sent as null detaches the dossier from its round, a null kind or title changes nothing."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "dossier.update")
    sent = sent_fields(changes)

    async def apply() -> None:
        kind = changes.kind or dossier.kind
        round_id = sent.get("round_id", dossier.round_id)
        if kind != dossier.kind or round_id != dossier.round_id:
            await _move_to_round(session, actor, dossier, kind, round_id)
        if changes.title:
            dossier.title = nfc(changes.title)
        nominations.refresh_search(dossier)

    return await audit.audited_update(
        session, actor, dossier, apply, expected,
        action="dossier.updated", entity="dossier", audited=AUDITED, flush=flush_or_conflict,
    )  # fmt: skip


async def _move_to_round(
    session: AsyncSession, actor: Principal, dossier: Dossier, kind: str, round_id: int | None
) -> None:
    """A new kind or round: the dossier takes the round's year and that year's cluster."""
    round_ = await _round_for(session, round_id, kind)
    year = round_.year if round_ else dossier.year
    if dossier.owner_kind == "unit":
        dossier.cluster_id = await directory.cluster_of_unit(
            session, dossier.submitting_unit_id, year
        )
    else:
        await _cluster_owner(session, actor, year)
    if year != dossier.year:  # the criteria judge the nominations in the dossier's year
        await inputs_changed(session, dossier_ids=[dossier.id])
    dossier.kind, dossier.round_id, dossier.year = kind, round_id, year
