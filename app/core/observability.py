"""Structured logs: one JSON object per line, each with the request id of its request.

Nothing here logs request bodies, headers or query strings, so no password, token or ballot
can reach a log line.
"""

import json
import logging
import sys
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # The access log prints query strings; our middleware logs requests without them.
    logging.getLogger("uvicorn.access").disabled = True


def _valid_request_id(value: str | None) -> bool:
    return bool(value) and len(value) <= 64 and value.replace("-", "").isalnum()


class RequestContextMiddleware:
    """Gives each request an id (the client's `X-Request-ID` if sane), returns it, logs it.

    `finish_headers(method, status, headers)`, when given, completes the headers of every
    answer in the same pass (`app.core.headers.ResponseHeaders`): one wrapper of `send` for
    all the headers every answer carries, not one per concern.
    """

    def __init__(
        self,
        app: ASGIApp,
        finish_headers: Callable[[str, int, list[tuple[bytes, bytes]]], list] | None = None,
    ) -> None:
        self.app = app
        self.log = logging.getLogger("tdkt.request")
        self.finish_headers = finish_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = b""
        for name, value in scope["headers"]:  # the last one, as a dict of them would keep
            if name == b"x-request-id":
                incoming = value
        incoming = incoming.decode("latin-1")
        request_id = incoming if _valid_request_id(incoming) else uuid.uuid4().hex
        request_header = (b"x-request-id", request_id.encode())
        finish_headers = self.finish_headers
        method = scope["method"]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", ()), request_header]
                if finish_headers is not None:
                    headers = finish_headers(method, status, headers)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.log.info(
                "request",
                extra={
                    "method": method,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)
