"""The secret ballot: one per member per open meeting, every agenda item voted once; the member
can read their own back and nobody else — Sở Nội vụ included — can learn it, from any record."""

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text

from app.core.clock import utcnow
from app.core.working_days import today_in_vietnam
from app.models import (
    BallotChoice,
    BallotParticipation,
    BallotReceipt,
    IdempotencyKey,
    SealedBallot,
)
from app.services.meetings.secrecy import BallotKeys, open_readback
from app.services.rule_values.defaults import COUNCIL_RULES
from tests.factories import auth, make_council_member, make_user, signed_in
from tests.factories_council import (
    API,
    CO_THI_DUA,
    CSTD_TINH,
    ballot,
    council_with_members,
    eligible_nominations,
    make_meeting,
    open_meeting_with,
    read_back,
    vote,
)


async def _open(app, client, session, members=3, items=2, present=None, code=CSTD_TINH):
    group = await council_with_members(app, session, members)
    nominations = await eligible_nominations(session, code, items)
    mid, admin = await open_meeting_with(
        app, client, session, group, nominations, present=present, kind="regular"
    )
    return group, nominations, mid, admin


async def test_a_present_member_casts_a_ballot(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)
    body = ballot(nominations, **{f"n{nominations[1].id}": "abstain"})

    response = await vote(client, mid, group.headers[0], body)

    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    answer = response.json()
    # No choices in the answer (its size would tell them); a one-time receipt of ≥128 bits.
    assert set(answer) == {"meeting_id", "cast_as", "receipt"}
    assert answer["meeting_id"] == mid and answer["cast_as"] == "present"
    assert len(answer["receipt"]) >= 22
    mine = await read_back(client, mid, group.headers[0], answer["receipt"])
    assert mine.json()["votes"] == body["votes"]


async def test_an_absent_member_sends_a_written_ballot(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session, members=3, present=2)

    response = await vote(client, mid, group.headers[2], ballot(nominations))

    assert response.status_code == 201, response.text
    assert response.json()["cast_as"] == "written"


async def test_a_second_ballot_is_refused(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)

    first = await vote(client, mid, group.headers[0], ballot(nominations, "approve"))
    second = await vote(client, mid, group.headers[0], ballot(nominations, "reject"))
    mine = await read_back(client, mid, group.headers[0], first.json()["receipt"])

    assert first.status_code == 201
    assert second.status_code == 409 and second.json()["code"] == "already_voted"
    assert {v["choice"] for v in mine.json()["votes"]} == {"approve"}


async def test_every_agenda_item_is_voted_exactly_once(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)
    other = (await eligible_nominations(session, CSTD_TINH))[0]
    first = {"nomination_id": nominations[0].id, "choice": "approve"}

    missing = await vote(client, mid, group.headers[0], {"votes": [first]})
    extra = await vote(client, mid, group.headers[0], ballot([*nominations, other]))
    twice = await vote(
        client,
        mid,
        group.headers[0],
        {"votes": [first, first, {**first, "nomination_id": nominations[1].id}]},
    )
    bad_choice = await vote(client, mid, group.headers[0], ballot(nominations, "maybe"))

    assert missing.status_code == 422 and missing.json()["missing"] == [nominations[1].id]
    assert extra.status_code == 422 and extra.json()["not_on_agenda"] == [other.id]
    assert twice.status_code == 422 and twice.json()["repeated"] == [nominations[0].id]
    assert bad_choice.status_code == 422 and bad_choice.json()["code"] == "validation_error"
    count = await session.scalar(select(func.count()).select_from(BallotParticipation))
    assert count == 0


async def test_no_ballot_outside_an_open_meeting(app, client, session):
    group = await council_with_members(app, session, 3)
    nominations = await eligible_nominations(session, CSTD_TINH)
    scheduled = await make_meeting(session, group.council, agenda=nominations)
    closed = await make_meeting(session, group.council, status="closed")

    early = await vote(client, scheduled.id, group.headers[0], ballot(nominations))
    late = await vote(client, closed.id, group.headers[0], ballot(nominations))

    assert early.status_code == 409 and early.json()["code"] == "meeting_not_open"
    assert late.status_code == 409 and late.json()["code"] == "meeting_not_open"


