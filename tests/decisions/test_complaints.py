"""Complaints (đơn thư): while one is open no decision is taken on the nomination; an upheld one
rejects a nomination not yet decided."""

from sqlalchemy import select

from app.models import Nomination
from tests.factories import etag_version, signed_in
from tests.factories_council import (
    API,
    BANG_KHEN,
    CSTD_TINH,
    CSTD_TOAN_QUOC,
    council_with_members,
    eligible_nominations,
)


def _complaint(**overrides) -> dict:
    body = {"received_on": "2026-12-01", "summary": "Đơn phản ánh thành tích chưa đúng thực tế."}
    body.update(overrides)
    return body


def _decision(ids: list[int], kind: str = "provincial_award", number: str = "5/QĐ-UBND") -> dict:
    return {
        "kind": kind,
        "number": number,
        "signed_on": "2026-12-20",
        "signed_by": "Chủ tịch UBND tỉnh",
        "nomination_ids": ids,
    }


async def _status(session, nomination_id: int) -> str:
    status = await session.scalar(select(Nomination.status).where(Nomination.id == nomination_id))
    await session.commit()
    return status


async def test_noi_vu_records_and_reads_a_complaint(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)

    created = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )
    listed = await client.get(f"{API}/nominations/{nomination.id}/complaints", headers=admin)
    one = await client.get(created.headers["location"], headers=admin)

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "open" and body["nomination_id"] == nomination.id
    assert body["resolution"] is None and body["upheld"] is None
    assert [c["id"] for c in listed.json()] == [body["id"]]
    assert one.status_code == 200 and etag_version(one) == 1


async def test_a_complaint_moves_its_nominations_version(app, client, session):
    # A decision that read the nomination before the complaint then fails its versioned
    # update, rather than deciding past a complaint it did not see.
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    before = nomination.version
    _, admin = await signed_in(app, session)

    created = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )
    after = await session.scalar(select(Nomination.version).where(Nomination.id == nomination.id))
    await session.commit()

    assert created.status_code == 201, created.text
    assert after == before + 1


async def test_an_open_complaint_blocks_every_decision(app, client, session):
    award = (await eligible_nominations(session, BANG_KHEN))[0]
    state = (await eligible_nominations(session, CSTD_TOAN_QUOC, status="submitted_to_state"))[0]
    _, admin = await signed_in(app, session)
    for nomination in (award, state):
        await client.post(
            f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
        )

    decision = await client.post(f"{API}/decisions", json=_decision([award.id]), headers=admin)
    result = await client.post(
        f"{API}/nominations/{state.id}/state-result", json={"outcome": "awarded"}, headers=admin
    )

    assert decision.status_code == 409 and decision.json()["code"] == "open_complaint"
    assert decision.json()["nomination_ids"] == [award.id]
    assert result.status_code == 409 and result.json()["code"] == "open_complaint"
    assert await _status(session, award.id) == "eligible"


async def test_a_complaint_without_grounds_lets_the_decision_go_ahead(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)
    complaint = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )

    resolved = await client.post(
        f"{API}/complaints/{complaint.json()['id']}/resolve",
        json={"resolution": "Đã xác minh, không có cơ sở.", "upheld": False},
        headers={**admin, "If-Match": '"1"'},
    )
    decision = await client.post(f"{API}/decisions", json=_decision([nomination.id]), headers=admin)

    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body["status"] == "resolved" and body["upheld"] is False and body["resolved_at"]
    assert decision.status_code == 201
    assert await _status(session, nomination.id) == "awarded"


async def test_an_upheld_complaint_rejects_an_approved_nomination(app, client, session):
    nomination = (await eligible_nominations(session, CSTD_TINH, status="approved"))[0]
    _, admin = await signed_in(app, session)
    complaint = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )

    await client.post(
        f"{API}/complaints/{complaint.json()['id']}/resolve",
        json={"resolution": "Có cơ sở: số liệu thành tích không đúng.", "upheld": True},
        headers=admin,
    )
    decision = await client.post(f"{API}/decisions", json=_decision([nomination.id]), headers=admin)
    history = await client.get(f"{API}/dossiers/{nomination.dossier_id}/history", headers=admin)

    assert await _status(session, nomination.id) == "rejected"
    assert decision.status_code == 422
    assert decision.json()["refused"][0]["reason"] == "not_decidable"
    notes = [e["comment"] for e in history.json()["items"] if e["action"] == "nomination.rejected"]
    assert notes == ["Đơn thư có cơ sở: Có cơ sở: số liệu thành tích không đúng."]


async def test_an_upheld_complaint_does_not_undo_a_conferred_award(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN, status="awarded"))[0]
    _, admin = await signed_in(app, session)
    complaint = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )

    resolved = await client.post(
        f"{API}/complaints/{complaint.json()['id']}/resolve",
        json={"resolution": "Có cơ sở; đề nghị thu hồi theo thủ tục riêng.", "upheld": True},
        headers=admin,
    )

    assert resolved.status_code == 200
    assert await _status(session, nomination.id) == "awarded"


async def test_a_complaint_is_resolved_once(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)
    complaint = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )
    url = f"{API}/complaints/{complaint.json()['id']}/resolve"
    await client.post(url, json={"resolution": "Không có cơ sở.", "upheld": False}, headers=admin)

    again = await client.post(url, json={"resolution": "Lại.", "upheld": True}, headers=admin)
    stale = await client.post(
        url, json={"resolution": "Lại.", "upheld": True}, headers={**admin, "If-Match": '"1"'}
    )

    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert stale.status_code == 412
    assert await _status(session, nomination.id) == "eligible"


async def test_complaints_are_audited_and_their_events_kept_for_noi_vu(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)
    _, reader = await signed_in(app, session, "reader")
    complaint = await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )
    await client.post(
        f"{API}/complaints/{complaint.json()['id']}/resolve",
        json={"resolution": "Không có cơ sở.", "upheld": False},
        headers=admin,
    )

    audit = await client.get(f"{API}/audit", params={"entity_type": "complaint"}, headers=admin)
    staff = await client.get(f"{API}/events", headers=admin)
    script = await client.get(f"{API}/events", headers=reader)

    assert [e["action"] for e in audit.json()["items"]] == [
        "complaint.recorded",
        "complaint.resolved",
    ]
    assert [e["type"] for e in staff.json()["items"] if e["entity_type"] == "complaint"] == [
        "complaint.recorded",
        "complaint.resolved",
    ]
    assert not [e for e in script.json()["items"] if e["entity_type"] == "complaint"]


async def test_complaints_of_a_nomination_nobody_may_see_are_not_found(app, client, session):
    group = await council_with_members(app, session, 1)
    nomination = (await eligible_nominations(session, BANG_KHEN))[0]
    _, admin = await signed_in(app, session)
    await client.post(
        f"{API}/nominations/{nomination.id}/complaints", json=_complaint(), headers=admin
    )

    hidden = await client.get(
        f"{API}/nominations/{nomination.id}/complaints", headers=group.headers[0]
    )
    missing = await client.post(
        f"{API}/nominations/999999/complaints", json=_complaint(), headers=admin
    )

    assert hidden.status_code == 404 and missing.status_code == 404
