"""Factories for council meetings, ballots and decisions: arranged in the database, or walked
through the API where the story is the point."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Disclosure,
    DisclosureItem,
    Meeting,
    MeetingVoter,
    Nomination,
    Round,
    Unit,
    User,
)
from tests.factories import auth, make_council, make_council_member, make_unit, make_user
from tests.factories_dossiers import load_catalogue, make_dossier, make_round

API = "/api/v1"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"  # 90%, individuals
CO_THI_DUA = "co_thi_dua_ubnd_tinh"  # 80%, collectives
BANG_KHEN = "bang_khen_chu_tich_ubnd_tinh"  # no vote
HUAN_CHUONG = "huan_chuong_lao_dong_hang_ba"  # state, 80%, public disclosure
CSTD_TOAN_QUOC = "chien_si_thi_dua_toan_quoc"  # state, 90%
KIND_OF = {CO_THI_DUA: "collective"}


@dataclass
class Council_:
    council: Council
    members: list[CouncilMember]
    users: list[User]
    headers: list[dict[str, str]] = field(default_factory=list)


async def council_with_members(app: FastAPI, session: AsyncSession, n: int) -> Council_:
    """A council of `n` active members, each with a signed-in council_member account."""
    council = await make_council(session)
    members, users = [], []
    for i in range(n):
        member = await make_council_member(session, council, full_name=f"Ủy viên {i + 1}")
        members.append(member)
        users.append(await make_user(session, "council_member", council_member_id=member.id))
    await session.commit()
    return Council_(council, members, users, [auth(app, u) for u in users])


async def the_round(session: AsyncSession, year: int = 2026) -> Round:
    """Đợt 2 of `year`, made once per test."""
    found = await session.scalar(select(Round).where(Round.year == year, Round.number == 2))
    return found or await make_round(session, year=year, number=2, status="closed")


async def eligible_nominations(
    session: AsyncSession,
    award_type_code: str,
    count: int = 1,
    *,
    unit: Unit | None = None,
    round_: Round | None = None,
    status: str = "eligible",
    kind: str | None = None,
    **nominee: Any,
) -> list[Nomination]:
    """Nominations appraised eligible (one dossier), for an award type of the catalogue."""
    await load_catalogue(session)
    unit = unit or await make_unit(session)
    round_ = round_ or await the_round(session)
    nominee.setdefault("nominee_kind", KIND_OF.get(award_type_code, "individual"))
    if nominee["nominee_kind"] == "collective":
        nominee.setdefault("birth_year", None)
        nominee.setdefault("position", None)
    extra = {"kind": kind} if kind else {}
    dossier = await make_dossier(
        session, unit, round_, status="appraised", nominations=count,
        nominee={"award_type_code": award_type_code, **nominee}, **extra,
    )  # fmt: skip
    for nomination in dossier.nominations:
        nomination.status = status
        nomination.appraisal_conclusion = "eligible"
    await session.commit()
    return list(dossier.nominations)


async def make_meeting(
    session: AsyncSession,
    council: Council,
    *,
    kind: str = "award",
    status: str = "scheduled",
    scheduled_at: datetime | None = None,
    agenda: list[Nomination] = (),
    present: list[CouncilMember] = (),
) -> Meeting:
    meeting = Meeting(
        council_id=council.id,
        title="Phiên họp xét khen thưởng",
        scheduled_at=scheduled_at or utcnow() + timedelta(days=30),
        kind=kind,
        status=status,
    )
    session.add(meeting)
    await session.flush()
    for i, n in enumerate(agenda, 1):
        session.add(AgendaItem(meeting_id=meeting.id, nomination_id=n.id, position=i))
    session.add_all(Attendance(meeting_id=meeting.id, member_id=m.id) for m in present)
    if status != "scheduled":
        # Opened: the roll is the council's active members, as the opening writes it.
        members = await session.scalars(
            select(CouncilMember.id).where(
                CouncilMember.council_id == council.id, CouncilMember.active.is_(True)
            )
        )
        session.add_all(MeetingVoter(meeting_id=meeting.id, member_id=m) for m in members)
    await session.commit()
    return meeting


async def open_meeting_with(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    group: Council_,
    agenda: list[Nomination],
    *,
    present: int | None = None,
    kind: str = "award",
    absences: dict[int, str] | None = None,
    scheduled_at: datetime | None = None,
) -> tuple[int, dict[str, str]]:
    """Schedule, set the agenda and attendance, and open through the API; (meeting id, admin)."""
    admin = auth(app, await make_user(session, "noi_vu"))
    await session.commit()
    body = {
        "council_id": group.council.id,
        "title": "Phiên họp xét khen thưởng đợt 2",
        "scheduled_at": (scheduled_at or utcnow() + timedelta(days=30)).isoformat(),
        "kind": kind,
    }
    meeting = (await client.post(f"{API}/meetings", json=body, headers=admin)).json()
    mid = meeting["id"]
    ids = [n.id for n in agenda]
    r = await client.put(
        f"{API}/meetings/{mid}/agenda", json={"nomination_ids": ids}, headers=admin
    )
    assert r.status_code == 200, r.text
    attending = [m.id for m in group.members[: len(group.members) if present is None else present]]
    # absences: the reason of each absent member, by their position in the group.
    away = [{"member_id": group.members[i].id, "reason": r} for i, r in (absences or {}).items()]
    r = await client.put(
        f"{API}/meetings/{mid}/attendance",
        json={"member_ids": attending, "absences": away},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"{API}/meetings/{mid}/open", headers=admin)
    assert r.status_code == 200, r.text
    return mid, admin


def ballot(nominations: list[Nomination], choice: str = "approve", **choices: str) -> dict:
    """A ballot voting `choice` on each nomination, or `choices[str(id)]` where given."""
    return {
        "votes": [
            {"nomination_id": n.id, "choice": choices.get(f"n{n.id}", choice)} for n in nominations
        ]
    }


async def vote(client: httpx.AsyncClient, mid: int, headers: dict, body: dict) -> httpx.Response:
    return await client.post(f"{API}/meetings/{mid}/ballots", json=body, headers=headers)


async def read_back(
    client: httpx.AsyncClient, mid: int, headers: dict, receipt: str | None
) -> httpx.Response:
    """`GET /ballots/mine` with the receipt the cast returned (none when None)."""
    extra = {"X-Ballot-Receipt": receipt} if receipt else {}
    return await client.get(f"{API}/meetings/{mid}/ballots/mine", headers={**headers, **extra})


def days_ago(n: int) -> date:
    return (datetime.now(UTC) - timedelta(days=n)).date()


def disclosure(nomination_ids: list[int], published_on: date, **fields: Any) -> Disclosure:
    """A published list (danh sách công khai) of the nominations, to add to the session: the
    API takes no publication date after today, and tests need fixed ones."""
    fields.setdefault("title", "Danh sách công khai đề nghị khen thưởng")
    fields.setdefault("channel", "Cổng thông tin điện tử tỉnh")
    items = [DisclosureItem(nomination_id=i) for i in nomination_ids]
    return Disclosure(published_on=published_on, items=items, **fields)