async def test_only_active_members_of_that_council_vote(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)
    outsider = await council_with_members(app, session, 1)
    retired = await make_council_member(session, group.council)
    retired_user = await make_user(session, "council_member", council_member_id=retired.id)
    retired.active = False
    await session.commit()

    foreign = await vote(client, mid, outsider.headers[0], ballot(nominations))
    inactive = await vote(client, mid, auth(app, retired_user), ballot(nominations))

    assert foreign.status_code == 404
    assert inactive.status_code == 403 and inactive.json()["code"] == "not_a_voting_member"


async def test_the_voter_roll_is_fixed_at_the_opening(app, client, session):
    # 5 members at the opening; one added afterwards must not make it 6 approvals of 5.
    group, nominations, mid, admin = await _open(app, client, session, members=5, items=1)
    late = await make_council_member(session, group.council)
    late_user = await make_user(session, "council_member", council_member_id=late.id)
    await session.commit()

    for headers in group.headers:
        assert (await vote(client, mid, headers, ballot(nominations))).status_code == 201
    newcomer = await vote(client, mid, auth(app, late_user), ballot(nominations))
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    results = await client.get(f"{API}/meetings/{mid}/results", headers=admin)

    assert newcomer.status_code == 403 and newcomer.json()["code"] == "not_a_voting_member"
    (item,) = results.json()["items"]
    assert (item["approve"], item["members_total"], item["approve_percent"]) == (5, 5, 100.0)


async def test_a_member_reads_back_only_their_own_ballot(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)
    cast = await vote(client, mid, group.headers[0], ballot(nominations, "reject"))
    receipt = cast.json()["receipt"]

    own = await read_back(client, mid, group.headers[0], receipt)
    bare = await read_back(client, mid, group.headers[0], None)
    guessed = await read_back(client, mid, group.headers[1], receipt[:-2] + "AA")

    assert own.status_code == 200 and own.headers["cache-control"] == "no-store"
    assert own.json()["votes"] == ballot(nominations, "reject")["votes"]
    assert own.json()["cast_as"] == "present"
    assert bare.status_code == 401 and bare.json()["code"] == "receipt_required"
    assert guessed.status_code == 404 and guessed.json()["code"] == "ballot_not_found"


async def test_whoever_takes_over_a_members_account_cannot_read_their_ballot(app, client, session):
    group, nominations, mid, admin = await _open(app, client, session)
    cast = await vote(client, mid, group.headers[0], ballot(nominations, "reject"))
    user = group.users[0]
    # Sở Nội vụ resets the member's password and logs in as them.
    user_url = f"{API}/users/{user.id}"
    etag = (await client.get(user_url, headers=admin)).headers["etag"]
    reset = await client.patch(
        user_url, json={"password": "taken-over-123"}, headers={**admin, "If-Match": etag}
    )
    login = await client.post(
        f"{API}/auth/token", data={"username": user.username, "password": "taken-over-123"}
    )
    as_member = {"Authorization": f"Bearer {login.json()['access_token']}"}

    stolen = await read_back(client, mid, as_member, None)
    # The member, logged in again, still has their receipt.
    own = await read_back(client, mid, as_member, cast.json()["receipt"])

    assert reset.status_code == 200, reset.text
    assert stolen.status_code == 401 and "reject" not in stolen.text
    assert own.json()["votes"][0]["choice"] == "reject"


async def test_a_ballot_ignores_idempotency_keys_so_nothing_keeps_its_body(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)
    headers = {**group.headers[0], "Idempotency-Key": "ballot-1"}

    first = await vote(client, mid, headers, ballot(nominations, "reject"))
    retry = await vote(client, mid, headers, ballot(nominations, "reject"))

    assert first.status_code == 201
    assert retry.status_code == 409 and retry.json()["code"] == "already_voted"
    stored = await session.scalar(select(func.count()).select_from(IdempotencyKey))
    assert stored == 0


