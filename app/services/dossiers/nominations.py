"""Nominations (đề nghị): one nominee × one award type inside a dossier, edited while the
dossier is a draft or returned for supplementation."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import nominee_kinds
from app.core.errors import NotFound, Unprocessable
from app.core.nominee_kinds import NomineeKind
from app.core.orm import flush_or_conflict, touch
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import nfc
from app.models import (
    AwardType,
    Cluster,
    ClusterMembership,
    ClusterStanding,
    Collective,
    Dossier,
    Nomination,
    Unit,
)
from app.schemas.common import sent_fields
from app.schemas.dossiers import NominationCreate, NominationUpdate, PriorAward
from app.services import audit
from app.services.award_types import award_types_by_code
from app.services.dossiers import queries, rules
from app.services.nominees import collectives

NOMINEE_FIELDS = (
    "nominee_kind",
    "nominee_name",
    "nominee_unit_id",
    "nominee_address",
    "position",
    "birth_year",
    "award_type_code",
    "achievement_summary",
    "prior_awards",
)
NULLABLE = frozenset({"nominee_unit_id", "nominee_address", "position", "birth_year"})
MAX_NOMINATIONS = 500


def _codes(items: Iterable[NominationCreate]) -> set[str]:
    codes: set[str] = set()
    for item in items:
        codes.add(item.award_type_code)
        codes |= {p.award_type_code for p in item.prior_awards}
    return codes


async def _check_units(session: AsyncSession, items: Sequence[NominationCreate]) -> None:
    wanted = {i.nominee_unit_id for i in items if i.nominee_unit_id is not None}
    known = set(await session.scalars(select(Unit.id).where(Unit.id.in_(wanted))))
    if unknown := sorted(wanted - known):
        raise Unprocessable(f"Không có đơn vị mã số {unknown}.", code="unknown_reference")


def _check_award(item: NominationCreate, types: dict[str, AwardType]) -> None:
    row = types.get(item.award_type_code)
    if row is None or not row.active:
        raise Unprocessable(
            f"Không có loại khen thưởng đang áp dụng mã '{item.award_type_code}'.",
            code="unknown_award_type",
        )
    accepted = nominee_kinds.accepted_kinds(row.recipient, row.accepts_households)
    if item.nominee_kind not in accepted:
        raise Unprocessable(
            f"{row.name} chỉ xét tặng cho {nominee_kinds.names(accepted)}, không cho "
            f"{NomineeKind(item.nominee_kind).label}; kiểm tra lại loại đối tượng được đề nghị.",
            code="recipient_mismatch",
        )
    unknown = [p.award_type_code for p in item.prior_awards]
    if unknown := [code for code in unknown if code not in types]:
        raise Unprocessable(
            f"Khen thưởng đã nhận có mã không có trong danh mục: {', '.join(unknown)}.",
            code="unknown_award_type",
        )


def _check_household(item: NominationCreate) -> None:
    """A household is named with its address and the unit (xã) in whose area it lives; an
    address belongs to a household only."""
    if item.nominee_kind != NomineeKind.HOUSEHOLD:
        if item.nominee_address:
            raise Unprocessable(
                f"Địa chỉ (thôn/bản, xã) chỉ ghi cho hộ gia đình; {item.nominee_name} là "
                f"{NomineeKind(item.nominee_kind).label}: bỏ trường nominee_address.",
                code="household_incomplete",
            )
        return
    missing = [
        label
        for label, value in (
            ("địa chỉ (thôn/bản, xã) — nominee_address", (item.nominee_address or "").strip()),
            ("đơn vị (xã) nơi hộ cư trú — nominee_unit_id", item.nominee_unit_id),
        )
        if not value
    ]
    if missing:
        raise Unprocessable(
            f"Hộ gia đình “{item.nominee_name}” cần có {' và '.join(missing)}.",
            code="household_incomplete",
        )


@dataclass(frozen=True)
class Owner:
    """Who proposes (`unit`: a unit's own dossier; `cluster`: the cluster head's) and the year
    the dossier is judged in."""

    kind: str
    year: int

    @classmethod
    def of(cls, dossier: Dossier) -> "Owner":
        return cls(dossier.owner_kind, dossier.year)


class Proposed(Protocol):
    """A nomination or a request item: what the cluster-result check reads."""

    nominee_kind: str
    nominee_name: str
    award_type_code: str


def _cluster_bound(types: dict[str, AwardType]) -> dict[str, AwardType]:
    """Award types whose criteria include `cluster_leader` (Cờ thi đua của UBND tỉnh)."""
    return {code: t for code, t in types.items() if "cluster_leader" in str(t.criteria or "")}


async def _units_themselves(session: AsyncSession, collective_ids: set[int]) -> dict[int, int]:
    """Collective id → unit id, for the collectives that are a unit's own row in the register
    (not a collective under it)."""
    rows = await session.execute(
        select(Collective.id, Collective.unit_id).where(
            Collective.id.in_(collective_ids), Collective.name_key == "",
            Collective.unit_id.is_not(None),
        )
    )  # fmt: skip
    return {collective_id: unit_id for collective_id, unit_id in rows}


async def _places(
    session: AsyncSession, unit_ids: set[int], year: int
) -> dict[int, tuple[str, ClusterStanding | None]]:
    """Unit id → (its cluster's name, its recorded standing or None), for the units that are
    a cluster member in `year` or have a recorded standing of that year."""
    standings = await session.execute(
        select(ClusterStanding, Cluster.name)
        .join(Cluster, Cluster.id == ClusterStanding.cluster_id)
        .where(ClusterStanding.unit_id.in_(unit_ids), ClusterStanding.year == year)
    )
    places: dict[int, tuple[str, ClusterStanding | None]] = {
        s.unit_id: (name, s) for s, name in standings
    }
    members = await session.execute(
        select(ClusterMembership.unit_id, Cluster.name)
        .join(Cluster, Cluster.id == ClusterMembership.cluster_id)
        .where(ClusterMembership.unit_id.in_(unit_ids), ClusterMembership.year == year)
    )
    for unit_id, name in members:
        places.setdefault(unit_id, (name, None))
    return places


async def check_cluster_results(
    session: AsyncSession,
    owner: Owner,
    items: Sequence[Proposed],
    collective_ids: Sequence[int | None],
    types: dict[str, AwardType],
) -> None:
    """A unit's own dossier may propose a cluster member for Cờ thi đua của UBND tỉnh only as
    its cluster's recorded leader of the year: that award comes from the cluster's result,
    which the cluster head proposes. Refuses (`not_cluster_leader`) a member with another
    place, or one whose cluster has no recorded result yet. At most three queries, none when
    no such nomination is there."""
    if owner.kind != "unit":
        return
    bound = _cluster_bound(types)
    wanted = {
        c: item
        for item, c in zip(items, collective_ids, strict=True)
        if c is not None and item.award_type_code in bound
    }
    if not wanted:
        return
    units = await _units_themselves(session, set(wanted))
    places = await _places(session, set(units.values()), owner.year)
    for collective_id, unit_id in units.items():
        if unit_id not in places:
            continue
        cluster, standing = places[unit_id]
        if standing is not None and standing.proposal == "co_thi_dua":
            continue
        item = wanted[collective_id]
        award = bound[item.award_type_code].name
        where = (
            f"xếp thứ {standing.rank} ({standing.total_centipoints / 100:.2f} điểm), "
            "không phải đơn vị dẫn đầu"
            if standing is not None
            else "chưa có kết quả bình xét"
        )
        raise Unprocessable(
            f"{item.nominee_name} là thành viên {cluster} năm {owner.year}: {award} của đơn vị "
            "trong cụm, khối chỉ được đề nghị theo kết quả bình xét của cụm, khối, do Trưởng "
            f"khối đề nghị; {item.nominee_name} {where}.",
            code="not_cluster_leader",
        )


async def validate(
    session: AsyncSession, items: Sequence[NominationCreate], owner: Owner
) -> list[int | None]:
    """Award types exist, are active and suit the nominee; units exist; a cluster member is
    proposed for Cờ thi đua only from its cluster's result. Returns each item's collective in
    the register (`collective_id`; None for an individual)."""
    if len(items) > MAX_NOMINATIONS:
        raise Unprocessable(
            f"Một hồ sơ có tối đa {MAX_NOMINATIONS} đề nghị.", code="too_many_nominations"
        )
    types = await award_types_by_code(session, _codes(items))
    for item in items:
        _check_award(item, types)
        _check_household(item)
    await _check_units(session, items)
    collective_ids = await collectives.assign(session, items)
    await check_cluster_results(session, owner, items, collective_ids, types)
    return collective_ids


def apply(nomination: Nomination, item: NominationCreate, collective_id: int | None) -> None:
    """Copy the nominee fields onto `nomination`, normalised, with its collective in the
    register, and refresh its matching key; its stored checks are forgotten."""
    for name in NOMINEE_FIELDS:
        value = getattr(item, name)
        if name == "prior_awards":
            value = [p.model_dump() for p in value]
        elif isinstance(value, str):
            value = nfc(value)
        setattr(nomination, name, value)
    nomination.collective_id = collective_id
    nomination.nominee_key = rules.nominee_key(nomination.nominee_name)
    nomination.criteria_checks = None  # computed again from the new facts when read
    nomination.checks_tally = None


def _amended(nomination: Nomination, changes: NominationUpdate) -> NominationCreate:
    """The nomination as it stands with the fields a PATCH sent; a `null` sent for a field
    that may not be empty keeps the current value."""
    fields = {name: getattr(nomination, name) for name in NOMINEE_FIELDS}
    fields["prior_awards"] = [PriorAward.model_construct(**p) for p in fields["prior_awards"] or []]
    current = NominationCreate.model_construct(**fields)
    sent = {k: v for k, v in sent_fields(changes).items() if v is not None or k in NULLABLE}
    return current.model_copy(update=sent)


def build(
    items: Sequence[NominationCreate], collective_ids: Sequence[int | None]
) -> list[Nomination]:
    """New draft nominations from request items and what `validate` returned for them."""
    nominations = []
    for item, collective_id in zip(items, collective_ids, strict=True):
        nomination = Nomination(
            status=NominationStatus.DRAFT, prior_awards=[], achievement_summary=""
        )
        apply(nomination, item, collective_id)
        nominations.append(nomination)
    return nominations


def refresh_search(dossier: Dossier) -> None:
    """Recompute the dossier's folded search text (code, title, nominee names)."""
    dossier.search_text = rules.dossier_search_text(
        dossier.code, dossier.title, (n.nominee_name for n in dossier.nominations)
    )


def _audited(n: Nomination) -> dict[str, Any]:
    return {
        "nomination_id": n.id,
        "nominee_kind": n.nominee_kind,
        "nominee_name": n.nominee_name,
        "award_type_code": n.award_type_code,
    }


async def add_nomination(
    session: AsyncSession, actor: Principal, dossier_id: int, body: NominationCreate
) -> tuple[Nomination, Dossier]:
    """Add a nomination to the caller's draft or returned dossier."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "nomination.add")
    if len(dossier.nominations) >= MAX_NOMINATIONS:
        raise Unprocessable(
            f"Một hồ sơ có tối đa {MAX_NOMINATIONS} đề nghị.", code="too_many_nominations"
        )
    (nomination,) = build([body], await validate(session, [body], Owner.of(dossier)))
    dossier.nominations.append(nomination)
    refresh_search(dossier)
    touch(dossier)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "nomination.added", "dossier", dossier.id, after=_audited(nomination)
    )
    return nomination, dossier


async def update_nomination(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    nomination_id: int,
    changes: NominationUpdate,
    expected: int | None,
) -> tuple[Nomination, Dossier]:
    """Amend a nomination (If-Match on its version) while the dossier is editable."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "nomination.update")
    nomination = _find(dossier, nomination_id)

    async def amend() -> None:
        merged = _amended(nomination, changes)
        (collective_id,) = await validate(session, [merged], Owner.of(dossier))
        apply(nomination, merged, collective_id)
        refresh_search(dossier)
        touch(dossier)

    await audit.audited_update(
        session, actor, nomination, amend, expected, action="nomination.updated",
        entity="dossier", entity_id=dossier.id, audited=_audited, flush=flush_or_conflict,
    )  # fmt: skip
    return nomination, dossier


async def delete_nomination(
    session: AsyncSession, actor: Principal, dossier_id: int, nomination_id: int
) -> None:
    """Remove a nomination while the dossier is editable."""
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "nomination.delete")
    nomination = _find(dossier, nomination_id)
    before = _audited(nomination)
    # Papers of this nominee stay with the dossier (nomination_id is set to NULL).
    for attachment in dossier.attachments:
        if attachment.nomination_id == nomination.id:
            attachment.nomination_id = None
    dossier.nominations.remove(nomination)
    refresh_search(dossier)
    touch(dossier)
    await flush_or_conflict(session)
    await audit.record(session, actor, "nomination.removed", "dossier", dossier.id, before=before)


def _find(dossier: Dossier, nomination_id: int) -> Nomination:
    for nomination in dossier.nominations:
        if nomination.id == nomination_id:
            return nomination
    raise NotFound(f"Hồ sơ {dossier.code} không có đề nghị mã số {nomination_id}.")
