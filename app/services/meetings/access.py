"""Who may see a meeting: Sở Nội vụ and readers all; a council member their council's only."""

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.core.principal import COUNCIL_MEMBER, NOI_VU, READER, Principal
from app.models import CouncilMember, Meeting


def own_council(principal: Principal) -> Select:
    return select(CouncilMember.council_id).where(CouncilMember.id == principal.council_member_id)


def meeting_scope(stmt: Select, principal: Principal) -> Select:
    if principal.role in (NOI_VU, READER):
        return stmt
    if principal.role == COUNCIL_MEMBER:
        return stmt.where(Meeting.council_id.in_(own_council(principal)))
    return stmt.where(false())


async def get_meeting(
    session: AsyncSession, principal: Principal, meeting_id: int, *, lock: bool = False
) -> Meeting:
    """The meeting in the caller's scope; `lock` takes its row lock (ballots and close queue
    on it, so a ballot racing the close is either counted or refused, never half-applied)."""
    stmt = meeting_scope(select(Meeting).where(Meeting.id == meeting_id), principal)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    meeting = await session.scalar(stmt)
    if meeting is None:
        raise NotFound(f"Không tìm thấy phiên họp có mã số {meeting_id}.")
    return meeting
