"""kill -9 of the server during uploads and submits (SQLite): afterwards rows, files and audit
entries agree, nothing is half-written, and the next start leaves no `.part` file."""

import asyncio
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.models import Attachment, AuditEntry, Dossier
from app.services.dossiers.attachments import INCOMING, storage_path
from tests.factories import auth, make_unit, make_user
from tests.factories_dossiers import PDF, load_catalogue, make_dossier, make_round
from tests.live_server import free_port, start_server, stop, wait_ready

UPLOAD_BYTES = 2 * 1024 * 1024
BOUNDARY = "crash-test-boundary"


def _start(settings, port: int) -> subprocess.Popen:
    server = start_server(settings, port)
    wait_ready(server, port)
    return server


async def _slow_upload(client: httpx.AsyncClient, headers: dict, dossier_id: int) -> None:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="document_type"\r\n\r\n'
        f'to_trinh\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        'filename="to-trinh.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    body = head + PDF + b"%" * UPLOAD_BYTES + f"\r\n--{BOUNDARY}--\r\n".encode()

    async def chunks():
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]
            await asyncio.sleep(0.01)

    await client.post(
        f"/api/v1/dossiers/{dossier_id}/attachments",
        content=chunks(),
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


async def _submit(client: httpx.AsyncClient, headers: dict, dossier_id: int) -> None:
    await client.post(f"/api/v1/dossiers/{dossier_id}/submit", headers=headers)


async def _arrange(app, session, settings):
    """Dossiers to upload to, and dossiers ready to submit whose papers exist on disk."""
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    officer = await make_user(session, "unit", unit_id=unit.id)
    drafts = [await make_dossier(session, unit, round_, papers=False) for _ in range(6)]
    ready = [await make_dossier(session, unit, round_) for _ in range(12)]
    await session.commit()
    for dossier in ready:
        for paper in dossier.attachments:
            path = storage_path(settings.attachments_dir, paper.storage_name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(PDF)
            paper.size, paper.sha256 = len(PDF), hashlib.sha256(PDF).hexdigest()
    await session.commit()
    return auth(app, officer), [d.id for d in drafts], [d.id for d in ready]


async def _load_and_kill(port: int, server, headers, drafts, ready, incoming: Path) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        work = [asyncio.ensure_future(_slow_upload(client, headers, d)) for d in drafts]
        work += [asyncio.ensure_future(_submit(client, headers, d)) for d in ready]
        for _ in range(400):  # until a half-received file is on disk
            if await asyncio.to_thread(_has_part, incoming):
                break
            await asyncio.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        await asyncio.gather(*work, return_exceptions=True)


def _has_part(incoming: Path) -> bool:
    return incoming.exists() and any(incoming.glob("*.part"))


def _age_everything(directory: Path, seconds: int) -> None:
    """Let the clock pass for the files, as if the restart came later."""
    then = time.time() - seconds
    for path in directory.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


async def test_a_killed_server_leaves_rows_files_and_audit_in_agreement(
    app, session, settings, is_postgres
):
    if is_postgres:
        pytest.skip("the SQLite file and the attachment folder of one process")
    headers, drafts, ready = await _arrange(app, session, settings)
    incoming = settings.attachments_dir / INCOMING
    port = free_port()

    await _load_and_kill(port, _start(settings, port), headers, drafts, ready, incoming)
    left_parts = list(incoming.glob("*.part"))
    _age_everything(settings.attachments_dir, 120)
    stop(_start(settings, port))

    assert left_parts, "the kill came after every upload had finished"
    assert list(incoming.glob("*.part")) == []
    rows = list(await session.scalars(select(Attachment)))
    files = {p.name: p for p in settings.attachments_dir.rglob("*") if p.is_file()}
    assert {r.storage_name for r in rows} == set(files)
    for row in rows:
        data = files[row.storage_name].read_bytes()
        assert len(data) == row.size and hashlib.sha256(data).hexdigest() == row.sha256
    uploaded = [r for r in rows if r.dossier_id in drafts]
    added = await _count_audit(session, "attachment.added")
    assert added == len(uploaded)
    submitted = set(
        await session.scalars(
            select(Dossier.id).where(Dossier.id.in_(ready), Dossier.status == "submitted")
        )
    )
    audited = set(
        await session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "dossier.submitted")
        )
    )
    counts = dict((await session.execute(select(Dossier.id, Dossier.submission_count))).all())
    await session.commit()
    assert submitted == audited
    assert all(counts[d] == (1 if d in submitted else 0) for d in ready)


async def _count_audit(session, action: str) -> int:
    return await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )
