"""Council meetings: Sở Nội vụ schedules one, puts eligible nominations that need a vote on its
agenda (Huân chương only after a timely public disclosure), records who is present, and opens it
only when the quorum holds."""

from datetime import date, datetime

import pytest

from app.core.principal import SYSTEM
from app.core.working_days import VIETNAM_TZ, HolidayCalendar
from app.models import Dossier
from app.services import holidays
from app.services.meetings.agenda import disclosure_deadline
from tests.factories import etag_version, make_council, make_council_member, signed_in
from tests.factories_council import (
    API,
    BANG_KHEN,
    CO_THI_DUA,
    CSTD_TINH,
    HUAN_CHUONG,
    council_with_members,
    disclosure,
    eligible_nominations,
    make_meeting,
)
from tests.factories_dossiers import make_round


def _body(council_id: int, **overrides) -> dict:
    body = {
        "council_id": council_id,
        "title": "Phiên họp Hội đồng xét khen thưởng đợt 2 năm 2026",
        "scheduled_at": "2026-12-15T08:00:00+07:00",
    }
    body.update(overrides)
    return body


# ---- scheduling and reading ------------------------------------------------------------------


async def test_noi_vu_schedules_a_meeting_and_reads_it_back(app, client, session):
    group = await council_with_members(app, session, 3)
    _, admin = await signed_in(app, session)

    created = await client.post(f"{API}/meetings", json=_body(group.council.id), headers=admin)
    fetched = await client.get(created.headers["location"], headers=admin)

    assert created.status_code == 201, created.text
    body = fetched.json()
    assert fetched.status_code == 200 and etag_version(fetched) == body["version"]
    assert body["status"] == "scheduled" and body["kind"] == "award"
    assert body["agenda"] == [] and body["attendance"] == []
    assert body["members_total"] == 3 and body["present"] == 0
    assert body["opened_at"] is None and body["closed_at"] is None
    assert datetime.fromisoformat(body["scheduled_at"]) == datetime(
        2026, 12, 15, 8, tzinfo=VIETNAM_TZ
    )


async def test_a_meeting_needs_a_known_council_and_an_aware_datetime(app, client, session):
    _, admin = await signed_in(app, session)
    council = await make_council(session)
    await session.commit()

    unknown = await client.post(f"{API}/meetings", json=_body(9999), headers=admin)
    naive = await client.post(
        f"{API}/meetings", json=_body(council.id, scheduled_at="2026-12-15T08:00:00"), headers=admin
    )
    extra = await client.post(
        f"{API}/meetings", json=_body(council.id, status="open"), headers=admin
    )

    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_reference"
    assert naive.status_code == 422 and extra.status_code == 422


async def test_council_members_see_only_their_councils_meetings(app, client, session):
    mine = await council_with_members(app, session, 2)
    other = await make_council(session)
    await make_meeting(session, mine.council)
    hidden = await make_meeting(session, other)
    _, reader = await signed_in(app, session, "reader")

    listed = await client.get(f"{API}/meetings", headers=mine.headers[0])
    peek = await client.get(f"{API}/meetings/{hidden.id}", headers=mine.headers[0])
    everything = await client.get(f"{API}/meetings", headers=reader)

    assert listed.json()["total"] == 1
    assert listed.json()["items"][0]["council_id"] == mine.council.id
    assert peek.status_code == 404
    assert everything.json()["total"] == 2


async def test_a_page_of_meetings_costs_the_same_queries_as_one(
    app, client, session, count_queries
):
    group = await council_with_members(app, session, 3)
    nominations = await eligible_nominations(session, CSTD_TINH, 2)
    _, admin = await signed_in(app, session)
    await make_meeting(session, group.council, agenda=nominations, present=group.members)

    with count_queries() as one:
        await client.get(f"{API}/meetings", headers=admin)
    for _ in range(5):
        await make_meeting(session, group.council, agenda=nominations, present=group.members)
    with count_queries() as six:
        response = await client.get(f"{API}/meetings", headers=admin)

    assert response.json()["total"] == 6
    assert len(response.json()["items"][0]["agenda"]) == 2
    assert six.count == one.count


# ---- agenda ----------------------------------------------------------------------------------


