"""Response shaping shared by the routers: ETags, Location, list envelopes, problem docs."""

from typing import Any
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import FileResponse

from app.core.errors import PROBLEM_JSON
from app.core.orm import PageResult


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def envelope(page: PageResult, items: list[Any] | None = None) -> dict[str, Any]:
    return {
        "items": page.items if items is None else items,
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
    }


def _problem(description: str) -> dict[str, Any]:
    """An error answer: `application/problem+json` with the `Problem` schema (app/api/openapi.py
    declares the schema and holds every error response of the document to this)."""
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: _problem("Thiếu, sai hoặc hết hạn mã truy cập"),
    403: _problem("Vai trò không được phép"),
    422: _problem("Dữ liệu không hợp lệ"),
}
NOT_FOUND = {404: _problem("Không tìm thấy (hoặc không được phép xem)")}
CONFLICT = {409: _problem("Xung đột trạng thái hoặc dữ liệu")}
TOO_LARGE = {413: _problem("Tệp quá lớn")}
THROTTLED = {
    429: _problem("Quá nhiều lần đăng nhập sai; chờ số giây trong Retry-After (login_rate_limited)")
}
PUBLIC_THROTTLED = {
    429: _problem(
        "Quá nhiều yêu cầu từ một địa chỉ; chờ số giây trong Retry-After (too_many_requests)"
    )
}
VERSIONED = {
    412: _problem("ETag đã cũ (version_mismatch)"),
    428: _problem("Thiếu If-Match"),
}

# A creation answered with the new resource's address (the route sets `Location`).
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"headers": {"Location": {"$ref": "#/components/headers/Location"}}}
}


# An operation called without a token (log in, refresh, health, the calendar feed), said so in
# the document: `security: []` overrides any default and tells clients to send no token.
NO_SECURITY: dict[str, Any] = {"security": []}


def content_disposition(filename: str, ascii_fallback: str | None = None) -> str:
    """Always a download: `filename*` carries the Vietnamese name (RFC 6266), `filename` an
    optional ASCII fallback for old clients."""
    fallback = f'filename="{ascii_fallback}"; ' if ascii_fallback else ""
    return f"attachment; {fallback}filename*=UTF-8''{quote(filename, safe='')}"


def stored_file(path: Any, media_type: str, filename: str) -> FileResponse:
    """A stored upload sent back as it was received: always a download, never sniffed or
    rendered in place, never kept by a shared cache."""
    return FileResponse(
        path,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
