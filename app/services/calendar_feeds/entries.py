"""What a feed holds for its owner: the plan deadlines, the rounds' dates, the council's
meetings and the public disclosure periods, each as the owner's role and scope allow (the
same gates and SQL scopes as the lists of the API), from a year back onwards.

Every event's UID is stable (`task-12@…`, `round-3-submission@…`) and its DTSTAMP is the row's
last change, so the document only changes when what it shows does: a calendar app updates an
event in place, and its polls get a 304 (the route's ETag) while nothing moved.
"""

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.principal import Principal
from app.core.statuses import MeetingStatus
from app.core.working_days import today_in_vietnam
from app.models import (
    AwardType,
    Disclosure,
    DisclosureItem,
    Dossier,
    Meeting,
    Nomination,
    Round,
    Task,
)
from app.services import holidays, permissions, policies
from app.services.meetings.access import meeting_scope
from app.services.meetings.agenda import DEFAULT_DISCLOSURE_WORKING_DAYS
from app.services.tasks.calendar import UID_DOMAIN, task_event
from app.services.tasks.records import lead_unit_name, lead_unit_names
from app.services.tasks.rules import DATED_KINDS

HISTORY_DAYS = 365
ONE_DAY = timedelta(days=1)


async def calendar_of(session: AsyncSession, owner: Principal, name: str) -> bytes:
    """The iCalendar document of `owner`'s feed."""
    since = today_in_vietnam() - timedelta(days=HISTORY_DAYS)
    calendar = Calendar()
    calendar.add("prodid", "-//UBND tinh Son La//tdkt//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    # Calendar apps poll at their own pace; this asks for every few hours at most.
    calendar.add("refresh-interval", timedelta(hours=3), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT3H")
    events: list[Event] = []
    if permissions.admits(owner, "task.list"):
        events += await _task_events(session, since)
    if permissions.admits(owner, "round.list"):
        events += await _round_events(session, since)
    if permissions.admits(owner, "meeting.list"):
        events += await _meeting_events(session, owner, since)
    if permissions.admits(owner, "disclosure.list"):
        events += await _disclosure_events(session, owner, since)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


async def _task_events(session: AsyncSession, since: date) -> list[Event]:
    stmt = (
        select(Task)
        .where(Task.due_kind.in_(DATED_KINDS), Task.due_date >= since)
        .options(selectinload(Task.coordinators))
        .order_by(Task.due_date, Task.id)
    )
    tasks = list(await session.scalars(stmt))
    names = await lead_unit_names(session, tasks)
    return [task_event(task, lead_unit_name(task, names)) for task in tasks]


def _all_day(uid: str, stamp: datetime, first: date, last: date, summary: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + ONE_DAY)
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    return event


async def _round_events(session: AsyncSession, since: date) -> list[Event]:
    rounds = await session.scalars(
        select(Round).where(Round.submission_closes_on >= since).order_by(Round.year, Round.number)
    )
    events = []
    for row in rounds:
        uid, stamp = f"round-{row.id}", row.updated_at
        events.append(
            _all_day(f"{uid}-submission", stamp, row.submission_opens_on,
                     row.submission_closes_on, f"Nhận hồ sơ đề nghị khen thưởng — {row.name}")
        )  # fmt: skip
        for suffix, day, what in (
            ("appraisal", row.appraisal_due_on, "Hạn thẩm định hồ sơ"),
            ("council", row.council_meeting_on, "Dự kiến họp Hội đồng Thi đua - Khen thưởng"),
            ("state", row.state_submission_due_on, "Hạn trình khen thưởng cấp Nhà nước"),
        ):
            if day is not None:
                events.append(_all_day(f"{uid}-{suffix}", stamp, day, day, f"{what} — {row.name}"))
    return events


async def _meeting_events(session: AsyncSession, owner: Principal, since: date) -> list[Event]:
    start = datetime.combine(since, time.min, tzinfo=UTC)
    stmt = meeting_scope(select(Meeting).where(Meeting.scheduled_at >= start), owner)
    events = []
    for meeting in await session.scalars(stmt.order_by(Meeting.scheduled_at, Meeting.id)):
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
        event.add("dtstamp", meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        event.add("dtstart", meeting.scheduled_at)
        event.add("summary", f"Họp Hội đồng Thi đua - Khen thưởng tỉnh: {meeting.title}")
        event.add("description", f"Trạng thái: {MeetingStatus(meeting.status).display}")
        event.add("status", "CONFIRMED")
        events.append(event)
    return events


async def _disclosure_events(session: AsyncSession, owner: Principal, since: date) -> list[Event]:
    """Each public disclosure from the day it was published to the last of the working days it
    must run before a council may vote on the nomination."""
    stmt = (
        select(
            Disclosure, Nomination.nominee_name, AwardType.name, AwardType.disclosure_working_days
        )
        .join(DisclosureItem, DisclosureItem.disclosure_id == Disclosure.id)
        .join(Nomination, Nomination.id == DisclosureItem.nomination_id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .join(AwardType, AwardType.code == Nomination.award_type_code)
        .where(Disclosure.published_on >= since)
        .order_by(Disclosure.published_on, Disclosure.id)
    )
    rows = (await session.execute(policies.dossier_scope(stmt, owner))).all()
    if not rows:
        return []
    working_days = await holidays.calendar(session)
    lists: dict[int, list] = {}
    for disclosure, nominee, award, days in rows:
        lists.setdefault(disclosure.id, []).append((disclosure, nominee, award, days))
    events = []
    for entries in lists.values():
        disclosure = entries[0][0]
        # Until the comment deadline; a list recorded without one runs the working days the
        # law asks of its award types.
        last = disclosure.ends_on or max(
            working_days.add_working_days(
                disclosure.published_on, days or DEFAULT_DISCLOSURE_WORKING_DAYS
            )
            for _, _, _, days in entries
        )
        if len(entries) == 1:
            summary = f"Công khai đề nghị {entries[0][2]}: {entries[0][1]}"
        else:
            summary = f"Công khai: {disclosure.title} ({len(entries)} đề nghị)"
        event = _all_day(
            f"disclosure-{disclosure.id}", disclosure.created_at, disclosure.published_on, last,
            summary,
        )  # fmt: skip
        event.add("description", f"Kênh công khai: {disclosure.channel}")
        if disclosure.url:
            event.add("url", disclosure.url)
        events.append(event)
    return events
