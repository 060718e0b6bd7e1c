"""Papers of a dossier: uploaded as multipart, judged by content, served as downloads only."""

from typing import Any

from fastapi import Request, Response, status
from fastapi.responses import FileResponse

from app.api.deps import Allowed, SessionDep
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, stored_file
from app.api.routing import end_reads, feature_router
from app.schemas.common import Id, Problem
from app.schemas.dossiers import AttachmentRead
from app.services.dossiers import attachments

router = feature_router(tags=["dossiers"])

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "document_type"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "document_type": {"$ref": "#/components/schemas/DocumentType"},
                        "nomination_id": {"type": "integer"},
                    },
                }
            }
        },
    }
}


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description,
            "content": {"application/problem+json": {}}}  # fmt: skip


_UPLOAD_PROBLEMS = {
    **NOT_FOUND,
    **CONFLICT,
    413: _problem("Tệp vượt quá giới hạn dung lượng"),
    415: _problem("Không phải PDF, DOCX, DOC, XLSX, JPEG hoặc PNG (xét theo nội dung)"),
}


@router.post(
    "/dossiers/{dossier_id}/attachments",
    summary="Upload a paper to a dossier",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    responses={**_UPLOAD_PROBLEMS, **CREATED},
    openapi_extra=_UPLOAD_BODY,
)
async def upload_attachment(
    session: SessionDep,
    principal: Allowed("attachment.upload"),
    dossier_id: Id,
    request: Request,
    response: Response,
):
    """multipart `file`, `document_type` (a code of the document list), optional
    `nomination_id`. The type is judged from the bytes; the size is checked as it streams."""
    headers = {name: request.headers.get(name) for name in ("content-type", "content-length")}
    row = await attachments.upload(
        session, principal, dossier_id, request.stream(), headers, request.app.state.settings,
        end_reads,
    )  # fmt: skip
    response.headers["Location"] = f"/api/v1/attachments/{row.id}"
    return AttachmentRead.model_validate(row)


@router.get(
    "/attachments/{attachment_id}",
    summary="Read an attachment's details",
    response_model=AttachmentRead,
    responses=NOT_FOUND,
)
async def get_attachment(
    session: SessionDep, principal: Allowed("attachment.read"), attachment_id: Id
):
    """The metadata of one paper (tài liệu) of a dossier: its type, file name, size and SHA-256."""
    row, _ = await attachments.get_attachment(session, principal, attachment_id)
    return AttachmentRead.model_validate(row)


@router.get(
    "/attachments/{attachment_id}/content",
    summary="Download an attachment's file",
    response_class=FileResponse,
    responses={**NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
)
async def download_attachment(
    session: SessionDep,
    principal: Allowed("attachment.download"),
    attachment_id: Id,
    request: Request,
):
    """Always a download (`Content-Disposition: attachment`), never rendered in place."""
    row, path = await attachments.content(
        session, principal, attachment_id, request.app.state.settings
    )
    return stored_file(path, row.content_type, row.filename)


@router.delete(
    "/attachments/{attachment_id}",
    summary="Delete an attachment",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, **CONFLICT},
)
async def delete_attachment(
    session: SessionDep,
    principal: Allowed("attachment.delete"),
    attachment_id: Id,
    request: Request,
) -> Response:
    """Only while the dossier is a draft or returned, by its owner."""
    await attachments.delete_attachment(
        session, principal, attachment_id, request.app.state.settings
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
