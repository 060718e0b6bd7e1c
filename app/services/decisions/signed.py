"""The signed paper of a recorded decision (bản quyết định đã ký), and corrections of its number
and date.

The signed PDF is stored as a dossier's papers are: received as it streams under a temporary
name (413 past the size limit), judged PDF by its bytes, renamed to a generated storage name once
its row is flushed; a rollback removes the new file, a commit of a replacement removes the old.

The decision's number and signing date are what the award history carries: correcting them
corrects the history rows the decision wrote, in the same transaction.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import NotFound, PreconditionRequired, UnsupportedMediaType
from app.core.orm import check_version, flush_or_conflict
from app.core.principal import Principal
from app.core.text import fold, nfc
from app.models import AwardHistory, Decision
from app.models.base import utcnow
from app.schemas.decisions import DecisionUpdate
from app.services import audit, permissions
from app.services.award_history.records import achievement_year
from app.services.decisions import guards, records
from app.services.dossiers import uploads
from app.services.dossiers.attachments import INCOMING, move_into_place, on_outcome, storage_path

PDF = "application/pdf"
SIGNED_FIELDS = ("signed_pdf_filename", "signed_pdf_size", "signed_pdf_sha256")
CORRECTED_FIELDS = ("number", "signed_on", *records.SIGNER_FIELDS)


async def upload(
    session: AsyncSession,
    actor: Principal,
    decision_id: int,
    stream: AsyncIterator[bytes],
    headers: dict[str, str | None],
    expected: int | None,
    settings: Settings,
    end_reads: Callable[[AsyncSession], Awaitable[None]],
) -> Decision:
    """Attach (or, with If-Match, replace) the signed PDF of a recorded decision."""
    permissions.require(actor, "decision.attach_signed")
    _check_replacing(await records.get(session, decision_id), expected)
    await end_reads(session)
    received = await uploads.receive(
        stream,
        headers.get("content-type"),
        headers.get("content-length"),
        settings.attachments_dir / INCOMING,
        settings.attachment_max_bytes,
    )
    try:
        return await _store(session, actor, decision_id, received, expected, settings)
    except BaseException:
        received.discard()
        raise


def _check_replacing(decision: Decision, expected: int | None) -> None:
    """A first upload may go without If-Match; replacing a signed paper needs it."""
    if decision.signed_pdf_storage_name is not None and expected is None:
        raise PreconditionRequired(
            f"Quyết định {decision.number} đã có bản đã ký: gửi header If-Match với ETag của "
            "quyết định (lấy bằng GET) để thay bản này."
        )
    check_version(decision, expected)


def _require_pdf(path: Path) -> None:
    try:
        kind = uploads.sniff(path)
    except UnsupportedMediaType:
        kind = None
    if kind != PDF:
        raise UnsupportedMediaType(
            "Bản quyết định đã ký phải là tệp PDF (bản quét hoặc bản có chữ ký số); nội dung tệp "
            "gửi lên không phải PDF.",
            code="unsupported_file_type",
        )


async def _store(
    session: AsyncSession,
    actor: Principal,
    decision_id: int,
    received: uploads.Upload,
    expected: int | None,
    settings: Settings,
) -> Decision:
    decision = await records.get(session, decision_id)
    _check_replacing(decision, expected)
    _require_pdf(received.temp_path)
    before = audit.snapshot(decision, SIGNED_FIELDS) if decision.signed_pdf_storage_name else None
    old = decision.signed_pdf_storage_name
    decision.signed_pdf_filename = uploads.safe_filename(received.filename, PDF)
    decision.signed_pdf_size = received.size
    decision.signed_pdf_sha256 = received.sha256
    decision.signed_pdf_storage_name = uuid.uuid4().hex
    decision.signed_pdf_uploaded_at = utcnow()
    decision.signed_pdf_uploaded_by_id = actor.user_id
    await flush_or_conflict(session)
    directory = settings.attachments_dir
    final = await asyncio.to_thread(
        move_into_place, received, directory, decision.signed_pdf_storage_name
    )
    replaced = storage_path(directory, old) if old else None
    on_outcome(
        session,
        rollback=lambda: final.unlink(missing_ok=True),
        commit=(lambda: replaced.unlink(missing_ok=True)) if replaced else None,
    )
    after = {**audit.snapshot(decision, SIGNED_FIELDS), "number": decision.number}
    action = "decision.signed_pdf_replaced" if before else "decision.signed_pdf_attached"
    await audit.record(session, actor, action, "decision", decision.id, before=before, after=after)
    await audit.emit(session, action, "decision", decision.id, after)
    return decision


async def content(
    session: AsyncSession, principal: Principal, decision_id: int, settings: Settings
) -> tuple[Decision, Path]:
    """The stored signed PDF of a decision (reporting accounts get no file content)."""
    permissions.require(principal, "decision.download_signed")
    decision = await records.get(session, decision_id)
    if decision.signed_pdf_storage_name is None:
        raise NotFound(
            f"Quyết định {decision.number} chưa có bản đã ký; Sở Nội vụ tải bản PDF lên bằng "
            f"PUT /api/v1/decisions/{decision_id}/signed-pdf."
        )
    path = storage_path(settings.attachments_dir, decision.signed_pdf_storage_name)
    if not path.is_file():
        raise NotFound(f"Bản đã ký của quyết định {decision.number} không còn trong kho lưu trữ.")
    return decision, path


async def correct(
    session: AsyncSession,
    actor: Principal,
    decision_id: int,
    body: DecisionUpdate,
    expected: int | None,
) -> Decision:
    """Correct a decision's number, signing date or signer; the award history rows it wrote
    take the new number and date."""
    permissions.require(actor, "decision.correct")
    decision = await records.get(session, decision_id)
    check_version(decision, expected)
    before = audit.snapshot(decision, CORRECTED_FIELDS)
    old_number, old_signed_on = decision.number, decision.signed_on
    changes = body.model_dump(exclude_unset=True)
    if "number" in changes:
        decision.number = nfc(changes["number"])
        decision.number_key = fold(decision.number)[:100]
    if "signed_on" in changes:
        decision.signed_on = changes["signed_on"]
        decision.year = decision.signed_on.year
    if "signed_by" in changes:
        decision.signed_by = nfc(changes["signed_by"])
    _correct_capacity(decision, changes)
    after = audit.snapshot(decision, CORRECTED_FIELDS)
    if after == before:
        return decision
    if (decision.number, decision.year) != (old_number, old_signed_on.year):
        await records.refuse_duplicate_number(session, decision, exclude_id=decision.id)
    await flush_or_conflict(
        session, records.duplicate_message(decision), code="duplicate_decision_number",
        savepoint=True,
    )  # fmt: skip
    history_ids = await _correct_history(session, decision, old_number, old_signed_on)
    after = {**after, "award_history_ids": history_ids}
    await audit.record(
        session, actor, "decision.corrected", "decision", decision.id, before=before, after=after
    )
    await audit.emit(session, "decision.corrected", "decision", decision.id, after)
    return await records.get(session, decision.id)


def _correct_capacity(decision: Decision, changes: dict) -> None:
    """The signer's office and ký thay as corrected; turning ký thay on or off without naming
    the office moves an office left at its usual value along (Chủ tịch ↔ Phó Chủ tịch)."""
    on_behalf = changes.get("on_behalf")
    if on_behalf is None:
        on_behalf = decision.on_behalf
    title = changes.get("signer_title")
    if title is None and on_behalf != decision.on_behalf:
        usual = {records.CHAIR, records.DEPUTY}
        title = None if decision.signer_title in usual else decision.signer_title
    elif title is None:
        title = decision.signer_title
    decision.signer_title = records.signer_title(title, on_behalf)
    decision.on_behalf = on_behalf


async def _correct_history(
    session: AsyncSession, decision: Decision, old_number: str, old_signed_on
) -> list[int]:
    """The history rows the decision wrote: its nominations', from a decision, with its old
    number — a row someone has since edited by hand is left as it is."""
    ids = decision.nomination_ids
    if not ids:
        return []
    rows = list(
        await session.scalars(
            select(AwardHistory)
            .where(
                AwardHistory.nomination_id.in_(ids),
                AwardHistory.source == "decision",
                AwardHistory.decision_no == old_number,
                AwardHistory.decided_on == old_signed_on,
            )
            .order_by(AwardHistory.id)
        )
    )
    loaded = await guards.load_many(session, [row.nomination_id for row in rows])
    for row in rows:
        _, dossier, _ = loaded[row.nomination_id]
        row.decision_no = decision.number
        row.decided_on = decision.signed_on
        row.decision_year = decision.signed_on.year
        row.year = achievement_year(dossier, decision.signed_on)
    await session.flush()
    return [row.id for row in rows]