# ---- closing and results ---------------------------------------------------------------------


async def test_close_counts_over_all_members_and_applies_each_threshold(app, client, session):
    # 9 members, 8 present, all 8 approve: 88.89% — short of 90% for CSTĐ cấp tỉnh, enough
    # for Cờ thi đua at 80%.
    group = await council_with_members(app, session, 9)
    cstd = (await eligible_nominations(session, CSTD_TINH))[0]
    flag = (await eligible_nominations(session, CO_THI_DUA))[0]
    mid, admin = await open_meeting_with(app, client, session, group, [cstd, flag], present=8)
    for headers in group.headers[:8]:
        assert (await vote(client, mid, headers, ballot([cstd, flag]))).status_code == 201

    closed = await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    results = await client.get(f"{API}/meetings/{mid}/results", headers=admin)

    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    items = {r["nomination_id"]: r for r in results.json()["items"]}
    assert items[cstd.id] == {
        "meeting_id": mid, "nomination_id": cstd.id, "approve": 8, "reject": 0, "abstain": 0,
        "members_total": 9, "present": 8, "approve_percent": 88.89, "threshold_percent": 90.0,
        "threshold_basis": COUNCIL_RULES, "passed": False,
    }  # fmt: skip
    assert items[flag.id]["passed"] is True and items[flag.id]["threshold_percent"] == 80.0
    await session.refresh(cstd)
    await session.refresh(flag)
    assert (cstd.status, flag.status) == ("rejected", "approved")


async def test_the_threshold_is_the_one_in_force_on_the_meetings_day(app, client, session):
    # 9 members, 8 approve (88.89%) for CSTĐ cấp tỉnh at 90%: a threshold of 85% from a day
    # after the meeting, added once the agenda was set, must not make it pass.
    group = await council_with_members(app, session, 9)
    (cstd,) = await eligible_nominations(session, CSTD_TINH)
    mid, admin = await open_meeting_with(app, client, session, group, [cstd])
    lowered = await client.post(
        f"{API}/rule-values",
        json={"key": f"council_vote_threshold_percent.{CSTD_TINH}", "value": 85,
              "effective_from": (today_in_vietnam() + timedelta(days=31)).isoformat(),
              "legal_basis": "Quy chế hoạt động của Hội đồng (mới)"},
        headers=admin,
    )  # fmt: skip
    for headers in group.headers[:8]:
        await vote(client, mid, headers, ballot([cstd]))

    await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    results = await client.get(f"{API}/meetings/{mid}/results", headers=admin)

    assert lowered.status_code == 201, lowered.text
    (item,) = results.json()["items"]
    assert (item["threshold_percent"], item["passed"]) == (90.0, False)


async def test_a_new_threshold_counts_for_meetings_from_its_date(app, client, session):
    # Sở Nội vụ sets 85% for CSTĐ cấp tỉnh from the council's new Quy chế, in force in 20
    # days. 9 members, 8 approve (88.89%): short of the 90% before that day, enough after.
    group = await council_with_members(app, session, 9)
    before, after = await eligible_nominations(session, CSTD_TINH, 2)
    _, admin = await signed_in(app, session)
    basis = "Quyết định 15/QĐ-HĐTĐKT ban hành Quy chế hoạt động của Hội đồng, Điều 8"
    added = await client.post(
        f"{API}/rule-values",
        json={"key": f"council_vote_threshold_percent.{CSTD_TINH}", "value": 85,
              "effective_from": (today_in_vietnam() + timedelta(days=20)).isoformat(),
              "legal_basis": basis},
        headers=admin,
    )  # fmt: skip
    results = {}
    for nomination, days in ((before, 10), (after, 30)):
        mid, admin = await open_meeting_with(
            app, client, session, group, [nomination],
            scheduled_at=utcnow() + timedelta(days=days),
        )  # fmt: skip
        for headers in group.headers[:8]:
            assert (await vote(client, mid, headers, ballot([nomination]))).status_code == 201
        assert (await client.post(f"{API}/meetings/{mid}/close", headers=admin)).is_success
        (results[days],) = (await client.get(f"{API}/meetings/{mid}/results",
                                             headers=admin)).json()["items"]  # fmt: skip

    assert added.status_code == 201, added.text
    shown = {days: (r["approve_percent"], r["threshold_percent"], r["threshold_basis"],
                    r["passed"]) for days, r in results.items()}  # fmt: skip
    assert shown == {
        10: (88.89, 90.0, COUNCIL_RULES, False),
        30: (88.89, 85.0, basis, True),
    }


