"""Documents (văn bản): the papers officials sign and publish — tờ trình, biên bản, phiếu
bầu — filled from tdkt's data into Word templates in the format of Nghị định 30/2020/NĐ-CP,
and printed to PDF by LibreOffice.

`papers` reads the context of each paper; `render` fills a template and prints it; `layout`
and `blanks` build the shipped templates; `catalogue` names them with a sample context.
"""

import asyncio
import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.text import fold
from app.services.documents import render, templates
from app.services.documents.papers import Paper

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class DocumentFile:
    content: bytes
    media_type: str
    filename: str
    ascii_filename: str


def names(name: str, extension: str) -> tuple[str, str]:
    """A download name safe on every system, and its ASCII form for old clients."""
    name = re.sub(r"\s+", " ", _UNSAFE_NAME.sub("-", name)).strip(" .-")[:150] or "van-ban"
    ascii_name = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:150] or "van-ban"
    return f"{name}.{extension}", f"{ascii_name}.{extension}"


async def produce(session: AsyncSession, paper: Paper, fmt: str) -> DocumentFile:
    """The paper filled into the template in use, as DOCX, or printed to PDF (503
    `pdf_unavailable` without LibreOffice)."""
    template = await templates.content(session, paper.template)
    docx = await asyncio.to_thread(render.render_docx, template, paper.context)
    if fmt == "pdf":
        content, media_type = await render.to_pdf(docx), render.PDF_TYPE
    else:
        content, media_type = docx, render.DOCX_TYPE
    return DocumentFile(content, media_type, *names(paper.name, fmt))
