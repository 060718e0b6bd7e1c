"""Templates are data: Sở Nội vụ downloads a template, changes the wording or layout in Word and
uploads it back. An upload is accepted only when it is a Word document whose placeholders all
exist for that paper and which fills from the sample without error; each upload or revert is a
new version, audited; the highest version is the one every paper is printed from."""

import asyncio
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from jinja2 import TemplateError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import advisory_lock
from app.core.errors import NotFound, PayloadTooLarge, Unprocessable
from app.core.principal import Principal
from app.models import DocumentTemplate
from app.services import audit, permissions
from app.services.documents import catalogue, render

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_INFLATED_BYTES = 50 * 1024 * 1024
# Uploads of one template queue on this lock (with the name), so versions never collide.
_LOCK_KEY = 7_140


@dataclass(frozen=True)
class TemplateState:
    """A template as it is in use: its current version (0: as shipped) and its names."""

    name: str
    title: str
    version: int
    placeholders: list[str]
    updated_at: datetime | None
    updated_by: str | None


def _spec(name: str) -> catalogue.Spec:
    spec = catalogue.spec(name)
    if spec is None:
        raise NotFound(f"Không có mẫu văn bản tên “{name}”.")
    return spec


async def _latest(session: AsyncSession, name: str) -> DocumentTemplate | None:
    return await session.scalar(
        select(DocumentTemplate)
        .where(DocumentTemplate.name == name)
        .order_by(DocumentTemplate.version.desc())
        .limit(1)
    )


async def content(session: AsyncSession, name: str) -> bytes:
    """The bytes of the version in use: the latest upload, or the shipped template."""
    row = await _latest(session, name)
    return row.content if row is not None else catalogue.SPECS[name].shipped()


def _state(spec: catalogue.Spec, row: DocumentTemplate | None) -> TemplateState:
    return TemplateState(
        name=spec.name,
        title=spec.title,
        version=row.version if row else 0,
        placeholders=sorted(spec.sample),
        updated_at=row.created_at if row else None,
        updated_by=row.created_by_name if row else None,
    )


async def list_templates(session: AsyncSession, principal: Principal) -> list[TemplateState]:
    permissions.require(principal, "document_template.list")
    newest = (
        select(DocumentTemplate.name, func.max(DocumentTemplate.version).label("version"))
        .group_by(DocumentTemplate.name)
        .subquery()
    )
    rows = await session.scalars(
        select(DocumentTemplate).join(
            newest,
            (newest.c.name == DocumentTemplate.name)
            & (newest.c.version == DocumentTemplate.version),
        )
    )
    latest = {row.name: row for row in rows}
    return [_state(spec, latest.get(name)) for name, spec in catalogue.SPECS.items()]


async def download(
    session: AsyncSession, principal: Principal, name: str, version: int | None
) -> tuple[bytes, int]:
    """The template's bytes (the version in use, or `version`; 0 is the shipped one)."""
    permissions.require(principal, "document_template.read")
    spec = _spec(name)
    if version is None:
        row = await _latest(session, name)
        return (row.content, row.version) if row else (spec.shipped(), 0)
    if version == 0:
        return spec.shipped(), 0
    return (await _version(session, name, version)).content, version


async def _version(session: AsyncSession, name: str, version: int) -> DocumentTemplate:
    row = await session.scalar(
        select(DocumentTemplate).where(
            DocumentTemplate.name == name, DocumentTemplate.version == version
        )
    )
    if row is None:
        raise NotFound(f"Mẫu “{name}” không có phiên bản {version}.")
    return row


async def versions(
    session: AsyncSession, principal: Principal, name: str
) -> list[DocumentTemplate]:
    """Every stored version, newest first (version 0, the shipped template, is implied)."""
    permissions.require(principal, "document_template.versions")
    _spec(name)
    rows = await session.scalars(
        select(DocumentTemplate)
        .where(DocumentTemplate.name == name)
        .order_by(DocumentTemplate.version.desc())
    )
    return list(rows)


def _check_zip(data: bytes) -> None:
    """A Word document is a zip: refuse one that is not, or that inflates past the cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise Unprocessable(
            "Tệp mẫu không phải là văn bản Word (.docx) hợp lệ.", code="invalid_template"
        ) from None
    if inflated > MAX_INFLATED_BYTES:
        raise PayloadTooLarge("Tệp mẫu khi giải nén quá lớn (trên 50 MiB).")
    if "word/document.xml" not in names:
        raise Unprocessable(
            "Tệp mẫu không phải là văn bản Word (.docx) hợp lệ.", code="invalid_template"
        )


def validate(name: str, data: bytes) -> None:
    """Refuse a template that is not a Word document, reads a name the paper does not give,
    or does not fill from the sample (a broken loop, an unknown field of a row…)."""
    spec = _spec(name)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise PayloadTooLarge("Tệp mẫu vượt quá 5 MiB.")
    _check_zip(data)
    unknown = sorted(render.placeholders(data) - set(spec.sample))
    if unknown:
        raise Unprocessable(
            f"Mẫu dùng trường trộn không có trong văn bản “{spec.title}”: "
            f"{', '.join(unknown)}. Các trường được dùng: {', '.join(sorted(spec.sample))}.",
            code="unknown_placeholders",
            unknown=unknown,
            allowed=sorted(spec.sample),
        )
    try:
        render.render_docx(data, spec.sample)
    except (TemplateError, AttributeError, TypeError, ValueError, KeyError) as exc:
        raise Unprocessable(
            f"Mẫu không trộn được với dữ liệu mẫu: {exc}", code="invalid_template"
        ) from exc


async def _next_version(session: AsyncSession, name: str) -> int:
    latest = await session.scalar(
        select(func.max(DocumentTemplate.version)).where(DocumentTemplate.name == name)
    )
    return (latest or 0) + 1


async def _store(
    session: AsyncSession,
    actor: Principal,
    name: str,
    data: bytes,
    *,
    reverted_from: int | None,
    note: str,
    action: str,
) -> DocumentTemplate:
    await advisory_lock(session, _LOCK_KEY, name)
    row = DocumentTemplate(
        name=name,
        version=await _next_version(session, name),
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        reverted_from=reverted_from,
        note=note,
        created_by_id=actor.user_id,
        created_by_name=actor.username or None,
    )
    session.add(row)
    await session.flush()
    after = {"name": name, "version": row.version, "sha256": row.sha256, "size": row.size,
             "reverted_from": reverted_from}  # fmt: skip
    await audit.record(session, actor, action, "document_template", row.id, after=after,
                       comment=note or None)  # fmt: skip
    return row


async def upload(
    session: AsyncSession, actor: Principal, name: str, data: bytes, note: str
) -> TemplateState:
    """Store `data` as the next version of the template, once it passed `validate`."""
    permissions.require(actor, "document_template.update")
    spec = _spec(name)
    await asyncio.to_thread(validate, name, data)
    row = await _store(session, actor, name, data, reverted_from=None, note=note,
                       action="document_template.upload")  # fmt: skip
    return _state(spec, row)


async def revert(session: AsyncSession, actor: Principal, name: str, version: int) -> TemplateState:
    """Put an earlier version (0: the shipped template) back in use, as a new version."""
    permissions.require(actor, "document_template.revert")
    spec = _spec(name)
    data = spec.shipped() if version == 0 else (await _version(session, name, version)).content
    row = await _store(session, actor, name, data, reverted_from=version,
                       note=f"Khôi phục phiên bản {version}",
                       action="document_template.revert")  # fmt: skip
    return _state(spec, row)