async def test_the_agenda_takes_eligible_nominations_that_need_a_vote(app, client, session):
    group = await council_with_members(app, session, 3)
    voted = await eligible_nominations(session, CSTD_TINH)
    flag = await eligible_nominations(session, CO_THI_DUA)
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)

    response = await client.put(
        f"{API}/meetings/{meeting.id}/agenda",
        json={"nomination_ids": [flag[0].id, voted[0].id]},
        headers={**admin, "If-Match": f'"{meeting.version}"'},
    )

    assert response.status_code == 200, response.text
    agenda = response.json()["agenda"]
    assert [a["nomination_id"] for a in agenda] == [flag[0].id, voted[0].id]
    assert agenda[1] == {
        "nomination_id": voted[0].id,
        "award_type_code": CSTD_TINH,
        "nominee_name": voted[0].nominee_name,
        "dossier_id": voted[0].dossier_id,
    }


async def test_the_agenda_refuses_each_unfit_nomination_with_its_reason(app, client, session):
    group = await council_with_members(app, session, 3)
    submitted = await eligible_nominations(session, CSTD_TINH, status="submitted")
    no_vote = await eligible_nominations(session, BANG_KHEN)
    undisclosed = await eligible_nominations(session, HUAN_CHUONG)
    fine = await eligible_nominations(session, CSTD_TINH)
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)
    ids = [fine[0].id, submitted[0].id, no_vote[0].id, undisclosed[0].id, 424242]

    response = await client.put(
        f"{API}/meetings/{meeting.id}/agenda", json={"nomination_ids": ids}, headers=admin
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "agenda_refused"
    reasons = {r["nomination_id"]: r["reason"] for r in body["refused"]}
    assert reasons == {
        submitted[0].id: "not_eligible",
        no_vote[0].id: "no_vote_needed",
        undisclosed[0].id: "disclosure_missing",
        424242: "not_found",
    }
    after = await client.get(f"{API}/meetings/{meeting.id}", headers=admin)
    assert after.json()["agenda"] == []


async def test_a_nomination_is_on_one_pending_agenda_at_a_time(app, client, session):
    group = await council_with_members(app, session, 3)
    nomination = (await eligible_nominations(session, CSTD_TINH))[0]
    await make_meeting(session, group.council, agenda=[nomination])
    second = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)

    response = await client.put(
        f"{API}/meetings/{second.id}/agenda",
        json={"nomination_ids": [nomination.id]},
        headers=admin,
    )

    assert response.status_code == 422
    assert response.json()["refused"][0]["reason"] == "on_other_agenda"


async def test_the_agenda_is_fixed_once_the_meeting_opened(app, client, session):
    group = await council_with_members(app, session, 3)
    nomination = (await eligible_nominations(session, CSTD_TINH))[0]
    meeting = await make_meeting(session, group.council, status="open")
    _, admin = await signed_in(app, session)

    agenda = await client.put(
        f"{API}/meetings/{meeting.id}/agenda",
        json={"nomination_ids": [nomination.id]},
        headers=admin,
    )
    attendance = await client.put(
        f"{API}/meetings/{meeting.id}/attendance", json={"member_ids": []}, headers=admin
    )

    assert agenda.status_code == 409 and agenda.json()["code"] == "meeting_not_scheduled"
    assert attendance.status_code == 409


async def test_a_stale_if_match_is_refused(app, client, session):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)

    response = await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": [group.members[0].id]},
        headers={**admin, "If-Match": '"99"'},
    )

    assert response.status_code == 412 and response.json()["code"] == "version_mismatch"


# ---- public disclosure in working days ---------------------------------------------------------


def test_the_disclosure_deadline_counts_whole_working_days_before_the_meeting():
    calendar = HolidayCalendar()
    # Meeting on Monday 14 December 2026: ten working days before it are 30 Nov – 11 Dec.
    assert disclosure_deadline(date(2026, 12, 14), 10, calendar) == date(2026, 11, 29)
    # Without Tết the deadline before Monday 22 February 2027 would be Sunday 7 February; the
    # five working days of Tết (4, 5, 8, 9, 10 February) push it back a week.
    assert disclosure_deadline(date(2027, 2, 22), 10, calendar) == date(2027, 1, 31)