async def test_results_are_for_noi_vu_members_and_readers_after_the_close(app, client, session):
    group, nominations, mid, admin = await _open(app, client, session)
    for headers in group.headers:
        await vote(client, mid, headers, ballot(nominations))
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    _, reader = await signed_in(app, session, "reader")
    outsider = await council_with_members(app, session, 1)

    seen = [
        await client.get(f"{API}/meetings/{mid}/results", headers=h)
        for h in (admin, group.headers[1], reader)
    ]
    hidden = await client.get(f"{API}/meetings/{mid}/results", headers=outsider.headers[0])

    assert [r.status_code for r in seen] == [200, 200, 200]
    assert all(r["approve"] == 3 and r["passed"] for r in seen[0].json()["items"])
    assert hidden.status_code == 404


async def test_a_closed_meeting_takes_no_ballot_and_closes_once(app, client, session):
    group, nominations, mid, admin = await _open(app, client, session)
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    late = await vote(client, mid, group.headers[0], ballot(nominations))
    again = await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    assert late.status_code == 409 and late.json()["code"] == "meeting_not_open"
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


async def test_no_plain_choice_exists_while_the_meeting_is_open(app, client, session):
    group, nominations, mid, admin = await _open(app, client, session)
    receipts = []
    for headers in group.headers:
        receipts.append((await vote(client, mid, headers, ballot(nominations, "abstain"))).json())
    choices = await session.scalar(select(func.count()).select_from(BallotChoice))
    sealed = list(await session.scalars(select(SealedBallot.sealed)))
    await session.commit()

    await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    after = await session.scalar(select(func.count()).select_from(BallotChoice))
    left = await session.scalar(select(func.count()).select_from(SealedBallot))
    await session.commit()
    assert choices == 0 and len(sealed) == 3
    assert not any("abstain" in s or "nomination" in s for s in sealed)
    assert after == 6 and left == 0
    # The member still reads their ballot back through the receipt.
    mine = await read_back(client, mid, group.headers[2], receipts[2]["receipt"])
    assert mine.status_code == 200 and len(mine.json()["votes"]) == 2


async def test_all_choices_share_the_closing_transaction(app, client, session, is_postgres):
    if not is_postgres:
        pytest.skip("xmin is PostgreSQL's")
    group, nominations, mid, admin = await _open(app, client, session)
    for i, headers in enumerate(group.headers):
        choice = "reject" if i == 1 else "approve"
        await vote(client, mid, headers, ballot(nominations, choice))
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    pairs = (
        await session.execute(
            text(
                "SELECT p.member_id, c.choice FROM ballot_participations p "
                "JOIN ballot_choices c ON c.xmin = p.xmin WHERE c.meeting_id = :m"
            ),
            {"m": mid},
        )
    ).all()
    xmins = (
        await session.execute(
            text("SELECT count(DISTINCT xmin::text) FROM ballot_choices WHERE meeting_id = :m"),
            {"m": mid},
        )
    ).scalar()
    await session.commit()
    assert pairs == [] and xmins == 1


# ---- secrecy ---------------------------------------------------------------------------------


def _names_voter(record: Any, voter: dict[str, Any]) -> bool:
    """Does this record point at the voter: their user id as actor, their member id in a
    member field, or their username or full name anywhere?"""
    if isinstance(record, dict):
        for key, value in record.items():
            if key in ("actor_id", "user_id", "created_by_id") and value == voter["user_id"]:
                return True
            if "member" in key and (
                value == voter["member_id"]
                or (isinstance(value, list) and voter["member_id"] in value)
            ):
                return True
            if _names_voter(value, voter):
                return True
        return False
    if isinstance(record, list):
        return any(_names_voter(v, voter) for v in record)
    if isinstance(record, str):
        return voter["username"] in record or voter["full_name"] in record
    return False


