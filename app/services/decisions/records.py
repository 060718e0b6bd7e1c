"""Quyết định: the Chủ tịch UBND tỉnh's award decision (provincial award types), or the
province's submission of state-level award types to the centre.

A provincial award moves its nominations to `awarded` and writes them into the award history;
a state submission moves them to `submitted_to_state`. Either takes nominations the council
approved, or — for award types decided without a vote — nominations appraised eligible.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, flush_or_conflict, like_folded, paginate
from app.core.principal import Principal
from app.core.statuses import NominationStatus
from app.core.text import fold, nfc
from app.models import AwardType, Decision, DecisionItem, Nomination
from app.schemas.decisions import DecisionCreate, DecisionFilter
from app.services import audit, permissions
from app.services.award_history.records import from_nomination
from app.services.decisions import guards
from app.services.dossiers import moves as nomination_moves

LEVEL_OF = {"provincial_award": "provincial", "state_submission": "state"}
ACTION_OF = {"provincial_award": "award", "state_submission": "submit-to-state"}
CHAIR, DEPUTY = "Chủ tịch", "Phó Chủ tịch"
SIGNER_FIELDS = ("signed_by", "signer_title", "on_behalf")


def signer_title(title: str | None, on_behalf: bool) -> str:
    """The signer's office as recorded (NĐ 30/2020, quyền hạn ký): the Chủ tịch signs in their
    own name; a deputy signs for them (KT.). A Chủ tịch signing "for the Chủ tịch", or a deputy
    signing in their own name, is refused: the paper could not print it right."""
    title = nfc(title.strip()) if title and title.strip() else (DEPUTY if on_behalf else CHAIR)
    folded = fold(title)
    if on_behalf and folded == fold(CHAIR):
        raise Unprocessable(
            "Chủ tịch không ký thay (KT.) chính mình: người ký thay là Phó Chủ tịch; hãy ghi "
            "chức vụ của người ký (signer_title) hoặc bỏ ký thay (on_behalf).",
            code="signing_capacity_invalid",
        )
    if not on_behalf and folded.startswith("pho "):
        raise Unprocessable(
            f"{title} ký quyết định của Chủ tịch là ký thay: ghi on_behalf = true để văn bản in "
            '"KT. CHỦ TỊCH" trên chức vụ của người ký.',
            code="signing_capacity_invalid",
        )
    return title


KIND_NAMES = {"provincial_award": "khen thưởng cấp tỉnh", "state_submission": "trình cấp Nhà nước"}


def _reason(kind: str, nomination: Nomination, award: AwardType) -> tuple[str, str] | None:
    if award.level != LEVEL_OF[kind]:
        return "wrong_level", (
            f"{nomination.nominee_name}: {award.name} không thuộc loại quyết định "
            f"{KIND_NAMES[kind]}."
        )
    needs_vote = bool((award.council_vote or {}).get("required"))
    approved, eligible = NominationStatus.APPROVED, NominationStatus.ELIGIBLE
    if nomination.status == approved or (nomination.status == eligible and not needs_vote):
        return None
    if nomination.status == eligible:
        return "not_approved", (
            f"{nomination.nominee_name}: {award.name} cần Hội đồng biểu quyết thông qua trước."
        )
    return "not_decidable", (
        f"{nomination.nominee_name}: đề nghị đang ở trạng thái {nomination.status}, không thể "
        "quyết định."
    )


def _check(kind: str, ids: list[int], loaded: dict[int, guards.Loaded]) -> None:
    refused = []
    for nomination_id in ids:
        if nomination_id not in loaded:
            refused.append((nomination_id, "not_found", f"Không có đề nghị mã số {nomination_id}."))
            continue
        nomination, _, award = loaded[nomination_id]
        if found := _reason(kind, nomination, award):
            refused.append((nomination_id, *found))
    if refused:
        raise Unprocessable(
            "Một số đề nghị không thể đưa vào quyết định: " + " ".join(m for _, _, m in refused),
            code="nominations_not_decidable",
            refused=[{"nomination_id": i, "reason": r, "message": m} for i, r, m in refused],
        )


async def refuse_duplicate_number(
    session: AsyncSession, decision: Decision, *, exclude_id: int | None = None
) -> None:
    """409 `duplicate_decision_number` when another decision of its kind and year has the
    number."""
    stmt = select(Decision.id).where(
        Decision.kind == decision.kind,
        Decision.year == decision.year,
        Decision.number_key == decision.number_key,
    )
    if exclude_id is not None:
        stmt = stmt.where(Decision.id != exclude_id)
    with session.no_autoflush:
        taken = await session.scalar(stmt.limit(1))
    if taken is not None:
        raise _duplicate(decision)


def duplicate_message(decision: Decision) -> str:
    return (
        f"Số quyết định {decision.number} đã được dùng cho một quyết định "
        f"{KIND_NAMES[decision.kind]} năm {decision.year}."
    )


def _duplicate(decision: Decision) -> Conflict:
    return Conflict(duplicate_message(decision), code="duplicate_decision_number")


async def record(session: AsyncSession, actor: Principal, body: DecisionCreate) -> Decision:
    """Record a signed decision and move its nominations; awarded ones enter the history."""
    permissions.require(actor, "decision.record")
    kind, ids = body.kind, list(dict.fromkeys(body.nomination_ids))
    loaded = await guards.load_many(session, ids)
    _check(kind, ids, loaded)
    await guards.refuse_open_complaints(session, [loaded[i][0] for i in ids])
    number = nfc(body.number)
    decision = Decision(
        kind=kind, number=number, number_key=fold(number)[:100], year=body.signed_on.year,
        signed_on=body.signed_on, signed_by=nfc(body.signed_by),
        signer_title=signer_title(body.signer_title, body.on_behalf), on_behalf=body.on_behalf,
        created_by_id=actor.user_id,
    )  # fmt: skip
    await refuse_duplicate_number(session, decision)
    decision.items = [DecisionItem(nomination_id=i) for i in ids]
    session.add(decision)
    await flush_or_conflict(
        session, duplicate_message(decision), code="duplicate_decision_number", savepoint=True
    )
    for nomination_id in ids:
        nomination, dossier, _ = loaded[nomination_id]
        await nomination_moves.move(
            session, actor, nomination, dossier, ACTION_OF[kind],
            comment=f"Quyết định số {number} ngày {decision.signed_on:%d/%m/%Y}.",
            decision_id=decision.id,
        )  # fmt: skip
        if kind == "provincial_award":
            session.add(
                from_nomination(
                    nomination, dossier, decision_no=number, decided_on=decision.signed_on
                )
            )
    await session.flush()
    after = {
        **audit.snapshot(decision, ("kind", "number", "signed_on", *SIGNER_FIELDS)),
        "nomination_ids": ids,
    }
    await audit.record(session, actor, "decision.recorded", "decision", decision.id, after=after)
    await audit.emit(session, "decision.recorded", "decision", decision.id, after)
    return await get(session, decision.id)


def _with_items(stmt):
    return stmt.options(selectinload(Decision.items))


async def get(session: AsyncSession, decision_id: int) -> Decision:
    decision = await session.scalar(
        _with_items(select(Decision).where(Decision.id == decision_id)).execution_options(
            populate_existing=True
        )
    )
    if decision is None:
        raise NotFound(f"Không tìm thấy quyết định có mã số {decision_id}.")
    return decision


DECISION_SORTING = sorting(Decision, "-signed_on,-id", ["signed_on", "number_key", "year", "kind"])


async def list_decisions(
    session: AsyncSession,
    filters: DecisionFilter,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    """The decisions, filtered; newest first."""
    stmt = _with_items(select(Decision))
    if filters.kind is not None:
        stmt = stmt.where(Decision.kind == filters.kind)
    if filters.year is not None:
        stmt = stmt.where(Decision.year == filters.year)
    if filters.nomination_id is not None:
        having = select(DecisionItem.decision_id).where(
            DecisionItem.nomination_id == filters.nomination_id
        )
        stmt = stmt.where(Decision.id.in_(having))
    if filters.q:
        stmt = stmt.where(like_folded(Decision.number_key, filters.q))
    return await paginate(session, DECISION_SORTING.apply(stmt, listing), limit, offset)