@pytest.mark.parametrize(
    ("published_on", "accepted"),
    [("2026-11-27", True), ("2026-11-30", False)],
)
async def test_huan_chuong_needs_ten_working_days_of_disclosure(
    app, client, session, published_on, accepted
):
    group = await council_with_members(app, session, 3)
    nomination = (await eligible_nominations(session, HUAN_CHUONG))[0]
    meeting_at = datetime(2026, 12, 14, 8, tzinfo=VIETNAM_TZ)
    meeting = await make_meeting(session, group.council, scheduled_at=meeting_at)
    _, admin = await signed_in(app, session)

    # Stored directly: the API takes no publication date after today, and these are fixed.
    session.add(
        disclosure(
            [nomination.id],
            date.fromisoformat(published_on),
            channel="Cổng TTĐT tỉnh",
            url="https://sonla.gov.vn/a",
        )
    )
    await session.commit()
    response = await client.put(
        f"{API}/meetings/{meeting.id}/agenda",
        json={"nomination_ids": [nomination.id]},
        headers=admin,
    )

    assert (response.status_code == 200) is accepted, response.text
    if not accepted:
        assert response.json()["refused"][0]["reason"] == "disclosure_missing"
        assert "29/11/2026" in response.json()["detail"]


async def test_a_holiday_declared_by_noi_vu_lengthens_the_disclosure_period(app, client, session):
    group = await council_with_members(app, session, 3)
    nomination = (await eligible_nominations(session, HUAN_CHUONG))[0]
    meeting = await make_meeting(
        session, group.council, scheduled_at=datetime(2026, 12, 14, 8, tzinfo=VIETNAM_TZ)
    )
    _, admin = await signed_in(app, session)
    session.add(disclosure([nomination.id], date(2026, 11, 27), channel="Báo Sơn La"))
    await holidays.set_holiday(session, SYSTEM, date(2026, 12, 4), True, "Nghỉ bù")
    await session.commit()

    response = await client.put(
        f"{API}/meetings/{meeting.id}/agenda",
        json={"nomination_ids": [nomination.id]},
        headers=admin,
    )

    assert response.status_code == 422
    assert response.json()["refused"][0]["reason"] == "disclosure_missing"


# ---- attendance and quorum -------------------------------------------------------------------


async def test_attendance_takes_active_members_of_that_council_only(app, client, session):
    group = await council_with_members(app, session, 3)
    stranger = await make_council_member(session, await make_council(session))
    retired = await make_council_member(session, group.council)
    retired.active = False
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)

    refused = await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": [group.members[0].id, stranger.id, retired.id]},
        headers=admin,
    )
    accepted = await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": [group.members[0].id, group.members[1].id]},
        headers=admin,
    )

    assert refused.status_code == 422 and refused.json()["code"] == "not_council_members"
    assert sorted(refused.json()["member_ids"]) == sorted([stranger.id, retired.id])
    assert accepted.status_code == 200
    assert accepted.json()["attendance"] == [group.members[0].id, group.members[1].id]
    assert accepted.json()["present"] == 2


@pytest.mark.parametrize(
    ("kind", "members", "present", "opens"),
    [
        ("award", 10, 8, True),  # 80% exactly
        ("award", 10, 7, False),
        ("award", 9, 7, False),  # 77.78% < 80%
        ("regular", 9, 6, True),  # 2/3 of 9 = 66.67%
        ("regular", 9, 5, False),
        ("regular", 3, 2, True),
    ],
)
async def test_a_meeting_opens_only_with_its_quorum(
    app, client, session, kind, members, present, opens
):
    group = await council_with_members(app, session, members)
    (await make_council_member(session, group.council)).active = False  # not counted
    nomination = (await eligible_nominations(session, CSTD_TINH))[0]
    meeting = await make_meeting(
        session, group.council, kind=kind, agenda=[nomination], present=group.members[:present]
    )
    _, admin = await signed_in(app, session)

    response = await client.post(f"{API}/meetings/{meeting.id}/open", headers=admin)

    if opens:
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "open" and body["opened_at"] is not None
        assert (body["members_total"], body["present"]) == (members, present)
    else:
        assert response.status_code == 409
        problem = response.json()
        assert problem["code"] == "quorum_not_met"
        assert (problem["present"], problem["members_total"]) == (present, members)
        assert problem["required_present"] > present


