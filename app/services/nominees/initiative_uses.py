"""One initiative justifies one award (một sáng kiến chỉ làm căn cứ cho một lần khen).

When Sở Nội vụ concludes a nomination eligible, the initiatives its passing checks stood on are
recorded as used by it (`InitiativeUse`). While that nomination may still become an award
(eligible, approved, awarded, submitted to the state), the criteria of any other nomination do
not count those initiatives, and say which nomination used them (services/nominees/facts.py);
found ineligible, rejected, withdrawn or returned, it frees them. A second claim on an
initiative another nomination holds is refused (409 `initiative_already_used`): whether the two
conclusions race (the unique initiative refuses the second row) or the second comes after the
first (its check now fails on the initiative the first holds, and concluding it eligible would
count the initiative twice; an appraiser who means it overrides that check with a reason).
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.orm import flush_or_conflict
from app.core.principal import Principal
from app.models import Dossier, Initiative, InitiativeUse, Nomination
from app.services import audit
from app.services.nominees.facts import HOLDING

# The advisory lock every appraisal conclusion takes first (see `orm.serialize`): concluding two
# nominations that stand on the same initiative would otherwise update each other's stored
# checks in opposite orders, and PostgreSQL would end one of them as a deadlock.
APPRAISAL_LOCK = 0x7D4B_0001

USED = "Sáng kiến, đề tài “{title}” đã làm căn cứ cho đề nghị số {nomination} (hồ sơ {dossier}); "
USED += "mỗi sáng kiến, đề tài chỉ làm căn cứ cho một lần khen thưởng."


async def _refuse_held(session: AsyncSession, checks: list[dict]) -> None:
    """409 `initiative_already_used` when a check that counts as failed would have passed on
    an initiative another nomination holds."""
    held = [
        initiative_id
        for check in checks
        if check.get("effective_result", check["result"]) == "fail"
        for initiative_id in check.get("held_elsewhere") or ()
    ]
    if not held:
        return
    holders = (
        select(InitiativeUse.initiative_id, InitiativeUse.nomination_id, Initiative.title,
               Dossier.code)
        .join(Nomination, Nomination.id == InitiativeUse.nomination_id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .join(Initiative, Initiative.id == InitiativeUse.initiative_id)
        .where(InitiativeUse.initiative_id.in_(held), Nomination.status.in_(HOLDING))
        .limit(1)
    )  # fmt: skip
    row = (await session.execute(holders)).first()
    if row is not None:
        initiative_id, holder, title, code = row
        raise Conflict(
            USED.format(title=title, nomination=holder, dossier=code)
            + " Tải lại đề nghị; nếu vẫn kết luận đủ tiêu chuẩn, ghi đè tiêu chí đó kèm lý do.",
            code="initiative_already_used",
            initiative_id=initiative_id,
            nomination_id=holder,
        )


async def settle(
    session: AsyncSession,
    actor: Principal,
    nomination: Nomination,
    dossier: Dossier,
    checks: list[dict],
) -> None:
    """Record the initiatives the nomination's passing checks (effective results) stood on, and
    drop those it no longer uses; for a nomination not eligible, drop them all."""
    if nomination.status in HOLDING:
        await _refuse_held(session, checks)
    wanted: dict[int, str] = {}
    if nomination.status in HOLDING:
        for check in checks:
            if check.get("effective_result", check["result"]) == "pass":
                for initiative_id in check.get("initiative_ids") or ():
                    wanted.setdefault(initiative_id, check["rule"])
    rows = (
        await session.execute(
            select(InitiativeUse, Nomination.status, Initiative.title, Dossier.code)
            .join(Nomination, Nomination.id == InitiativeUse.nomination_id)
            .join(Dossier, Dossier.id == Nomination.dossier_id)
            .join(Initiative, Initiative.id == InitiativeUse.initiative_id)
            .where(
                (InitiativeUse.nomination_id == nomination.id)
                | InitiativeUse.initiative_id.in_(list(wanted))
            )
        )
    ).all()
    before = sorted(u.initiative_id for u, *_ in rows if u.nomination_id == nomination.id)
    kept: set[int] = set()
    for use, status, title, code in rows:
        if use.nomination_id == nomination.id:
            if use.initiative_id not in wanted:
                await session.delete(use)
            else:
                kept.add(use.initiative_id)
                wanted.pop(use.initiative_id)
        elif status in HOLDING:
            raise Conflict(
                USED.format(title=title, nomination=use.nomination_id, dossier=code),
                code="initiative_already_used",
                initiative_id=use.initiative_id,
                nomination_id=use.nomination_id,
            )
        else:  # held by a nomination that no longer may become an award: free again
            await session.delete(use)
    await flush_or_conflict(session)
    for initiative_id, rule in wanted.items():
        session.add(
            InitiativeUse(
                initiative_id=initiative_id,
                nomination_id=nomination.id,
                rule=rule,
                created_by_id=actor.user_id,
            )
        )
    await flush_or_conflict(
        session,
        "Sáng kiến, đề tài vừa được dùng làm căn cứ cho một đề nghị khác; tải lại rồi thử lại.",
        code="initiative_already_used",
    )
    after = sorted({*kept, *wanted})
    if after != before:
        await audit.record(
            session, actor, "nomination.initiatives_used", "dossier", dossier.id,
            before={"nomination_id": nomination.id, "initiative_ids": before},
            after={"nomination_id": nomination.id, "initiative_ids": after},
        )  # fmt: skip
