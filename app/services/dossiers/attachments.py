"""Papers of a dossier (giấy tờ, minh chứng): upload, read, download, delete.

The file and its row stay consistent: the bytes land under a temporary name, the row is
flushed, then the file is renamed to its generated storage name; a failed flush deletes the
file, and so does a rollback of the request after the rename.
"""

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.core.orm import flush_or_conflict, touch
from app.core.principal import Principal
from app.core.statuses import DossierStatus
from app.models import Attachment, Dossier
from app.services import audit, permissions, policies
from app.services.award_types.catalogue import DOCUMENT_TYPES
from app.services.dossiers import queries, uploads

INCOMING = ".incoming"


def storage_path(directory: Path, storage_name: str) -> Path:
    """Where a stored file lives: sharded by the first two characters of its name."""
    return directory / storage_name[:2] / storage_name


def move_into_place(received: uploads.Upload, directory: Path, storage_name: str) -> Path:
    final = storage_path(directory, storage_name)
    final.parent.mkdir(parents=True, exist_ok=True)
    received.temp_path.replace(final)
    received.temp_path = None
    return final


def on_outcome(session: AsyncSession, *, rollback=None, commit=None) -> None:
    """Run a file-system step once the request's transaction ends one way or the other."""
    state = {"done": False}

    def handler(action):
        def run(_session: Any) -> None:
            if not state["done"]:
                state["done"] = True
                if action is not None:
                    action()

        return run

    event.listen(session.sync_session, "after_rollback", handler(rollback))
    event.listen(session.sync_session, "after_commit", handler(commit))


def _fields(fields: dict[str, str], dossier: Dossier) -> tuple[str, int | None]:
    document_type = fields.get("document_type", "")
    if document_type not in DOCUMENT_TYPES:
        raise Unprocessable(
            f"`document_type` phải là một trong: {', '.join(DOCUMENT_TYPES)}.",
            code="unknown_document_type",
        )
    raw = fields.get("nomination_id") or ""
    if not raw:
        return document_type, None
    ids = {n.id for n in dossier.nominations}
    # Only ASCII digits: `str.isdigit` also accepts "²", which `int` refuses.
    if not re.fullmatch(r"[1-9][0-9]{0,9}", raw) or int(raw) not in ids:
        raise Unprocessable(
            f"Hồ sơ {dossier.code} không có đề nghị mã số {raw}.", code="unknown_reference"
        )
    return document_type, int(raw)


async def upload(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    stream: AsyncIterator[bytes],
    headers: dict[str, str | None],
    settings: Settings,
    end_reads: Callable[[AsyncSession], Awaitable[None]],
) -> Attachment:
    """Attach one paper to the caller's draft or returned dossier.

    `end_reads` is the route's way to end a transaction that has written nothing: it runs
    once the dossier is checked, so that a slow upload does not hold SQLite's single write
    lock; the dossier is checked again once the file has arrived."""
    await queries.get_editable_dossier(session, actor, dossier_id, "attachment.upload")
    await end_reads(session)
    directory = settings.attachments_dir
    received = await uploads.receive(
        stream,
        headers.get("content-type"),
        headers.get("content-length"),
        directory / INCOMING,
        settings.attachment_max_bytes,
    )
    try:
        return await _store(session, actor, dossier_id, received, directory)
    except BaseException:
        received.discard()
        raise


async def _store(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    received: uploads.Upload,
    directory: Path,
) -> Attachment:
    dossier = await queries.get_editable_dossier(session, actor, dossier_id, "attachment.upload")
    document_type, nomination_id = _fields(received.fields, dossier)
    content_type = uploads.sniff(received.temp_path)
    row = Attachment(
        dossier_id=dossier.id,
        nomination_id=nomination_id,
        document_type=document_type,
        filename=uploads.safe_filename(received.filename, content_type),
        content_type=content_type,
        size=received.size,
        sha256=received.sha256,
        storage_name=uuid.uuid4().hex,
        uploaded_by_id=actor.user_id,
    )
    dossier.attachments.append(row)
    touch(dossier)
    await flush_or_conflict(session)
    final = await asyncio.to_thread(move_into_place, received, directory, row.storage_name)
    on_outcome(session, rollback=lambda: final.unlink(missing_ok=True))
    await audit.record(
        session, actor, "attachment.added", "dossier", dossier.id,
        after={"attachment_id": row.id, "document_type": document_type,
               "nomination_id": nomination_id, "sha256": row.sha256, "size": row.size},
    )  # fmt: skip
    return row


async def get_attachment(
    session: AsyncSession, principal: Principal, attachment_id: int
) -> tuple[Attachment, Dossier]:
    """A paper and its dossier, if the caller may see the dossier; else 404."""
    stmt = policies.dossier_scope(
        select(Attachment, Dossier)
        .join(Dossier, Dossier.id == Attachment.dossier_id)
        .where(Attachment.id == attachment_id),
        principal,
    )
    found = (await session.execute(stmt)).first()
    if found is None:
        raise NotFound(f"Không tìm thấy tệp đính kèm có mã số {attachment_id}.")
    return found[0], found[1]


async def content(
    session: AsyncSession, principal: Principal, attachment_id: int, settings: Settings
) -> tuple[Attachment, Path]:
    """The stored file of a paper the caller may see; readers never get content."""
    if not policies.sees_attachment_content(principal):
        raise Forbidden("Tài khoản báo cáo không được tải nội dung tệp đính kèm.")
    row, _ = await get_attachment(session, principal, attachment_id)
    path = storage_path(settings.attachments_dir, row.storage_name)
    if not path.is_file():
        raise NotFound(f"Tệp đính kèm {attachment_id} không còn trong kho lưu trữ.")
    return row, path


async def delete_attachment(
    session: AsyncSession, actor: Principal, attachment_id: int, settings: Settings
) -> None:
    """Remove a paper from a draft dossier; the file goes once the row is gone.

    A returned dossier keeps the papers Sở Nội vụ already reviewed: the unit adds new ones."""
    permissions.require(actor, "attachment.delete")
    row, _ = await get_attachment(session, actor, attachment_id)
    dossier = await queries.get_editable_dossier(
        session, actor, row.dossier_id, "attachment.delete"
    )
    if dossier.status != DossierStatus.DRAFT:
        raise Conflict(
            f"Hồ sơ {dossier.code} đã được trả lại để bổ sung: giữ các giấy tờ đã nộp, chỉ "
            "tải thêm giấy tờ mới.",
            code="dossier_not_draft",
            current_status=dossier.status,
        )
    path = storage_path(settings.attachments_dir, row.storage_name)
    dossier.attachments.remove(row)
    touch(dossier)
    await flush_or_conflict(session)
    on_outcome(session, commit=lambda: path.unlink(missing_ok=True))
    await audit.record(
        session, actor, "attachment.removed", "dossier", dossier.id,
        before={"attachment_id": row.id, "document_type": row.document_type,
                "sha256": row.sha256},
    )  # fmt: skip
