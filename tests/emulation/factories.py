"""A khối of the Sơn La directory and its scoring table."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Cluster, Unit
from tests.factories import make_cluster, make_unit

# Khối các cơ quan tổng hợp: the head first.
KHOI_UNITS = (
    "Văn phòng UBND tỉnh",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Thanh tra tỉnh",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Sở Khoa học và Công nghệ",
)

TABLE = {
    "tie_rule": "fewer_penalties",
    "groups": [
        {
            "name": "I. Thực hiện nhiệm vụ chính trị",
            "criteria": [
                {"code": "1.1", "name": "Hoàn thành chỉ tiêu, nhiệm vụ được giao",
                 "max_points": 40},
                {"code": "1.2", "name": "Cải cách hành chính, chuyển đổi số", "max_points": 30},
            ],
        },
        {
            "name": "II. Công tác thi đua, khen thưởng",
            "criteria": [
                {"code": "2.1", "name": "Tổ chức phong trào thi đua", "max_points": 30},
            ],
        },
        {
            "name": "III. Điểm thưởng, điểm trừ",
            "criteria": [
                {"code": "3.1", "name": "Sáng kiến được công nhận", "kind": "bonus",
                 "max_points": 5, "evidence": "Quyết định công nhận sáng kiến"},
                {"code": "3.2", "name": "Báo cáo chậm, sai sót", "kind": "penalty",
                 "max_points": 10},
            ],
        },
    ],
}  # fmt: skip


async def make_khoi(session: AsyncSession, year: int = 2026) -> tuple[Cluster, dict[str, Unit]]:
    units = {name: await make_unit(session, name=name, kind="agency") for name in KHOI_UNITS}
    head, *members = units.values()
    cluster = await make_cluster(
        session, year=year, head=head, members=members, name="Khối các cơ quan tổng hợp"
    )
    return cluster, units


async def run_cluster_vote(client, table_id, head, voters, candidates, present, choose):
    """Open the cluster meeting's vote, let each of `voters` (name → headers) cast the choices
    `choose(name, candidate)` gives, close it; the closed vote's JSON."""
    opened = await client.post(
        f"/api/v1/emulation/tables/{table_id}/votes",
        json={"candidates": candidates, "present_unit_ids": present},
        headers=head,
    )
    assert opened.status_code == 201, opened.text
    vote = opened.json()
    for name, headers in voters.items():
        ballot = [{"candidate_id": c["id"], "choice": choose(name, c)} for c in vote["candidates"]]
        cast = await client.post(
            f"/api/v1/emulation/votes/{vote['id']}/ballots", json={"votes": ballot},
            headers=headers,
        )  # fmt: skip
        assert cast.status_code == 201, cast.text
    closed = await client.post(f"/api/v1/emulation/votes/{vote['id']}/close", headers=head)
    assert closed.status_code == 200, closed.text
    return closed.json()
