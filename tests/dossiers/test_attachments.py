"""Papers: judged by their bytes, capped while they stream, stored under generated names, served
as downloads only; the file and its row never disagree."""

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, object_session

from app.models import Attachment, Dossier
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import (
    JPEG,
    OLE2,
    PDF,
    PNG,
    load_catalogue,
    make_dossier,
    make_round,
    office_zip,
    upload,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _draft(app, session, status="draft"):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    dossier = await make_dossier(session, unit, round_, status=status, papers=False)
    await session.commit()
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    return dossier, owner


def _stored_files(settings) -> list:
    root = settings.attachments_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def _rows(session) -> int:
    return await session.scalar(select(func.count()).select_from(Attachment))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (office_zip("word/"), DOCX),
        (office_zip("xl/"), XLSX),
        (OLE2, "application/msword"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
    ],
)
async def test_the_type_comes_from_the_bytes(app, client, session, content, expected):
    dossier, owner = await _draft(app, session)

    response = await upload(client, owner, dossier.id, content=content, filename="giay-to.bin")

    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == expected
    assert response.json()["size"] == len(content)


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", office_zip("ppt/"), b"MZ\x90\x00" + b"\x00" * 60],
)
async def test_other_content_is_415_whatever_its_name(app, client, session, settings, content):
    dossier, owner = await _draft(app, session)

    response = await upload(client, owner, dossier.id, content=content, filename="to-trinh.pdf")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_file_type"
    assert _stored_files(settings) == [] and await _rows(session) == 0


async def test_an_oversized_body_is_cut_off_with_413_and_nothing_kept(
    app, client, session, settings
):
    settings.attachment_max_bytes = 1024
    dossier, owner = await _draft(app, session)

    response = await upload(client, owner, dossier.id, content=PDF + b"0" * 200_000)

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert _stored_files(settings) == [] and await _rows(session) == 0


