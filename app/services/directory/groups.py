"""Groups of units named by a plan instead of units (nhóm đơn vị phối hợp), resolved from the
directory of one year, so a unit that joins a cluster later in the year is in the group."""

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, extract, or_, select
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


def in_group(unit_id: int, group: ColumnElement, year: ColumnElement) -> ColumnElement[bool]:
    """SQL: `unit_id` belongs, in the year the column `year` holds, to the group the column
    `group` names — the same rules as `groups_of_unit`, for a filter over many rows."""
    in_cluster = exists().where(
        ClusterMembership.unit_id == unit_id, ClusterMembership.year == year
    )
    on_council = exists().where(
        CouncilMember.unit_id == unit_id,
        CouncilMember.active.is_(True),
        Council.id == CouncilMember.council_id,
        or_(
            Council.effective_from.is_(None),
            extract("year", Council.effective_from) <= year,
        ),
    )
    active = exists().where(Unit.id == unit_id, Unit.active.is_(True))
    return or_(
        and_(group == CLUSTER_MEMBER_UNITS, in_cluster),
        and_(group == COUNCIL_MEMBERS, on_council),
        and_(group == ALL_UNITS, active),
    )
