"""The agenda of a meeting (chương trình phiên họp): the nominations put to the vote.

A nomination goes on an agenda only when it was appraised eligible, its award type needs the
council's vote (with a threshold), it is on no other meeting still to be held, and — for
Huân chương and titles of honour — its public disclosure was published at least the award
type's number of working days before the meeting's date.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Unprocessable
from app.core.orm import check_version, flush_or_conflict, touch
from app.core.principal import Principal
from app.core.statuses import DossierStatus, MeetingStatus, NominationStatus
from app.core.working_days import HolidayCalendar
from app.models import (
    AgendaItem,
    AwardType,
    Disclosure,
    DisclosureItem,
    Dossier,
    Meeting,
    Nomination,
)
from app.services import audit, holidays, permissions, rule_values
from app.services.meetings.access import get_meeting
from app.services.meetings.meetings import meeting_date, reload, require_status

DEFAULT_DISCLOSURE_WORKING_DAYS = 10
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Refusal:
    nomination_id: int
    reason: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"nomination_id": self.nomination_id, "reason": self.reason, "message": self.message}


def disclosure_deadline(meeting_on: date, working_days: int, calendar: HolidayCalendar) -> date:
    """The latest publication date that leaves `working_days` whole working days between the
    publication and the meeting's day (neither of the two counted)."""
    day, counted = meeting_on - ONE_DAY, 0
    while counted < working_days:
        counted += calendar.is_working_day(day)
        day -= ONE_DAY
    return day


@dataclass(frozen=True)
class _Facts:
    nominations: dict[int, Nomination]
    dossiers: dict[int, Dossier]
    types: dict[str, AwardType]
    elsewhere: set[int]
    disclosed: dict[int, date]
    rules: rule_values.RuleBook