async def test_a_file_just_over_the_limit_is_413_even_without_length(
    app, client, session, settings
):
    settings.attachment_max_bytes = 4096
    dossier, owner = await _draft(app, session)
    boundary = "b0undary"
    parts = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="document_type"\r\n\r\n'
            "to_trinh\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + b"0" * 5000
        + f"\r\n--{boundary}--\r\n".encode()
    )

    async def chunks():
        for i in range(0, len(parts), 1000):
            yield parts[i : i + 1000]

    response = await client.post(
        f"/api/v1/dossiers/{dossier.id}/attachments",
        content=chunks(),
        headers={**owner, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    assert response.status_code == 413
    assert _stored_files(settings) == [] and await _rows(session) == 0


async def test_names_are_sanitised_and_downloads_are_attachments(app, client, session, settings):
    dossier, owner = await _draft(app, session)

    created = await upload(client, owner, dossier.id, filename="..\\..\\etc/Tờ trình số 1.pdf")
    content = await client.get(f"/api/v1/attachments/{created.json()['id']}/content", headers=owner)

    assert created.status_code == 201
    assert created.json()["filename"] == "Tờ trình số 1.pdf"
    stored = _stored_files(settings)
    assert len(stored) == 1 and "trinh" not in stored[0].name
    assert content.status_code == 200 and content.content == PDF
    assert content.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%20s%E1%BB%91%201.pdf"
    )
    assert content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-type"] == "application/pdf"


async def test_a_paper_may_belong_to_one_nomination_of_the_dossier(app, client, session):
    dossier, owner = await _draft(app, session)
    nomination_id = (await client.get(f"/api/v1/dossiers/{dossier.id}", headers=owner)).json()[
        "nominations"
    ][0]["id"]

    mine = await upload(
        client, owner, dossier.id, "bao_cao_thanh_tich", nomination_id=nomination_id
    )
    foreign = await upload(client, owner, dossier.id, nomination_id=nomination_id + 100)
    bad_type = await upload(client, owner, dossier.id, "ho_chieu")

    assert mine.status_code == 201 and mine.json()["nomination_id"] == nomination_id
    assert foreign.status_code == 422 and foreign.json()["code"] == "unknown_reference"
    assert bad_type.status_code == 422 and bad_type.json()["code"] == "unknown_document_type"


@pytest.mark.parametrize("raw", ["²", "٣", "1e3", "-1", "99999999999"])
async def test_a_nomination_id_that_is_not_a_plain_number_is_refused(app, client, session, raw):
    dossier, owner = await _draft(app, session)

    response = await upload(client, owner, dossier.id, nomination_id=raw)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unknown_reference"


async def test_readers_see_metadata_but_never_content(app, client, session):
    dossier, owner = await _draft(app, session)
    attachment_id = (await upload(client, owner, dossier.id)).json()["id"]
    _, reader = await signed_in(app, session, "reader")

    meta = await client.get(f"/api/v1/attachments/{attachment_id}", headers=reader)
    content = await client.get(f"/api/v1/attachments/{attachment_id}/content", headers=reader)

    assert meta.status_code == 200 and meta.json()["sha256"]
    assert content.status_code == 403


async def test_another_unit_cannot_reach_the_papers(app, client, session):
    dossier, owner = await _draft(app, session)
    attachment_id = (await upload(client, owner, dossier.id)).json()["id"]
    _, stranger = await signed_in(app, session, "unit")

    responses = [
        await client.get(f"/api/v1/attachments/{attachment_id}", headers=stranger),
        await client.get(f"/api/v1/attachments/{attachment_id}/content", headers=stranger),
        await client.delete(f"/api/v1/attachments/{attachment_id}", headers=stranger),
        await upload(client, stranger, dossier.id),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


async def test_delete_while_draft_removes_row_and_file(app, client, session, settings):
    dossier, owner = await _draft(app, session)
    attachment_id = (await upload(client, owner, dossier.id)).json()["id"]

    response = await client.delete(f"/api/v1/attachments/{attachment_id}", headers=owner)

    assert response.status_code == 204
    assert _stored_files(settings) == [] and await _rows(session) == 0


async def test_papers_of_a_submitted_dossier_stay(app, client, session, settings):
    dossier, owner = await _draft(app, session)
    attachment_id = (await upload(client, owner, dossier.id)).json()["id"]
    await session.execute(
        update(Dossier).where(Dossier.id == dossier.id).values(status="submitted")
    )
    await session.commit()

    deleted = await client.delete(f"/api/v1/attachments/{attachment_id}", headers=owner)
    added = await upload(client, owner, dossier.id)

    assert deleted.status_code == 409 and added.status_code == 409
    assert len(_stored_files(settings)) == 1


async def test_a_returned_dossier_keeps_its_papers_and_takes_new_ones(
    app, client, session, settings
):
    dossier, owner = await _draft(app, session)
    attachment_id = (await upload(client, owner, dossier.id)).json()["id"]
    await session.execute(update(Dossier).where(Dossier.id == dossier.id).values(status="returned"))
    await session.commit()

    deleted = await client.delete(f"/api/v1/attachments/{attachment_id}", headers=owner)
    added = await upload(client, owner, dossier.id, "bao_cao_thanh_tich")

    assert deleted.status_code == 409 and deleted.json()["code"] == "dossier_not_draft"
    assert added.status_code == 201, added.text
    assert len(_stored_files(settings)) == 2


async def test_a_failed_insert_leaves_no_file(app, client, session, settings):
    dossier, owner = await _draft(app, session)

    def fail(*_args):
        raise OperationalError("INSERT INTO attachments", {}, Exception("disk I/O error"))

    event.listen(Attachment, "before_insert", fail)
    try:
        response = await upload(client, owner, dossier.id)
    finally:
        event.remove(Attachment, "before_insert", fail)

    assert response.status_code == 500
    assert _stored_files(settings) == [] and await _rows(session) == 0


async def test_a_failed_commit_removes_the_renamed_file(app, client, session, settings):
    dossier, owner = await _draft(app, session)

    def mark(_mapper, _connection, target):
        object_session(target).info["attachment_inserted"] = True

    def fail(session_: Session):
        if session_.info.pop("attachment_inserted", False):
            raise OperationalError("COMMIT", {}, Exception("database is locked"))

    event.listen(Attachment, "after_insert", mark)
    event.listen(Session, "before_commit", fail)
    try:
        response = await upload(client, owner, dossier.id)
    finally:
        event.remove(Session, "before_commit", fail)
        event.remove(Attachment, "after_insert", mark)

    assert response.status_code == 500
    assert _stored_files(settings) == [] and await _rows(session) == 0


async def test_an_upload_that_is_not_multipart_is_415(app, client, session):
    dossier, owner = await _draft(app, session)

    response = await client.post(
        f"/api/v1/dossiers/{dossier.id}/attachments", json={"file": "x"}, headers=owner
    )

    assert response.status_code == 415 and response.json()["code"] == "multipart_required"