def _mentions_reject(record: Any) -> bool:
    return "reject" in json.dumps(record, ensure_ascii=False, default=str)


async def _every_record(app, client, session, admin, mid, caplog) -> list[Any]:
    audit = (await client.get(f"{API}/audit", params={"limit": 200}, headers=admin)).json()
    events = (await client.get(f"{API}/events", params={"limit": 200}, headers=admin)).json()
    meeting = (await client.get(f"{API}/meetings/{mid}", headers=admin)).json()
    results = (await client.get(f"{API}/meetings/{mid}/results", headers=admin)).json()
    records: list[Any] = [meeting, *results["items"], *audit["items"], *events["items"]]
    async with app.state.db.engine.connect() as conn:
        for table in await conn.run_sync(lambda c: inspect(c).get_table_names()):
            if table == "alembic_version":
                continue
            rows = await conn.execute(text(f'SELECT * FROM "{table}"'))
            records += [{"_table": table, **dict(r._mapping)} for r in rows]
    records += [{"log": r.getMessage(), **r.__dict__} for r in caplog.records]
    return records


async def test_nothing_but_the_members_own_read_back_reveals_their_choice(
    app, client, session, caplog
):
    caplog.set_level(logging.DEBUG)
    group, nominations, mid, admin = await _open(
        app, client, session, members=5, items=1, code=CO_THI_DUA
    )
    voter = {
        "user_id": group.users[2].id,
        "member_id": group.members[2].id,
        "username": group.users[2].username,
        "full_name": group.users[2].full_name,
    }
    receipts = []
    for i, headers in enumerate(group.headers):
        choice = "reject" if i == 2 else "approve"
        cast = await vote(client, mid, headers, ballot(nominations, choice))
        assert cast.status_code == 201
        receipts.append(cast.json()["receipt"])
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    records = await _every_record(app, client, session, admin, mid, caplog)

    leaks = [r for r in records if _names_voter(r, voter) and _mentions_reject(r)]
    assert leaks == []
    assert any(r.get("_table") == "ballot_choices" and r["choice"] == "reject" for r in records)
    assert any(
        r.get("_table") == "ballot_participations" and r["member_id"] == voter["member_id"]
        for r in records
    )
    table = {
        name: [r for r in records if r.get("_table") == name] for name in ("audit_log", "events")
    }
    cast = [r for r in table["audit_log"] if r["action"] == "meeting.ballot_cast"]
    assert len(cast) == 5
    assert all(r["actor_id"] is None and r["actor_name"] is None for r in cast)
    assert all(r["request_id"] is None for r in cast)
    assert not any("ballot" in e["type"] for e in table["events"])
    # …while the member alone reads their choice back.
    mine = await read_back(client, mid, group.headers[2], receipts[2])
    assert mine.json()["votes"][0]["choice"] == "reject"
    stolen = await read_back(client, mid, admin, receipts[2])
    assert stolen.status_code == 403


async def test_receipts_are_opaque_without_the_voters_receipt(app, client, session):
    group, nominations, mid, _ = await _open(app, client, session)
    cast = await vote(client, mid, group.headers[0], ballot(nominations, "reject"))
    receipt = cast.json()["receipt"]

    row = (await session.scalars(select(BallotReceipt))).one()
    await session.commit()

    right = BallotKeys.from_secret(app.state.settings.resolved_jwt_secret)
    wrong = BallotKeys.from_secret("another-secret-" + "y" * 40)
    assert row.receipt_key == right.receipt_name(receipt) != wrong.receipt_name(receipt)
    assert receipt not in row.receipt_key and receipt not in row.sealed
    assert open_readback(receipt, mid, row.sealed)["votes"][0]["choice"] == "reject"
    assert open_readback(receipt + "x", mid, row.sealed) is None
    assert open_readback(receipt, mid + 1, row.sealed) is None