async def _facts(session: AsyncSession, meeting: Meeting, ids: list[int]) -> _Facts:
    # Locked in id order, so two agendas taking the same nomination queue here and the
    # second sees the first's agenda item in `elsewhere` (no deadlock: same order).
    nominations = {
        n.id: n
        for n in await session.scalars(
            select(Nomination)
            .where(Nomination.id.in_(ids))
            .order_by(Nomination.id)
            .with_for_update()
        )
    }
    dossier_ids = {n.dossier_id for n in nominations.values()}
    dossiers = {
        d.id: d for d in await session.scalars(select(Dossier).where(Dossier.id.in_(dossier_ids)))
    }
    codes = {n.award_type_code for n in nominations.values()}
    types = {
        t.code: t for t in await session.scalars(select(AwardType).where(AwardType.code.in_(codes)))
    }
    elsewhere = set(
        await session.scalars(
            select(AgendaItem.nomination_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(
                AgendaItem.nomination_id.in_(ids),
                AgendaItem.meeting_id != meeting.id,
                Meeting.status != MeetingStatus.CLOSED,
            )
        )
    )
    rows = await session.execute(
        select(DisclosureItem.nomination_id, func.min(Disclosure.published_on))
        .join(Disclosure, Disclosure.id == DisclosureItem.disclosure_id)
        .where(DisclosureItem.nomination_id.in_(ids))
        .group_by(DisclosureItem.nomination_id)
    )
    disclosed = {n: d for n, d in rows}
    return _Facts(
        nominations, dossiers, types, elsewhere, disclosed, await rule_values.load(session)
    )


def _refusal(
    nomination_id: int, facts: _Facts, meeting: Meeting, calendar: HolidayCalendar
) -> Refusal | None:
    nomination = facts.nominations.get(nomination_id)
    if nomination is None:
        return Refusal(nomination_id, "not_found", f"Không có đề nghị mã số {nomination_id}.")
    name = nomination.nominee_name
    if nomination.status != NominationStatus.ELIGIBLE:
        return Refusal(
            nomination_id, "not_eligible",
            f"{name}: đề nghị chưa được thẩm định đủ điều kiện (trạng thái {nomination.status}).",
        )  # fmt: skip
    dossier = facts.dossiers.get(nomination.dossier_id)
    if dossier is None or dossier.status != DossierStatus.APPRAISED:
        return Refusal(
            nomination_id, "dossier_not_appraised",
            f"{name}: hồ sơ chưa thẩm định xong (trạng thái {dossier.status if dossier else '?'})"
            "; chỉ đưa vào chương trình đề nghị của hồ sơ đã thẩm định.",
        )  # fmt: skip
    if meeting.round_id is not None and dossier.round_id != meeting.round_id:
        return Refusal(
            nomination_id, "other_round",
            f"{name}: đề nghị thuộc đợt khác đợt xét của phiên họp.",
        )  # fmt: skip
    award = facts.types.get(nomination.award_type_code)
    vote = (award.council_vote if award else None) or {}
    if not vote.get("required"):
        return Refusal(
            nomination_id, "no_vote_needed",
            f"{name}: {award.name if award else nomination.award_type_code} không cần Hội đồng "
            "biểu quyết; trình quyết định trực tiếp sau thẩm định.",
        )  # fmt: skip
    if facts.rules.threshold(award.code, meeting_date(meeting)) is None:
        return Refusal(
            nomination_id, "no_threshold",
            f"{name}: {award.name} chưa có tỷ lệ biểu quyết của Hội đồng; Sở Nội vụ cần thêm "
            f"số liệu quy định “{rule_values.threshold_key(award.code)}”.",
        )  # fmt: skip
    if nomination_id in facts.elsewhere:
        return Refusal(
            nomination_id, "on_other_agenda",
            f"{name}: đề nghị đã có trong chương trình một phiên họp khác chưa kết thúc.",
        )  # fmt: skip
    if award.needs_public_disclosure:
        return _disclosure_refusal(nomination, award, facts, meeting_date(meeting), calendar)
    return None


def _disclosure_refusal(
    nomination: Nomination,
    award: AwardType,
    facts: _Facts,
    meeting_on: date,
    calendar: HolidayCalendar,
) -> Refusal | None:
    days = award.disclosure_working_days or DEFAULT_DISCLOSURE_WORKING_DAYS
    latest = disclosure_deadline(meeting_on, days, calendar)
    published = facts.disclosed.get(nomination.id)
    if published is not None and published <= latest:
        return None
    when = "chưa được công khai" if published is None else f"công khai ngày {published:%d/%m/%Y}"
    return Refusal(
        nomination.id, "disclosure_missing",
        f"{nomination.nominee_name}: {award.name} phải công khai ít nhất {days} ngày làm việc "
        f"trước phiên họp ngày {meeting_on:%d/%m/%Y}, tức chậm nhất ngày {latest:%d/%m/%Y}; "
        f"đề nghị {when}.",
    )  # fmt: skip


async def set_agenda(
    session: AsyncSession,
    actor: Principal,
    meeting_id: int,
    nomination_ids: list[int],
    expected: int | None,
) -> Meeting:
    """Replace the agenda of a scheduled meeting; any refused nomination refuses it all (422)."""
    permissions.require(actor, "meeting.set_agenda")
    meeting = await get_meeting(session, actor, meeting_id, lock=True)
    check_version(meeting, expected)
    require_status(
        meeting,
        MeetingStatus.SCHEDULED,
        "meeting_not_scheduled",
        "đã khai mạc, không sửa chương trình",
    )
    ids = list(dict.fromkeys(nomination_ids))
    facts = await _facts(session, meeting, ids)
    calendar = await holidays.calendar(session)
    refusals = [r for i in ids if (r := _refusal(i, facts, meeting, calendar))]
    if refusals:
        raise Unprocessable(
            "Một số đề nghị không đưa được vào chương trình phiên họp: "
            + " ".join(r.message for r in refusals),
            code="agenda_refused",
            refused=[r.as_dict() for r in refusals],
        )
    before = list(
        await session.scalars(
            select(AgendaItem.nomination_id)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
    )
    await session.execute(AgendaItem.__table__.delete().where(AgendaItem.meeting_id == meeting.id))
    session.add_all(
        AgendaItem(meeting_id=meeting.id, nomination_id=n, position=i) for i, n in enumerate(ids, 1)
    )
    touch(meeting)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, "meeting.agenda_set", "meeting", meeting.id,
        before={"nomination_ids": before}, after={"nomination_ids": ids},
    )  # fmt: skip
    return await reload(session, actor, meeting.id)
