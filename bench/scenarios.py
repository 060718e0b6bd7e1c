"""Feature scenarios for the benchmark: the 2026 plan's tasks and a round of dossiers."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.text import fold, search_text
from app.models import Dossier, Nomination, Plan, Round, Unit
from app.services.award_types import load_award_types
from app.services.plans.importing import load_plan_2026

DOSSIERS = 2000
NOMINATIONS_PER_DOSSIER = 3


class Scenario:  # the same shape as bench.run.Scenario, without importing it back
    def __init__(self, name: str, method: str, path: str, p95_target_ms: float) -> None:
        self.name, self.method, self.path, self.p95_target_ms = name, method, path, p95_target_ms


SCENARIOS = [
    Scenario("list the 2026 plan's tasks, overdue", "GET", "/api/v1/tasks?overdue=true", 80),
    Scenario("task report per quarter and lead unit", "GET", "/api/v1/reports/tasks", 80),
    Scenario("list 200 dossiers with nominations", "GET", "/api/v1/dossiers?limit=200", 300),
    Scenario("search dossiers without diacritics", "GET", "/api/v1/dossiers?q=to%20trinh%201", 150),
    Scenario("dossier report of a round", "GET", "/api/v1/reports/dossiers?year=2026", 200),
]


async def seed(session: AsyncSession) -> None:
    """2,000 submitted dossiers of đợt 1, three nominations each, across the province's units."""
    await load_award_types(session)
    await load_plan_2026(session)
    plan = await session.scalar(select(Plan).where(Plan.year == 2026))
    assert plan is not None
    round_ = Round(
        year=2026, number=1, name="Đợt 1 năm 2026", status="closed",
        submission_opens_on=date(2026, 3, 1), submission_closes_on=date(2026, 3, 20),
    )  # fmt: skip
    session.add(round_)
    await session.flush()
    units = list(await session.scalars(select(Unit.id).order_by(Unit.id)))
    for i in range(DOSSIERS):
        dossier = Dossier(
            code=f"HS-2026-{i + 1:04d}", year=2026, round_id=round_.id, kind="periodic",
            owner_kind="unit", submitting_unit_id=units[i % len(units)],
            title=f"Tờ trình đề nghị khen thưởng {i}", status="submitted", submission_count=1,
        )  # fmt: skip
        dossier.search_text = search_text(dossier.code, dossier.title)
        dossier.nominations = [_nomination(i, j) for j in range(NOMINATIONS_PER_DOSSIER)]
        dossier.attachments = []
        session.add(dossier)
        if i % 500 == 499:
            await session.flush()
    await session.flush()


def _nomination(i: int, j: int) -> Nomination:
    name = f"Nguyễn Văn Thành {i}-{j}"
    return Nomination(
        nominee_kind="individual", nominee_name=name, nominee_key=fold(name),
        position="Chuyên viên", birth_year=1980 + j, award_type_code="bang_khen_chu_tich_ubnd_tinh",
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2025", prior_awards=[],
        status="submitted",
    )  # fmt: skip