async def test_quorum_percentages_are_rule_values(app, client, session):
    group = await council_with_members(app, session, 4)
    agenda = await eligible_nominations(session, CSTD_TINH)
    meeting = await make_meeting(session, group.council, present=group.members[:2], agenda=agenda)
    _, admin = await signed_in(app, session)

    lowered = await client.patch(
        f"{API}/rule-values/award_quorum_percent/2024-01-01",
        json={"value": 50},
        headers={**admin, "If-Match": "*"},
    )
    response = await client.post(f"{API}/meetings/{meeting.id}/open", headers=admin)

    assert lowered.status_code == 200, lowered.text

    assert response.status_code == 200, response.text


async def test_opening_twice_is_an_invalid_transition(app, client, session):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council, status="open", present=group.members)
    _, admin = await signed_in(app, session)

    response = await client.post(f"{API}/meetings/{meeting.id}/open", headers=admin)
    closed_early = await client.get(f"{API}/meetings/{meeting.id}/results", headers=admin)

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert closed_early.status_code == 409
    assert closed_early.json()["code"] == "meeting_not_closed"


async def test_meeting_moves_are_audited_and_emitted(app, client, session):
    group = await council_with_members(app, session, 3)
    _, admin = await signed_in(app, session)
    created = await client.post(f"{API}/meetings", json=_body(group.council.id), headers=admin)
    mid = created.json()["id"]
    (nomination,) = await eligible_nominations(session, CSTD_TINH)
    await client.put(
        f"{API}/meetings/{mid}/agenda", json={"nomination_ids": [nomination.id]}, headers=admin
    )
    await client.put(
        f"{API}/meetings/{mid}/attendance",
        json={"member_ids": [m.id for m in group.members]},
        headers=admin,
    )
    await client.post(f"{API}/meetings/{mid}/open", headers=admin)

    audit = await client.get(
        f"{API}/audit", params={"entity_type": "meeting", "entity_id": mid}, headers=admin
    )
    events = await client.get(f"{API}/events", headers=admin)

    actions = [e["action"] for e in audit.json()["items"]]
    assert {"meeting.scheduled", "meeting.attendance_set", "meeting.opened"} <= set(actions)
    types = [e["type"] for e in events.json()["items"] if e["entity_type"] == "meeting"]
    assert types == ["meeting.scheduled", "meeting.opened"]


async def test_attendance_can_be_corrected_before_the_opening(app, client, session):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council, present=group.members[:2])
    _, admin = await signed_in(app, session)
    a, b, c = (m.id for m in group.members)

    response = await client.put(
        f"{API}/meetings/{meeting.id}/attendance", json={"member_ids": [c, b]}, headers=admin
    )

    assert response.status_code == 200, response.text
    assert response.json()["attendance"] == [b, c] and a not in response.json()["attendance"]
    assert response.json()["version"] > meeting.version


async def test_attendance_records_why_a_member_is_absent(app, client, session):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)
    a, b, c = (m.id for m in group.members)

    response = await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": [a, b], "absences": [{"member_id": c, "reason": "Đi công tác"}]},
        headers=admin,
    )

    assert response.status_code == 200, response.text
    assert response.json()["absences"] == [{"member_id": c, "reason": "Đi công tác"}]
    assert response.json()["present"] == 2
    read = await client.get(f"{API}/meetings/{meeting.id}", headers=admin)
    assert read.json()["absences"] == [{"member_id": c, "reason": "Đi công tác"}]
    audit = await client.get(f"{API}/audit?entity_type=meeting", headers=admin)
    entry = next(e for e in audit.json()["items"] if e["action"] == "meeting.attendance_set")
    assert entry["after"]["absences"] == {str(c): "Đi công tác"}


