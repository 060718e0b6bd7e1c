"""Receiving one uploaded paper: the multipart body parsed as it streams, the file written to a
temporary name with a running size count (413 before the body is all read), its type judged
from its bytes, and its original name kept only as sanitised metadata."""

import asyncio
import hashlib
import re
import unicodedata
import uuid
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filetype
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.core.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.core.text import nfc

# Multipart framing and the small text fields around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_FIELD_BYTES = 1024
MAX_FILENAME_LENGTH = 200
HEAD_BYTES = 8192
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIRECT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ALLOWED_NAMES = "PDF, DOCX, DOC, XLSX, JPEG, PNG"


@dataclass
class Upload:
    """The file part on disk under a temporary name, and the form's text fields."""

    fields: dict[str, str] = field(default_factory=dict)
    temp_path: Path | None = None
    filename: str | None = None
    size: int = 0
    sha256: str = ""

    def discard(self) -> None:
        if self.temp_path is not None:
            self.temp_path.unlink(missing_ok=True)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Tệp vượt quá giới hạn {limit / (1024 * 1024):.1f} MiB; hãy nén hoặc tách tệp.",
        limit_bytes=limit,
    )


class _Receiver:
    """python-multipart callbacks: the `file` part goes to disk, other parts to `fields`."""

    def __init__(self, incoming: Path, limit: int) -> None:
        self.incoming, self.limit = incoming, limit
        self.upload = Upload()
        self._digest = hashlib.sha256()
        self._file: Any = None
        self._headers: dict[bytes, bytes] = {}
        self._header_field = b""
        self._header_value = b""
        self._name: str | None = None
        self._value = bytearray()

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._add_field(d[s:e]),
            "on_header_value": lambda d, s, e: self._add_value(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._value = {}, None, bytearray()

    def _add_field(self, data: bytes) -> None:
        self._header_field += data

    def _add_value(self, data: bytes) -> None:
        self._header_value += data

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        if self._name == "file":
            if self.upload.temp_path is not None:
                raise Unprocessable("Mỗi lần chỉ tải lên một tệp.", code="one_file_only")
            raw = params.get(b"filename", b"")
            self.upload.filename = raw.decode("utf-8", "replace")
            self.upload.temp_path = self.incoming / f"{uuid.uuid4().hex}.part"
            self._file = self.upload.temp_path.open("wb")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._file is None:
            self._value += chunk
            if len(self._value) > MAX_FIELD_BYTES:
                raise Unprocessable(f"Trường '{self._name}' quá dài.", code="field_too_long")
            return
        self.upload.size += len(chunk)
        if self.upload.size > self.limit:
            raise _too_large(self.limit)
        self._digest.update(chunk)
        self._file.write(chunk)

    def _part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self.upload.sha256 = self._digest.hexdigest()
        elif self._name:
            self.upload.fields[self._name] = self._value.decode("utf-8", "replace").strip()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _boundary(content_type: str | None) -> bytes:
    kind, params = parse_options_header(content_type or "")
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise UnsupportedMediaType(
            "Gửi tệp bằng multipart/form-data với các trường `file` và `document_type`.",
            code="multipart_required",
        )
    return params[b"boundary"]


async def receive(
    stream: AsyncIterator[bytes],
    content_type: str | None,
    content_length: str | None,
    incoming: Path,
    limit: int,
) -> Upload:
    """Parse the body as it arrives; refuse (413) as soon as it passes the limit."""
    boundary = _boundary(content_type)
    body_limit = limit + FORM_OVERHEAD_BYTES
    if (
        content_length
        and re.fullmatch(r"[0-9]{1,20}", content_length)
        and int(content_length) > body_limit
    ):
        raise _too_large(limit)
    await asyncio.to_thread(incoming.mkdir, parents=True, exist_ok=True)
    receiver = _Receiver(incoming, limit)
    parser = MultipartParser(boundary, receiver.callbacks())
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > body_limit:
                raise _too_large(limit)
            # Disk writes happen in the callbacks: keep them off the event loop.
            await asyncio.to_thread(parser.write, chunk)
        parser.finalize()
    except MultipartParseError as exc:
        receiver.close()
        receiver.upload.discard()
        raise Unprocessable("Nội dung multipart không hợp lệ.", code="invalid_multipart") from exc
    except BaseException:
        receiver.close()
        receiver.upload.discard()
        raise
    receiver.close()
    if receiver.upload.temp_path is None:
        raise Unprocessable("Thiếu tệp (trường `file`).", code="file_required")
    return receiver.upload


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def sniff(path: Path) -> str:
    """The content type judged from the bytes (not the name), or 415 `unsupported_file_type`."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(OLE2_MAGIC):
        return "application/msword"
    kind = filetype.guess(head)
    found = None
    if kind is not None and kind.mime in DIRECT_TYPES:
        found = kind.mime
    elif kind is not None and kind.extension in ("zip", "docx", "xlsx"):
        found = _zip_kind(path)
    if found is None:
        raise UnsupportedMediaType(
            f"Chỉ nhận tệp {ALLOWED_NAMES}; nội dung tệp gửi lên không thuộc các loại này.",
            code="unsupported_file_type",
        )
    return found


EXTENSIONS = {**DIRECT_TYPES, DOCX: "docx", XLSX: "xlsx", "application/msword": "doc"}


def safe_filename(raw: str | None, content_type: str) -> str:
    """The uploader's name without any path, control characters or excess length."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = nfc(name).strip(" .")
    if not name:
        name = f"tep-dinh-kem.{EXTENSIONS.get(content_type, 'bin')}"
    if len(name) > MAX_FILENAME_LENGTH:
        _, dot, ext = name.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        name = name[: MAX_FILENAME_LENGTH - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return name
