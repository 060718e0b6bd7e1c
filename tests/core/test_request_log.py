"""Every request writes one JSON line: the same line whether it is written directly (the
configuration the server makes) or through a `LogRecord` (any other configuration)."""

import io
import json
import logging

from app.core.observability import (
    JsonFormatter,
    JsonLineHandler,
    request_id_var,
    request_line,
    sole_json_handler,
)
from tests.factories import signed_in


def _formatted(created: float, request_id: str, fields: dict) -> str:
    record = logging.getLogger("tdkt.request").makeRecord(
        "tdkt.request", logging.INFO, __file__, 1, "request", (), None, extra=fields
    )
    record.created = created
    token = request_id_var.set(request_id)
    try:
        return JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)


def test_the_direct_line_is_the_formatters_line():
    cases = [
        ("a1b2c3", "GET", "/api/v1/auth/me", 200, 1.2),
        ("req-Đ-1", "PATCH", '/api/v1/units/"quoted"\\ và\ttab\u2028', 412, 0.0),
        ("0123456789abcdef", "DELETE", "/x\x00\x1f", 500, 12345.6),
    ]
    for request_id, method, path, status, duration in cases:
        fields = {"method": method, "path": path, "status": status, "duration_ms": duration}
        expected = _formatted(1796614800.123456, request_id, fields)
        line = request_line(1796614800.123456, request_id, method, path, status, duration)
        assert line == expected
        assert json.loads(line)["path"] == path


async def test_a_request_writes_its_line_to_the_configured_stream(app, client, session):
    _, headers = await signed_in(app, session)
    stream = io.StringIO()
    handler = JsonLineHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    try:
        assert sole_json_handler(logging.getLogger("tdkt.request")) is handler
        answer = await client.get(
            "/api/v1/auth/me", headers={**headers, "X-Request-ID": "trace-42"}
        )
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    mine = [line for line in lines if line["logger"] == "tdkt.request"]
    assert answer.status_code == 200 and len(mine) == 1
    assert set(mine[0]) == {
        "ts", "level", "logger", "msg", "request_id", "method", "path", "status", "duration_ms"
    }  # fmt: skip
    assert mine[0]["request_id"] == "trace-42" and mine[0]["status"] == 200
    assert mine[0]["path"] == "/api/v1/auth/me" and mine[0]["method"] == "GET"


def test_any_other_configuration_gets_the_record():
    logger = logging.getLogger("tdkt.request")
    handler = JsonLineHandler(io.StringIO())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    root.setLevel(logging.INFO)
    try:
        root.handlers[:] = [handler]
        assert sole_json_handler(logger) is handler
        root.handlers[:] = [handler, logging.StreamHandler(io.StringIO())]
        assert sole_json_handler(logger) is None  # another handler sees the records
        root.handlers[:] = [handler]
        logger.addHandler(logging.NullHandler())
        try:
            assert sole_json_handler(logger) is None
        finally:
            logger.handlers.clear()
        root.setLevel(logging.WARNING)
        assert sole_json_handler(logger) is None  # not logged at all
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
