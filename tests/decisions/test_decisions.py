"""Decisions: the Chủ tịch UBND tỉnh awards provincial nominations the council approved (or that
need no vote), which then enter the award history; state-level ones are submitted to the centre
and their outcome recorded when it comes back."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.working_days import today_in_vietnam
from app.models import AwardHistory, Nomination
from tests.factories import etag_version, signed_in
from tests.factories_council import (
    API,
    BANG_KHEN,
    CO_THI_DUA,
    CSTD_TINH,
    CSTD_TOAN_QUOC,
    HUAN_CHUONG,
    eligible_nominations,
)


def _decision(ids: list[int], kind: str = "provincial_award", **overrides) -> dict:
    body = {
        "kind": kind,
        "number": "1520/QĐ-UBND",
        "signed_on": "2026-12-20",
        "signed_by": "Chủ tịch UBND tỉnh Sơn La",
        "nomination_ids": ids,
    }
    body.update(overrides)
    return body


async def _status(session, nomination_id: int) -> str:
    status = await session.scalar(select(Nomination.status).where(Nomination.id == nomination_id))
    await session.commit()
    return status


async def _history(session) -> list[AwardHistory]:
    rows = list(await session.scalars(select(AwardHistory).order_by(AwardHistory.id)))
    await session.commit()
    return rows


async def test_a_provincial_award_decision_awards_and_writes_the_history(app, client, session):
    approved = (await eligible_nominations(session, CSTD_TINH, status="approved"))[0]
    direct = (await eligible_nominations(session, BANG_KHEN))[0]  # decided without a vote
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"{API}/decisions", json=_decision([approved.id, direct.id]), headers=admin
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/decisions/{body['id']}"
    assert body["kind"] == "provincial_award" and body["year"] == 2026
    assert body["nomination_ids"] == sorted([approved.id, direct.id])
    assert await _status(session, approved.id) == "awarded"
    assert await _status(session, direct.id) == "awarded"
    history = await _history(session)
    assert [(h.nomination_id, h.source, h.kind, h.year) for h in history] == [
        (approved.id, "decision", "regular", 2026),
        (direct.id, "decision", "regular", 2026),
    ]
    assert history[0].decision_no == "1520/QĐ-UBND" and str(history[0].decided_on) == "2026-12-20"
    assert history[0].nominee_name == approved.nominee_name


@pytest.mark.parametrize("dossier_kind", ["thematic", "unscheduled"])
async def test_thematic_and_unscheduled_awards_do_not_count_as_regular(
    app, client, session, dossier_kind
):
    nomination = (await eligible_nominations(session, BANG_KHEN, kind=dossier_kind))[0]
    _, admin = await signed_in(app, session)

    response = await client.post(f"{API}/decisions", json=_decision([nomination.id]), headers=admin)

    assert response.status_code == 201, response.text
    assert [h.kind for h in await _history(session)] == [dossier_kind]


async def test_only_decidable_nominations_go_into_a_decision(app, client, session):
    unvoted = (await eligible_nominations(session, CSTD_TINH))[0]  # needs the council first
    state_level = (await eligible_nominations(session, CSTD_TOAN_QUOC, status="approved"))[0]
    rejected = (await eligible_nominations(session, CO_THI_DUA, status="rejected"))[0]
    fine = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)
    ids = [fine.id, unvoted.id, state_level.id, rejected.id, 987654]

    response = await client.post(f"{API}/decisions", json=_decision(ids), headers=admin)

    assert response.status_code == 422
    reasons = {r["nomination_id"]: r["reason"] for r in response.json()["refused"]}
    assert reasons == {
        unvoted.id: "not_approved",
        state_level.id: "wrong_level",
        rejected.id: "not_decidable",
        987654: "not_found",
    }
    assert await _status(session, fine.id) == "eligible"
    assert await _history(session) == []


async def test_decision_numbers_are_unique_per_kind_and_year(app, client, session):
    a, b, c = await eligible_nominations(session, BANG_KHEN, 3)
    state = (await eligible_nominations(session, CSTD_TOAN_QUOC, status="approved"))[0]
    _, admin = await signed_in(app, session)
    await client.post(f"{API}/decisions", json=_decision([a.id]), headers=admin)

    clash = await client.post(
        f"{API}/decisions", json=_decision([b.id], number=" 1520/qđ-ubnd "), headers=admin
    )
    next_year = await client.post(
        f"{API}/decisions", json=_decision([b.id], signed_on="2027-01-05"), headers=admin
    )
    other_kind = await client.post(
        f"{API}/decisions", json=_decision([state.id], kind="state_submission"), headers=admin
    )

    assert clash.status_code == 409 and clash.json()["code"] == "duplicate_decision_number"
    assert next_year.status_code == 201 and other_kind.status_code == 201
    assert await _status(session, c.id) == "eligible"


async def test_a_nomination_is_decided_once(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)
    await client.post(f"{API}/decisions", json=_decision([nomination.id]), headers=admin)

    again = await client.post(
        f"{API}/decisions", json=_decision([nomination.id], number="9/QĐ-UBND"), headers=admin
    )

    assert again.status_code == 422
    assert again.json()["refused"][0]["reason"] == "not_decidable"
    assert len(await _history(session)) == 1


async def test_state_submission_then_the_centres_award(app, client, session):
    approved = (await eligible_nominations(session, CSTD_TOAN_QUOC, status="approved"))[0]
    _, admin = await signed_in(app, session)

    submitted = await client.post(
        f"{API}/decisions",
        json=_decision([approved.id], kind="state_submission", number="88/TTr-UBND"),
        headers=admin,
    )
    status_between = await _status(session, approved.id)
    history_between = await _history(session)
    result = await client.post(
        f"{API}/nominations/{approved.id}/state-result",
        json={"outcome": "awarded", "decision_no": "2001/QĐ-TTg", "decided_on": "2027-04-01"},
        headers=admin,
    )

    assert submitted.status_code == 201, submitted.text
    assert status_between == "submitted_to_state"
    assert history_between == []  # a submission is not an award
    assert result.status_code == 201, result.text
    assert result.json() == {
        "nomination_id": approved.id, "outcome": "awarded", "decision_no": "2001/QĐ-TTg",
        "decided_on": "2027-04-01", "status": "awarded",
    }  # fmt: skip
    assert await _status(session, approved.id) == "awarded"
    history = await _history(session)
    assert [(h.source, h.decision_no, h.year) for h in history] == [
        ("state_decision", "2001/QĐ-TTg", 2026)
    ]


async def test_the_centre_may_refuse(app, client, session):
    medal = (await eligible_nominations(session, HUAN_CHUONG, status="submitted_to_state"))[0]
    _, admin = await signed_in(app, session)

    result = await client.post(
        f"{API}/nominations/{medal.id}/state-result", json={"outcome": "rejected"}, headers=admin
    )
    again = await client.post(
        f"{API}/nominations/{medal.id}/state-result", json={"outcome": "awarded"}, headers=admin
    )

    assert result.status_code == 201 and result.json()["status"] == "rejected"
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert await _history(session) == []


async def test_a_state_result_needs_a_submitted_nomination(app, client, session):
    nomination = (await eligible_nominations(session, CSTD_TOAN_QUOC, status="approved"))[0]
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"{API}/nominations/{nomination.id}/state-result",
        json={"outcome": "awarded"},
        headers=admin,
    )
    missing = await client.post(
        f"{API}/nominations/999999/state-result", json={"outcome": "awarded"}, headers=admin
    )

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert missing.status_code == 404


async def test_decisions_are_listed_read_audited_and_emitted(app, client, session):
    first, second = await eligible_nominations(session, BANG_KHEN, 2)
    _, admin = await signed_in(app, session)
    _, reader = await signed_in(app, session, "reader")
    created = await client.post(f"{API}/decisions", json=_decision([first.id]), headers=admin)
    await client.post(
        f"{API}/decisions", json=_decision([second.id], number="77/QĐ-UBND"), headers=admin
    )

    listed = await client.get(f"{API}/decisions", params={"q": "1520"}, headers=reader)
    by_nomination = await client.get(
        f"{API}/decisions", params={"nomination_id": second.id}, headers=admin
    )
    one = await client.get(f"{API}/decisions/{created.json()['id']}", headers=reader)
    missing = await client.get(f"{API}/decisions/99999", headers=admin)
    audit = await client.get(f"{API}/audit", params={"entity_type": "decision"}, headers=admin)
    events = await client.get(f"{API}/events", headers=admin)

    assert [d["number"] for d in listed.json()["items"]] == ["1520/QĐ-UBND"]
    assert [d["number"] for d in by_nomination.json()["items"]] == ["77/QĐ-UBND"]
    assert one.status_code == 200 and etag_version(one) == 1
    assert missing.status_code == 404
    assert [e["action"] for e in audit.json()["items"]] == ["decision.recorded"] * 2
    types = [e["type"] for e in events.json()["items"]]
    assert types.count("decision.recorded") == 2 and types.count("nomination.awarded") == 2


async def test_a_disclosure_is_recorded_once_published_and_years_are_bounded(app, client, session):
    (nomination,) = await eligible_nominations(session, CSTD_TINH)
    _, admin = await signed_in(app, session)
    tomorrow = today_in_vietnam() + timedelta(days=1)

    future = await client.post(
        f"{API}/nominations/{nomination.id}/disclosure",
        json={"published_on": tomorrow.isoformat(), "channel": "Báo Sơn La"},
        headers=admin,
    )
    today = await client.post(
        f"{API}/nominations/{nomination.id}/disclosure",
        json={"published_on": today_in_vietnam().isoformat(), "channel": "Báo Sơn La"},
        headers=admin,
    )
    far = await client.get(f"{API}/decisions", params={"year": 99999}, headers=admin)

    assert future.status_code == 422 and future.json()["code"] == "published_in_future"
    assert today.status_code == 201, today.text
    assert far.status_code == 422
