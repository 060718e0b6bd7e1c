"""How answers travel to clients: cross-origin access (CORS) and compression.

CORS: a browser page on another origin (the provincial SPA) may call the API only when its
origin is in `TDKT_CORS_ORIGINS`. Credentials are off: the API is called with a Bearer token,
never with cookies, so no origin can ride on a signed-in browser. Preflights that name an
origin, a method or a header outside the lists are refused as problem+json.

Compression: JSON, CSV, iCalendar and the documentation's assets over 1 KB are compressed
(zstd, br or gzip, as the client accepts). Downloads that are already compressed (XLSX, DOCX,
PDF, ZIP, images) are sent as they are, and so is a stream of server-sent events, which must
reach the client event by event.
"""

import json
from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette_compress import CompressMiddleware, add_compress_type, remove_compress_type

from app.core.errors import PROBLEM_JSON, problem_document

CORS_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
    "X-Ballot-Receipt",
)
CORS_EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "X-Request-ID",
    "Idempotent-Replayed",
    "Retry-After",
    "Content-Disposition",
)
# How long a browser may reuse a preflight's answer (Chromium caps it at two hours).
CORS_MAX_AGE_SECONDS = 600

COMPRESS_MINIMUM_BYTES = 1024


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, whose refused preflight is a problem like every 4xx."""

    def preflight_response(self, request_headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        body = problem_document(
            status=response.status_code,
            code="cors_refused",
            title="Không cho phép truy cập từ trang web khác",
            detail=(
                "Nguồn (origin), phương thức hoặc header của yêu cầu không nằm trong danh sách "
                "được phép gọi API từ trình duyệt (TDKT_CORS_ORIGINS)."
            ),
        )
        return Response(
            json.dumps(body, ensure_ascii=False).encode(),
            status_code=response.status_code,
            media_type=PROBLEM_JSON,
            headers={
                k: v
                for k, v in response.headers.items()
                if k.lower() not in ("content-length", "content-type")
            },
        )


def install_cors(app, origins: Sequence[str]) -> None:
    """Let the pages of `origins` call the API; with none, the middleware is not installed and a
    browser refuses every cross-origin call (no `Access-Control-Allow-Origin` is ever sent)."""
    if not origins:
        return
    app.add_middleware(
        ProblemCORSMiddleware,
        allow_origins=list(origins),
        allow_methods=list(CORS_METHODS),
        allow_headers=list(CORS_REQUEST_HEADERS),
        expose_headers=list(CORS_EXPOSED_HEADERS),
        allow_credentials=False,
        max_age=CORS_MAX_AGE_SECONDS,
    )


def _compressed_types() -> None:
    # CSV exports and problems are text worth compressing; an event stream is not buffered
    # or re-framed by a compressor between the server and the browser's EventSource.
    add_compress_type("text/csv")
    add_compress_type("application/problem+json")
    remove_compress_type("text/event-stream")


def install_compression(app) -> None:
    _compressed_types()
    app.add_middleware(CompressMiddleware, minimum_size=COMPRESS_MINIMUM_BYTES)
