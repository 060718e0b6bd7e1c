"""Templates are data: Sở Nội vụ downloads a template, changes it in Word, uploads it back and
the next paper follows; a template that would break a paper is refused with the reason; every
version is kept, audited and can be put back."""

import io

import pytest
from docx import Document
from sqlalchemy import select

from app.models import AuditEntry
from app.services.documents import render
from tests.documents.docx_reading import all_text
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round
from tests.permissions import (
    Endpoint,
    assert_admitted,
    assert_needs_token,
    assert_refused,
    refusal_cases,
)

API = "/api/v1"
NAME = "to-trinh-don-vi"
ENDPOINTS = [
    Endpoint("GET", "/api/v1/document-templates", "document_template.list"),
    Endpoint("GET", f"/api/v1/document-templates/{NAME}", "document_template.read"),
    Endpoint("PUT", f"/api/v1/document-templates/{NAME}", "document_template.update",
             kwargs={"files": {"file": ("mau.docx", b"x", render.DOCX_TYPE)}}),
    Endpoint("GET", f"/api/v1/document-templates/{NAME}/versions",
             "document_template.versions"),
    Endpoint("POST", f"/api/v1/document-templates/{NAME}/revert", "document_template.revert",
             json={"version": 0}),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "role"), refusal_cases(ENDPOINTS), ids=str)
async def test_roles_not_listed_are_refused(app, client, session, endpoint, role):
    await assert_refused(app, client, session, endpoint, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_roles_listed_get_past_the_gate(app, client, session, endpoint):
    await assert_admitted(app, client, session, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_every_template_endpoint_needs_a_token(client, endpoint):
    await assert_needs_token(client, endpoint)


def _edited(content: bytes, old: str, new: str) -> bytes:
    """What an official does in Word: change the wording of one paragraph."""
    document = Document(io.BytesIO(content))
    paragraphs = [p for p in document.paragraphs if old in p.text]
    assert paragraphs, old
    for paragraph in paragraphs:
        paragraph.text = paragraph.text.replace(old, new)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def _upload(client, headers, content: bytes, note: str = ""):
    return await client.put(
        f"{API}/document-templates/{NAME}",
        files={"file": ("mau.docx", content, render.DOCX_TYPE)},
        data={"note": note},
        headers=headers,
    )


async def _paper_text(client, headers, dossier_id: int) -> str:
    response = await client.get(f"{API}/dossiers/{dossier_id}/documents/to-trinh",
                                headers=headers)  # fmt: skip
    assert response.status_code == 200, response.text
    return all_text(Document(io.BytesIO(response.content)))


async def _dossier(session):
    await load_catalogue(session)
    round_ = await make_round(session, name="Đợt 1 năm 2026")
    unit = await make_unit(session, name="Sở Tư pháp")
    dossier = await make_dossier(session, unit, round_, status="submitted")
    await session.commit()
    return dossier


async def test_a_template_changed_in_word_changes_the_next_paper(app, client, session):
    dossier = await _dossier(session)
    _, headers = await signed_in(app, session)
    shipped = await client.get(f"{API}/document-templates/{NAME}", headers=headers)
    assert shipped.status_code == 200
    assert shipped.headers["content-type"] == render.DOCX_TYPE

    edited = _edited(shipped.content, "Kính gửi:", "Kính gửi đồng chí")
    response = await _upload(client, headers, edited, "Sửa lời Kính gửi")

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    assert response.json()["updated_by"]
    assert "Kính gửi đồng chí Chủ tịch" in await _paper_text(client, headers, dossier.id)
    listed = (await client.get(f"{API}/document-templates", headers=headers)).json()
    assert {t["name"]: t["version"] for t in listed}[NAME] == 1
    assert {t["name"]: t["version"] for t in listed}["phieu-bau"] == 0


async def test_an_unknown_placeholder_is_refused_with_the_names_allowed(app, client, session):
    _, headers = await signed_in(app, session)
    shipped = (await client.get(f"{API}/document-templates/{NAME}", headers=headers)).content

    response = await _upload(
        client, headers, _edited(shipped, "Kính gửi:", "{{ ngay_sinh }} Kính gửi:")
    )

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "unknown_placeholders"
    assert problem["unknown"] == ["ngay_sinh"] and "addressee" in problem["allowed"]
    versions = await client.get(f"{API}/document-templates/{NAME}/versions", headers=headers)
    assert versions.json() == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Kính gửi:", "{% if addressee %} Kính gửi:"),  # a block never closed
        ("Kính gửi:", "{{ addressee.__class__.__mro__ }} Kính gửi:"),  # outside the sandbox
        ("Kính gửi:", "{{ body.nothing_here }} Kính gửi:"),  # a field the data has not
    ],
    ids=["unclosed-block", "sandbox-escape", "missing-field"],
)
async def test_a_template_that_would_break_a_paper_is_refused(app, client, session, old, new):
    _, headers = await signed_in(app, session)
    shipped = (await client.get(f"{API}/document-templates/{NAME}", headers=headers)).content

    response = await _upload(client, headers, _edited(shipped, old, new))

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_template"


async def test_a_file_that_is_not_word_is_refused(app, client, session):
    _, headers = await signed_in(app, session)

    response = await _upload(client, headers, b"%PDF-1.7 not a template")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_template"


async def test_an_unknown_template_is_not_found(app, client, session):
    _, headers = await signed_in(app, session)

    response = await client.get(f"{API}/document-templates/khong-co", headers=headers)

    assert response.status_code == 404


async def test_versions_are_kept_audited_and_the_shipped_one_can_be_put_back(app, client, session):
    dossier = await _dossier(session)
    _, headers = await signed_in(app, session)
    shipped = (await client.get(f"{API}/document-templates/{NAME}", headers=headers)).content
    await _upload(client, headers, _edited(shipped, "Kính gửi:", "Kính gửi đồng chí"))

    reverted = await client.post(f"{API}/document-templates/{NAME}/revert",
                                 json={"version": 0}, headers=headers)  # fmt: skip

    assert reverted.status_code == 200, reverted.text
    assert reverted.json()["version"] == 2
    text = await _paper_text(client, headers, dossier.id)
    assert "Kính gửi: Chủ tịch" in text and "đồng chí" not in text
    versions = (await client.get(f"{API}/document-templates/{NAME}/versions",
                                 headers=headers)).json()  # fmt: skip
    assert [(v["version"], v["reverted_from"]) for v in versions] == [(2, 0), (1, None)]
    first = await client.get(f"{API}/document-templates/{NAME}?version=1", headers=headers)
    assert "Kính gửi đồng chí" in all_text(Document(io.BytesIO(first.content)))
    actions = set(await session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "document_template")
    ))  # fmt: skip
    assert actions == {"document_template.upload", "document_template.revert"}


async def test_reverting_to_a_version_that_does_not_exist_is_not_found(app, client, session):
    _, headers = await signed_in(app, session)

    response = await client.post(f"{API}/document-templates/{NAME}/revert",
                                 json={"version": 7}, headers=headers)  # fmt: skip

    assert response.status_code == 404
