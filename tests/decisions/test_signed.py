"""The signed decision: Sở Nội vụ uploads the signed PDF of a recorded decision (PDF only, capped,
replaced only with If-Match, audited), council followers download it; correcting the decision's
number or date corrects the award history rows it wrote."""

from sqlalchemy import select

from app.models import AwardHistory, Decision
from tests.factories import etag_version, signed_in
from tests.factories_council import API, BANG_KHEN, eligible_nominations
from tests.factories_dossiers import PDF, PNG
from tests.permissions import (
    Endpoint,
    permission_walk,
)

SIGNED = {"files": {"file": ("qd.pdf", PDF, "application/pdf")}}

DECISION = "/api/v1/decisions/999999"
STALE = {"If-Match": '"1"'}
ENDPOINTS = [
    Endpoint("PATCH", DECISION, "decision.correct", {"number": "1/QĐ"}, headers=STALE),
    Endpoint("PUT", f"{DECISION}/signed-pdf", "decision.attach_signed", kwargs=SIGNED),
    Endpoint("GET", f"{DECISION}/signed-pdf", "decision.download_signed"),
]


test_role_is_refused, test_roles_listed_get_past_the_gate, test_no_token_is_401 = permission_walk(
    ENDPOINTS
)


async def _decided(app, client, session, count: int = 2):
    nominations = await eligible_nominations(session, BANG_KHEN, count=count)
    _, admin = await signed_in(app, session)
    body = {
        "kind": "provincial_award",
        "number": "1520/QĐ-UBND",
        "signed_on": "2026-12-20",
        "signed_by": "Hoàng Quốc Khánh",
        "nomination_ids": [n.id for n in nominations],
    }
    response = await client.post(f"{API}/decisions", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return response, admin


def _put(client, decision_id, headers, content=PDF, name="qd-1520.pdf"):
    return client.put(
        f"{API}/decisions/{decision_id}/signed-pdf",
        files={"file": (name, content, "application/pdf")},
        headers=headers,
    )


async def _history(session) -> list[AwardHistory]:
    rows = list(await session.scalars(select(AwardHistory).order_by(AwardHistory.id)))
    await session.commit()
    return rows


def _stored(settings) -> list:
    root = settings.attachments_dir
    return sorted(p for p in root.rglob("*") if p.is_file() and ".incoming" not in p.parts)


async def test_the_signed_pdf_is_uploaded_downloaded_and_shown(app, client, session, settings):
    recorded, admin = await _decided(app, client, session)
    decision_id = recorded.json()["id"]
    assert recorded.json()["signed_pdf"] is None

    response = await _put(client, decision_id, admin)

    assert response.status_code == 200, response.text
    shown = response.json()["signed_pdf"]
    assert shown["filename"] == "qd-1520.pdf" and shown["size"] == len(PDF)
    assert etag_version(response) == etag_version(recorded) + 1
    download = await client.get(f"{API}/decisions/{decision_id}/signed-pdf", headers=admin)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment")
    assert len(_stored(settings)) == 1
    audit = await client.get(f"{API}/audit?entity_type=decision", headers=admin)
    assert "decision.signed_pdf_attached" in [e["action"] for e in audit.json()["items"]]
    events = await client.get(f"{API}/events", headers=admin)
    assert "decision.signed_pdf_attached" in [e["type"] for e in events.json()["items"]]


async def test_a_file_that_is_not_a_pdf_is_415_and_nothing_kept(app, client, session, settings):
    recorded, admin = await _decided(app, client, session)

    response = await _put(client, recorded.json()["id"], admin, content=PNG, name="qd.pdf")

    assert response.status_code == 415 and response.json()["code"] == "unsupported_file_type"
    assert _stored(settings) == []


async def test_a_pdf_over_the_limit_is_413(app, client, session, settings):
    settings.attachment_max_bytes = 1024
    recorded, admin = await _decided(app, client, session)

    response = await _put(client, recorded.json()["id"], admin, content=PDF + b"0" * 5000)

    assert response.status_code == 413 and _stored(settings) == []


async def test_replacing_needs_if_match_and_removes_the_old_file(app, client, session, settings):
    recorded, admin = await _decided(app, client, session)
    decision_id = recorded.json()["id"]
    first = await _put(client, decision_id, admin)
    old_files = _stored(settings)

    missing = await _put(client, decision_id, admin, content=PDF + b"% v2\n")
    stale = await _put(
        client, decision_id, {**admin, "If-Match": recorded.headers["etag"]}, content=PDF
    )
    replaced = await _put(
        client, decision_id, {**admin, "If-Match": first.headers["etag"]},
        content=PDF + b"% v2\n", name="qd-ban-ky-so.pdf",
    )  # fmt: skip

    assert missing.status_code == 428 and stale.status_code == 412
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["signed_pdf"]["filename"] == "qd-ban-ky-so.pdf"
    files = _stored(settings)
    assert len(files) == 1 and files != old_files
    download = await client.get(f"{API}/decisions/{decision_id}/signed-pdf", headers=admin)
    assert download.content == PDF + b"% v2\n"
    audit = await client.get(f"{API}/audit?entity_type=decision", headers=admin)
    replaced_entry = next(
        e for e in audit.json()["items"] if e["action"] == "decision.signed_pdf_replaced"
    )
    assert replaced_entry["before"]["signed_pdf_filename"] == "qd-1520.pdf"


async def test_no_signed_pdf_yet_is_404_with_what_to_do(app, client, session):
    recorded, admin = await _decided(app, client, session)
    url = f"{API}/decisions/{recorded.json()['id']}/signed-pdf"

    response = await client.get(url, headers=admin)

    assert response.status_code == 404 and "PUT" in response.json()["detail"]


async def test_recorded_history_carries_the_decision_number_and_date(app, client, session):
    recorded, _ = await _decided(app, client, session)

    history = await _history(session)

    assert {(h.decision_no, str(h.decided_on), h.decision_year) for h in history} == {
        ("1520/QĐ-UBND", "2026-12-20", 2026)
    }
    assert sorted(h.nomination_id for h in history) == recorded.json()["nomination_ids"]


async def test_correcting_the_number_and_date_corrects_the_history(app, client, session):
    recorded, admin = await _decided(app, client, session)
    decision_id = recorded.json()["id"]
    other = (await eligible_nominations(session, BANG_KHEN, count=1))[0]
    await client.post(
        f"{API}/decisions",
        json={"kind": "provincial_award", "number": "1600/QĐ-UBND", "signed_on": "2026-12-28",
              "signed_by": "Hoàng Quốc Khánh", "nomination_ids": [other.id]},
        headers=admin,
    )  # fmt: skip

    response = await client.patch(
        f"{API}/decisions/{decision_id}",
        json={"number": "1521/QĐ-UBND", "signed_on": "2026-12-21"},
        headers={**admin, "If-Match": recorded.headers["etag"]},
    )

    assert response.status_code == 200, response.text
    assert response.json()["number"] == "1521/QĐ-UBND"
    history = await _history(session)
    mine = [h for h in history if h.nomination_id in recorded.json()["nomination_ids"]]
    assert {(h.decision_no, str(h.decided_on)) for h in mine} == {("1521/QĐ-UBND", "2026-12-21")}
    theirs = [h for h in history if h.nomination_id == other.id]
    assert [(h.decision_no, str(h.decided_on)) for h in theirs] == [("1600/QĐ-UBND", "2026-12-28")]
    audit = await client.get(f"{API}/audit?entity_type=decision", headers=admin)
    entry = next(e for e in audit.json()["items"] if e["action"] == "decision.corrected")
    assert entry["before"]["number"] == "1520/QĐ-UBND"
    assert entry["after"]["number"] == "1521/QĐ-UBND"
    assert sorted(entry["after"]["award_history_ids"]) == sorted(h.id for h in mine)
    events = await client.get(f"{API}/events", headers=admin)
    assert "decision.corrected" in [e["type"] for e in events.json()["items"]]


async def test_a_correction_to_a_number_in_use_is_409(app, client, session):
    recorded, admin = await _decided(app, client, session, count=1)
    other = (await eligible_nominations(session, BANG_KHEN, count=1))[0]
    await client.post(
        f"{API}/decisions",
        json={"kind": "provincial_award", "number": "1600/QĐ-UBND", "signed_on": "2026-12-28",
              "signed_by": "Hoàng Quốc Khánh", "nomination_ids": [other.id]},
        headers=admin,
    )  # fmt: skip

    response = await client.patch(
        f"{API}/decisions/{recorded.json()['id']}",
        json={"number": "1600/qđ-ubnd"},
        headers={**admin, "If-Match": recorded.headers["etag"]},
    )

    assert response.status_code == 409 and response.json()["code"] == "duplicate_decision_number"
    decision_id = recorded.json()["id"]
    number = await session.scalar(select(Decision.number).where(Decision.id == decision_id))
    assert number == "1520/QĐ-UBND"


async def test_a_correction_needs_if_match_and_a_fresh_one(app, client, session):
    recorded, admin = await _decided(app, client, session, count=1)
    url = f"{API}/decisions/{recorded.json()['id']}"

    missing = await client.patch(url, json={"signed_by": "X"}, headers=admin)
    first = await client.patch(
        url, json={"signed_by": "Nguyễn Đình Việt"},
        headers={**admin, "If-Match": recorded.headers["etag"]},
    )  # fmt: skip
    stale = await client.patch(
        url, json={"signed_by": "X"}, headers={**admin, "If-Match": recorded.headers["etag"]}
    )

    assert missing.status_code == 428 and first.status_code == 200 and stale.status_code == 412
    assert first.json()["signed_by"] == "Nguyễn Đình Việt"


async def test_a_deputy_signing_for_the_chair_is_recorded_and_corrected(app, client, session):
    nominations = await eligible_nominations(session, BANG_KHEN, count=1)
    _, admin = await signed_in(app, session)
    body = {"kind": "provincial_award", "number": "1530/QĐ-UBND", "signed_on": "2026-12-20",
            "signed_by": "Lê Hồng Minh", "on_behalf": True,
            "nomination_ids": [nominations[0].id]}  # fmt: skip

    recorded = await client.post(f"{API}/decisions", json=body, headers=admin)

    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["signer_title"], recorded.json()["on_behalf"]) == ("Phó Chủ tịch", True)
    # The Chủ tịch signs after all: the office follows unless one is given.
    response = await client.patch(
        f"{API}/decisions/{recorded.json()['id']}",
        json={"signed_by": "Hoàng Quốc Khánh", "on_behalf": False},
        headers={**admin, "If-Match": recorded.headers["etag"]},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["signer_title"], response.json()["on_behalf"]) == ("Chủ tịch", False)
    audit = await client.get(f"{API}/audit?entity_type=decision", headers=admin)
    entry = next(e for e in audit.json()["items"] if e["action"] == "decision.corrected")
    assert (entry["before"]["on_behalf"], entry["after"]["on_behalf"]) == (True, False)
    assert entry["before"]["signer_title"] == "Phó Chủ tịch"


async def test_a_capacity_the_paper_could_not_print_is_refused(app, client, session):
    recorded, admin = await _decided(app, client, session, count=1)
    nominations = await eligible_nominations(session, BANG_KHEN, count=1)
    body = {"kind": "provincial_award", "number": "1531/QĐ-UBND", "signed_on": "2026-12-20",
            "signed_by": "Lê Hồng Minh", "signer_title": "Phó Chủ tịch",
            "nomination_ids": [nominations[0].id]}  # fmt: skip

    deputy_in_own_name = await client.post(f"{API}/decisions", json=body, headers=admin)
    chair_for_himself = await client.patch(
        f"{API}/decisions/{recorded.json()['id']}",
        json={"on_behalf": True, "signer_title": "Chủ tịch"},
        headers={**admin, "If-Match": recorded.headers["etag"]},
    )

    for response in (deputy_in_own_name, chair_for_himself):
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "signing_capacity_invalid"
    read = await client.get(f"{API}/decisions/{recorded.json()['id']}", headers=admin)
    assert (read.json()["signer_title"], read.json()["on_behalf"]) == ("Chủ tịch", False)