async def test_a_reader_learns_who_was_absent_but_not_why(app, client, session):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)
    _, reader = await signed_in(app, session, "reader")
    _, unit = await signed_in(app, session, "unit")
    a, b, c = (m.id for m in group.members)
    await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": [a, b], "absences": [{"member_id": c, "reason": "Nằm viện"}]},
        headers=admin,
    )
    path = f"{API}/meetings/{meeting.id}"

    seen = {
        who: await client.get(path, headers=headers)
        for who, headers in (("noi_vu", admin), ("member", group.headers[0]), ("reader", reader))
    }
    listed = await client.get(f"{API}/meetings", headers=reader)
    refused = await client.get(path, headers=unit)

    assert seen["noi_vu"].json()["absences"] == [{"member_id": c, "reason": "Nằm viện"}]
    assert seen["member"].json()["absences"] == [{"member_id": c, "reason": "Nằm viện"}]
    assert seen["reader"].status_code == 200, seen["reader"].text
    assert seen["reader"].json()["absences"] == [{"member_id": c, "reason": None}]
    assert seen["reader"].json()["attendance"] == [a, b]
    assert "Nằm viện" not in seen["reader"].text and "Nằm viện" not in listed.text
    assert listed.json()["items"][0]["absences"] == [{"member_id": c, "reason": None}]
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("absences", "code"),
    [
        ([{"member_id": 0, "reason": "Ốm"}], "attendance_conflict"),  # 0: also present
        (
            [{"member_id": 2, "reason": "Ốm"}, {"member_id": 2, "reason": "Đi công tác"}],
            "attendance_conflict",
        ),
        ([{"member_id": 2, "reason": "   "}], "validation_error"),
    ],
    ids=["present-and-absent", "twice", "blank-reason"],
)
async def test_an_absence_that_does_not_add_up_is_refused(app, client, session, absences, code):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)
    ids = [m.id for m in group.members]
    body = [{**entry, "member_id": ids[entry["member_id"]]} for entry in absences]

    response = await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": ids[:2], "absences": body},
        headers=admin,
    )

    assert response.status_code == 422 and response.json()["code"] == code


async def test_an_absent_stranger_is_refused_like_a_present_one(app, client, session):
    group = await council_with_members(app, session, 2)
    stranger = await make_council_member(session, await make_council(session))
    meeting = await make_meeting(session, group.council)
    _, admin = await signed_in(app, session)

    response = await client.put(
        f"{API}/meetings/{meeting.id}/attendance",
        json={"member_ids": [group.members[0].id],
              "absences": [{"member_id": stranger.id, "reason": "Ốm"}]},
        headers=admin,
    )  # fmt: skip

    assert response.status_code == 422 and response.json()["code"] == "not_council_members"


async def test_council_members_follow_their_own_councils_meetings_in_events(app, client, session):
    mine = await council_with_members(app, session, 1)
    other = await council_with_members(app, session, 1)
    _, admin = await signed_in(app, session)
    for group in (mine, other):
        await client.post(f"{API}/meetings", json=_body(group.council.id), headers=admin)

    seen = await client.get(f"{API}/events", headers=mine.headers[0])

    councils = [e["data"]["council_id"] for e in seen.json()["items"]]
    assert councils == [mine.council.id]


async def test_the_agenda_takes_only_appraised_dossiers_of_the_meetings_round(app, client, session):
    group = await council_with_members(app, session, 3)
    (appraising,) = await eligible_nominations(session, CSTD_TINH)
    dossier = await session.get(Dossier, appraising.dossier_id)
    dossier.status = "under_appraisal"
    other = await make_round(session, year=2025, number=1, status="closed")
    (elsewhere,) = await eligible_nominations(session, CSTD_TINH, round_=other)
    (fine,) = await eligible_nominations(session, CSTD_TINH)
    meeting = await make_meeting(session, group.council)
    meeting.round_id = fine_round = (await session.get(Dossier, fine.dossier_id)).round_id
    await session.commit()
    _, admin = await signed_in(app, session)
    ids = [fine.id, appraising.id, elsewhere.id]

    response = await client.put(
        f"{API}/meetings/{meeting.id}/agenda", json={"nomination_ids": ids}, headers=admin
    )

    assert response.status_code == 422, response.text
    reasons = {r["nomination_id"]: r["reason"] for r in response.json()["refused"]}
    assert reasons == {appraising.id: "dossier_not_appraised", elsewhere.id: "other_round"}
    assert fine_round != other.id


async def test_a_meeting_without_an_agenda_does_not_open(app, client, session):
    group = await council_with_members(app, session, 3)
    meeting = await make_meeting(session, group.council, present=group.members)
    _, admin = await signed_in(app, session)

    response = await client.post(f"{API}/meetings/{meeting.id}/open", headers=admin)

    assert response.status_code == 409 and response.json()["code"] == "empty_agenda"
