"""Groups of units named by a plan instead of units (nhóm đơn vị phối hợp), resolved from the
directory of one year, so a unit that joins a cluster later in the year is in the group."""

from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ClusterMembership, Council, CouncilMember, Unit

CLUSTER_MEMBER_UNITS = "cluster_member_units"
COUNCIL_MEMBERS = "council_members"
ALL_UNITS = "all_units"


async def groups_of_unit(session: AsyncSession, unit_id: int, year: int) -> frozenset[str]:
    """The groups `unit_id` belongs to in `year`, in one statement.

    - "Các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh": the unit is in a
      cluster (head, deputy or member) of that year;
    - "Thành viên Hội đồng TĐKT tỉnh": an active member of a council in force that year (its
      decision took effect by the end of the year, or has no date) sits for the unit;
    - "Các cơ quan, đơn vị, địa phương trên địa bàn tỉnh": any active unit.
    "Lãnh đạo tỉnh" and "các đơn vị có liên quan" name no unit of the directory.
    """
    in_cluster = exists().where(
        ClusterMembership.unit_id == unit_id, ClusterMembership.year == year
    )
    on_council = exists().where(
        CouncilMember.unit_id == unit_id,
        CouncilMember.active.is_(True),
        Council.id == CouncilMember.council_id,
        or_(Council.effective_from.is_(None), Council.effective_from <= date(year, 12, 31)),
    )
    row = (
        await session.execute(select(in_cluster, on_council, Unit.active).where(Unit.id == unit_id))
    ).one_or_none()
    if row is None:
        return frozenset()
    flags = {CLUSTER_MEMBER_UNITS: row[0], COUNCIL_MEMBERS: row[1], ALL_UNITS: row[2]}
    return frozenset(code for code, member in flags.items() if member)
