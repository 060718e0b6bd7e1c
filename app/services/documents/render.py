"""Filling a template (docxtpl, in a Jinja sandbox) and printing it to PDF (LibreOffice).

Templates come from Sở Nội vụ's uploads too, so Jinja runs sandboxed: a template can read the
context it is given and nothing else. Missing names are errors, never silent blanks.
"""

import asyncio
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from app.core.errors import ServiceUnavailable, Unprocessable
from app.services.documents.wording import clean

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
PDF_TIMEOUT_SECONDS = 120
# One conversion at a time per process: soffice is heavy and the machine is shared.
_PDF_LOCK = asyncio.Lock()


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def open_template(content: bytes) -> DocxTemplate:
    """The template in `content`; bytes that are not a Word document are a 422."""
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise Unprocessable(
            "Tệp mẫu không phải là văn bản Word (.docx) hợp lệ.", code="invalid_template"
        ) from exc
    return template


def placeholders(content: bytes) -> set[str]:
    """The top-level names the template reads (`{{ number }}`, `{% for row in rows %}`…)."""
    template = open_template(content)
    try:
        return set(template.get_undeclared_template_variables(environment()))
    except TemplateError as exc:
        raise Unprocessable(
            f"Mẫu có cú pháp trường trộn không hợp lệ: {exc}", code="invalid_template"
        ) from exc


def render_docx(content: bytes, context: dict[str, Any]) -> bytes:
    """The template filled with `context` (strings NFC-normalised and XML-clean, escaped)."""
    template = open_template(content)
    template.render(clean(context), jinja_env=environment(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


async def to_pdf(docx: bytes, suffix: str = ".docx") -> bytes:
    """Print the document (Word, or a workbook with `suffix=".xlsx"`) to PDF with LibreOffice
    headless; 503 when it is not installed."""
    binary = soffice()
    if binary is None:
        raise ServiceUnavailable(
            "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản DOCX.",
            code="pdf_unavailable",
        )
    async with _PDF_LOCK:
        with tempfile.TemporaryDirectory(prefix="tdkt-pdf-") as work:
            folder = Path(work)
            source = folder / f"document{suffix}"
            source.write_bytes(docx)
            # A profile of its own: a soffice already running for someone else does not
            # swallow the conversion.
            profile = (folder / "profile").as_uri()
            process = await asyncio.create_subprocess_exec(
                binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", str(folder), str(source),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                env={**os.environ, "HOME": str(folder)},
            )  # fmt: skip
            try:
                await asyncio.wait_for(process.wait(), PDF_TIMEOUT_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
                raise ServiceUnavailable(
                    "LibreOffice không in xong văn bản ra PDF kịp thời; hãy thử lại sau.",
                    code="pdf_unavailable",
                ) from None
            output = folder / "document.pdf"
            if process.returncode != 0 or not output.exists():
                raise ServiceUnavailable(
                    "LibreOffice không in được văn bản ra PDF; hãy tải bản DOCX.",
                    code="pdf_unavailable",
                )
            return output.read_bytes()
