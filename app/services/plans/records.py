"""Plans (kế hoạch công tác thi đua, khen thưởng) entered or corrected by Sở Nội vụ."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import NO_LISTING, Listing, sorting
from app.core.orm import PageResult, get_or_404, paginate
from app.core.principal import Principal
from app.core.text import nfc
from app.models import Plan
from app.schemas.plans import PlanCreate, PlanUpdate
from app.services import audit, permissions
from app.services.plans.importing import PLAN_FIELDS

PLAN_SORTING = sorting(Plan, "-year,-id", ["year", "number", "title", "issued_on"])


async def list_plans(
    session: AsyncSession,
    *,
    year: int | None,
    limit: int,
    offset: int,
    listing: Listing = NO_LISTING,
) -> PageResult:
    stmt = select(Plan)
    if year is not None:
        stmt = stmt.where(Plan.year == year)
    return await paginate(session, PLAN_SORTING.apply(stmt, listing), limit, offset)


async def get_plan(session: AsyncSession, plan_id: int) -> Plan:
    return await get_or_404(session, Plan, plan_id, "kế hoạch")


def _clean(value: object) -> object:
    return nfc(value) if isinstance(value, str) else value


async def create_plan(session: AsyncSession, actor: Principal, data: PlanCreate) -> Plan:
    permissions.require(actor, "plan.create")
    plan = Plan(
        year=data.year,
        number=_clean(data.number),
        title=nfc(data.title),
        issued_on=data.issued_on,
        issuer=_clean(data.issuer),
        body=data.body,  # the document as written, not normalised
        warnings=[],
    )
    session.add(plan)
    await session.flush()
    after = audit.snapshot(plan, PLAN_FIELDS)
    await audit.record(session, actor, "plan.created", "plan", plan.id, after=after)
    return plan


async def update_plan(
    session: AsyncSession, actor: Principal, plan_id: int, changes: PlanUpdate, expected: int | None
) -> Plan:
    permissions.require(actor, "plan.update")
    plan = await get_plan(session, plan_id)

    def apply() -> None:
        for name in changes.model_fields_set:
            value = getattr(changes, name)
            setattr(plan, name, value if name == "body" else _clean(value))

    return await audit.audited_update(
        session, actor, plan, apply, expected,
        action="plan.updated", entity="plan", audited=PLAN_FIELDS,
    )  # fmt: skip
