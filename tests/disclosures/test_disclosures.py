"""Công khai: Sở Nội vụ records a list it published once for several nominations, with the
comment deadline and where to send opinions; extends it if need be; and records each opinion
received and how it was handled — each change audited, edits guarded by If-Match."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.working_days import today_in_vietnam
from app.models import AuditEntry
from tests.factories import etag_version, signed_in
from tests.factories_council import API, CSTD_TINH, HUAN_CHUONG, eligible_nominations
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

ENDPOINTS = [
    Endpoint("POST", "/api/v1/disclosures", "disclosure.record_list", {}),
    Endpoint("GET", "/api/v1/disclosures", "disclosure.list_lists"),
    Endpoint("GET", "/api/v1/disclosures/1", "disclosure.read"),
    Endpoint("PATCH", "/api/v1/disclosures/1", "disclosure.update", {}),
    Endpoint("POST", "/api/v1/disclosures/1/opinions", "disclosure.record_opinion", {}),
    Endpoint("GET", "/api/v1/disclosures/1/opinions", "disclosure.list_opinions"),
    Endpoint("GET", "/api/v1/disclosures/1/opinions/1", "disclosure.read_opinion"),
    Endpoint("PATCH", "/api/v1/disclosures/1/opinions/1", "disclosure.update_opinion", {}),
    Endpoint(
        "GET", "/api/v1/disclosures/1/documents/danh-sach-cong-khai", "document.disclosure_list"
    ),
]
FEEDBACK = "Sở Nội vụ tỉnh Sơn La, số 1 đường Tô Hiệu; tdkt@sonla.gov.vn; 0212.3852.123"


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_disclosure_route_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


def _list(ids: list[int], **overrides) -> dict:
    today = today_in_vietnam()
    body = {
        "title": "Danh sách đề nghị tặng Huân chương Lao động đợt 1 năm 2026",
        "nomination_ids": ids,
        "published_on": (today - timedelta(days=2)).isoformat(),
        "ends_on": (today + timedelta(days=12)).isoformat(),
        "channel": "Cổng thông tin điện tử tỉnh Sơn La",
        "url": "https://sonla.gov.vn/cong-khai/1",
        "feedback_to": FEEDBACK,
    }
    body.update(overrides)
    return body


async def _audit(session, entity_type: str) -> list[AuditEntry]:
    rows = list(
        await session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == entity_type).order_by(AuditEntry.id)
        )
    )
    await session.commit()
    return rows


async def _published(app, client, session, count: int = 2):
    nominations = await eligible_nominations(session, HUAN_CHUONG, count)
    _, admin = await signed_in(app, session)
    response = await client.post(
        f"{API}/disclosures", json=_list([n.id for n in nominations]), headers=admin
    )
    assert response.status_code == 201, response.text
    return response.json(), nominations, admin


async def test_a_list_is_published_once_for_several_nominations(app, client, session):
    huan_chuong = await eligible_nominations(session, HUAN_CHUONG, 2)
    (cstd,) = await eligible_nominations(session, CSTD_TINH)
    ids = [n.id for n in (*huan_chuong, cstd)]
    _, admin = await signed_in(app, session)

    created = await client.post(f"{API}/disclosures", json=_list(ids), headers=admin)
    body = created.json()
    read = await client.get(f"{API}/disclosures/{body['id']}", headers=admin)
    open_today = await client.get(
        f"{API}/disclosures", params={"open_on": today_in_vietnam().isoformat()}, headers=admin
    )
    of_one = await client.get(f"{API}/nominations/{cstd.id}/disclosures", headers=admin)

    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/api/v1/disclosures/{body['id']}"
    assert sorted(body["nomination_ids"]) == sorted(ids)
    assert body["ends_on"] == (today_in_vietnam() + timedelta(days=12)).isoformat()
    assert body["feedback_to"] == FEEDBACK and body["version"] == 1
    assert read.status_code == 200 and etag_version(read) == 1
    assert [d["id"] for d in open_today.json()["items"]] == [body["id"]]
    assert [d["id"] for d in of_one.json()] == [body["id"]]
    (entry,) = await _audit(session, "disclosure")
    assert entry.action == "disclosure.recorded" and entry.after["nomination_ids"] == sorted(ids)


async def test_a_list_past_its_deadline_is_no_longer_open(app, client, session):
    (nomination,) = await eligible_nominations(session, HUAN_CHUONG)
    _, admin = await signed_in(app, session)
    today = today_in_vietnam()
    past = _list(
        [nomination.id],
        published_on=(today - timedelta(days=20)).isoformat(),
        ends_on=(today - timedelta(days=1)).isoformat(),
    )
    assert (await client.post(f"{API}/disclosures", json=past, headers=admin)).status_code == 201

    open_today = await client.get(
        f"{API}/disclosures", params={"open_on": today.isoformat()}, headers=admin
    )
    every = await client.get(f"{API}/disclosures", headers=admin)

    assert open_today.json()["items"] == [] and every.json()["total"] == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"nomination_ids": [999999]}, "unknown_nomination"),
        ({"published_on": "2099-01-01", "ends_on": "2099-02-01"}, "published_in_future"),
        ({"published_on": "2026-12-10", "ends_on": "2026-12-01"}, "validation_error"),
        ({"feedback_to": ""}, "validation_error"),
        ({"ends_on": None}, "validation_error"),
    ],
)
async def test_a_list_that_cannot_be_true_is_refused(app, client, session, change, code):
    (nomination,) = await eligible_nominations(session, HUAN_CHUONG)
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"{API}/disclosures", json=_list([nomination.id], **change), headers=admin
    )

    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


async def test_a_draft_or_withdrawn_nomination_is_not_published(app, client, session):
    (draft,) = await eligible_nominations(session, HUAN_CHUONG, status="draft")
    (ready,) = await eligible_nominations(session, HUAN_CHUONG)
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"{API}/disclosures", json=_list([ready.id, draft.id]), headers=admin
    )

    assert response.status_code == 422
    assert response.json()["code"] == "nominations_not_disclosable"
    assert [r["nomination_id"] for r in response.json()["refused"]] == [draft.id]


async def test_the_comment_period_is_extended_with_if_match_and_audited(app, client, session):
    published, _, admin = await _published(app, client, session)
    url = f"{API}/disclosures/{published['id']}"
    later = (today_in_vietnam() + timedelta(days=20)).isoformat()

    missing = await client.patch(url, json={"ends_on": later}, headers=admin)
    stale = await client.patch(url, json={"ends_on": later}, headers={**admin, "If-Match": '"7"'})
    before_publication = await client.patch(
        url, json={"ends_on": "2000-01-01"}, headers={**admin, "If-Match": '"1"'}
    )
    done = await client.patch(
        url, json={"ends_on": later, "feedback_to": "tdkt@sonla.gov.vn"},
        headers={**admin, "If-Match": '"1"'},
    )  # fmt: skip

    assert missing.status_code == 428
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"
    assert before_publication.status_code == 422
    assert done.status_code == 200, done.text
    assert done.json()["ends_on"] == later and etag_version(done) == 2
    assert done.json()["nomination_ids"] == published["nomination_ids"]  # unchanged
    entries = await _audit(session, "disclosure")
    assert [e.action for e in entries] == ["disclosure.recorded", "disclosure.updated"]
    assert entries[1].before["ends_on"] == published["ends_on"]
    assert entries[1].after["ends_on"] == later


async def test_opinions_are_recorded_anonymous_or_named_and_their_handling_audited(
    app, client, session
):
    published, nominations, admin = await _published(app, client, session)
    url = f"{API}/disclosures/{published['id']}/opinions"
    today = today_in_vietnam().isoformat()

    anonymous = await client.post(
        url, json={"received_on": today, "content": "Đề nghị xem xét lại thành tích năm 2024."},
        headers=admin,
    )  # fmt: skip
    named = await client.post(
        url,
        json={"received_on": today, "sender": "Ông Quàng Văn Bình, bản Hụm, xã Chiềng Cọ",
              "nomination_id": nominations[0].id, "content": "Đồng ý với đề nghị."},
        headers=admin,
    )  # fmt: skip
    opinion = anonymous.json()
    handled = await client.patch(
        f"{url}/{opinion['id']}",
        json={"handling": "Đã xác minh: thành tích đúng như báo cáo.", "handled_on": today},
        headers={**admin, "If-Match": f'"{etag_version(anonymous)}"'},
    )
    unguarded = await client.patch(f"{url}/{opinion['id']}", json={"handling": "x"}, headers=admin)
    listed = await client.get(url, headers=admin)

    assert anonymous.status_code == 201, anonymous.text
    assert (
        anonymous.headers["location"]
        == f"/api/v1/disclosures/{published['id']}/opinions/{opinion['id']}"
    )
    assert opinion["sender"] is None and opinion["nomination_id"] is None
    assert named.status_code == 201 and named.json()["nomination_id"] == nominations[0].id
    assert handled.status_code == 200, handled.text
    assert handled.json()["handling"].startswith("Đã xác minh") and etag_version(handled) == 2
    assert unguarded.status_code == 428
    assert [o["id"] for o in listed.json()] == [opinion["id"], named.json()["id"]]
    entries = await _audit(session, "disclosure_opinion")
    assert [e.action for e in entries] == [
        "disclosure.opinion_recorded", "disclosure.opinion_recorded", "disclosure.opinion_updated"
    ]  # fmt: skip
    assert entries[2].before["handling"] is None and entries[2].after["handled_on"] == today


async def test_an_opinion_about_a_nomination_not_on_the_list_is_refused(app, client, session):
    published, _, admin = await _published(app, client, session)
    (elsewhere,) = await eligible_nominations(session, CSTD_TINH)

    response = await client.post(
        f"{API}/disclosures/{published['id']}/opinions",
        json={"received_on": today_in_vietnam().isoformat(), "nomination_id": elsewhere.id,
              "content": "Không đồng ý."},
        headers=admin,
    )  # fmt: skip
    missing = await client.get(f"{API}/disclosures/{published['id']}/opinions/999", headers=admin)

    assert response.status_code == 422 and response.json()["code"] == "nomination_not_on_list"
    assert missing.status_code == 404


async def test_one_nomination_disclosed_alone_is_a_list_of_one(app, client, session):
    (nomination,) = await eligible_nominations(session, HUAN_CHUONG)
    _, admin = await signed_in(app, session)

    response = await client.post(
        f"{API}/nominations/{nomination.id}/disclosure",
        json={"published_on": today_in_vietnam().isoformat(), "channel": "Báo Sơn La"},
        headers=admin,
    )

    assert response.status_code == 201, response.text
    assert response.json()["nomination_ids"] == [nomination.id]
    assert response.json()["ends_on"] is None and response.json()["title"]
