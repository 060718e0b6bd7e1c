"""Structured logs: one JSON object per line, each with the request id of its request.

Nothing here logs request bodies, headers or query strings, so no password, token or ballot
can reach a log line.

The line every request writes is built directly, not through a `LogRecord` and the formatter,
when the logging configuration is the one `configure_logging` made (the request logger's
records go to its one JSON handler and nowhere else): the same line, in the same stream,
flushed the same way, for a fifth of the work. Any other configuration (a test capturing the
records, a handler added by an operator) gets the record through `logging` as before.
"""

import json
import logging
import random
import sys
import time
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


class JsonLineHandler(logging.StreamHandler):
    """The handler `configure_logging` installs: JSON lines on a stream (stdout)."""

    def write_line(self, line: str) -> None:
        """Write one formatted line as `emit` would: under the handler's lock, flushed."""
        self.acquire()
        try:
            self.stream.write(line + self.terminator)
            self.flush()
        except Exception:
            self.handleError(logging.makeLogRecord({"msg": line}))
        finally:
            self.release()


def sole_json_handler(logger: logging.Logger) -> JsonLineHandler | None:
    """The handler that alone would receive `logger`'s INFO records, formatted by
    `JsonFormatter`; None when anything else could see them (another handler, a filter, a
    record factory) or when they would not be logged at all."""
    if (
        logger.disabled
        or logger.filters
        or not logger.isEnabledFor(logging.INFO)
        or logging.getLogRecordFactory() is not logging.LogRecord
    ):
        return None
    root = logging.root
    node: logging.Logger | None = logger
    while node is not None and node is not root:
        if node.handlers or not node.propagate:
            return None
        node = node.parent
    handlers = root.handlers
    if node is None or len(handlers) != 1:
        return None
    handler = handlers[0]
    if (
        type(handler) is not JsonLineHandler
        or handler.filters
        or handler.level > logging.INFO
        or type(handler.formatter) is not JsonFormatter
    ):
        return None
    return handler


_quote = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes


def request_line(
    created: float, request_id: str, method: str, path: str, status: int, duration_ms: float
) -> str:
    """The request's log line exactly as `JsonFormatter` writes the record of
    `log.info("request", extra={method, path, status, duration_ms})` (tested)."""
    ts = datetime.fromtimestamp(created, UTC).isoformat()
    return (
        f'{{"ts": "{ts}", "level": "INFO", "logger": "tdkt.request", "msg": "request", '
        f'"request_id": {_quote(request_id)}, "method": {_quote(method)}, '
        f'"path": {_quote(path)}, "status": {int(status)}, "duration_ms": {float(duration_ms)!r}}}'
    )


def configure_logging(level: str = "INFO") -> None:
    handler = JsonLineHandler(sys.stdout)
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


def _new_request_id() -> str:
    """32 hex digits, as a uuid4's: unique enough to find a request in the logs, and drawn
    without the system call (and the hand-over of the interpreter lock) `uuid4` makes."""
    return f"{random.getrandbits(128):032x}"


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
        request_id = incoming if _valid_request_id(incoming) else _new_request_id()
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
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            handler = sole_json_handler(self.log)
            if handler is not None:
                handler.write_line(
                    request_line(
                        time.time(), request_id, method, scope["path"], status, duration_ms
                    )
                )
            else:
                self.log.info(
                    "request",
                    extra={
                        "method": method,
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": duration_ms,
                    },
                )
            request_id_var.reset(token)
