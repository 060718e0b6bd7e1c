"""One HTTP attempt of a delivery: checked target, pinned address, bounded in time and size."""

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from app.core.clock import utcnow
from app.core.config import Settings
from app.services.webhooks import signing, targets

# What is read of a receiver's answer at most; the rest is never downloaded.
MAX_RESPONSE_BYTES = 4096
USER_AGENT = "tdkt-webhooks/1"


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to: the receiver's status code, or the error that prevented one."""

    status_code: int | None
    error: str | None
    duration_ms: int
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_of(payload: dict[str, Any]) -> str:
    """The exact text that is signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def new_client(settings: Settings) -> httpx.AsyncClient:
    """The worker's client: no redirects, no proxies from the environment, certificates
    verified against the name in the URL."""
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(settings.webhooks_timeout_seconds),
        limits=httpx.Limits(max_connections=settings.webhooks_concurrency * 2),
    )


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


async def send(
    client: httpx.AsyncClient,
    settings: Settings,
    url: str,
    signing_secrets: list[str],
    message_id: str,
    payload: dict[str, Any],
) -> Attempt:
    """POST the signed payload to `url` once; never raises for the receiver's faults."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    body = body_of(payload)
    try:
        # One deadline for the DNS lookup, the connection, the answer and its first bytes.
        async with asyncio.timeout(settings.webhooks_timeout_seconds):
            target = await targets.target_of(url, settings)
            headers = {
                **signing.headers(signing_secrets, message_id, utcnow(), body),
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "host": target.host_header,
            }
            extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
            request = client.build_request(
                "POST", target.pinned_url, content=body.encode(), headers=headers,
                extensions=extensions,
            )  # fmt: skip
            response = await client.send(request, stream=True)
            try:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= MAX_RESPONSE_BYTES:
                        break
            finally:
                await response.aclose()
    except targets.TargetRefused as refused:
        return Attempt(None, refused.detail[:300], elapsed())
    except (TimeoutError, httpx.TimeoutException):
        return Attempt(None, f"Hết {settings.webhooks_timeout_seconds:g} giây chờ", elapsed())
    except httpx.HTTPError as exc:
        return Attempt(None, f"Lỗi kết nối: {type(exc).__name__}", elapsed())
    return Attempt(
        response.status_code, None, elapsed(), _retry_after(response.headers.get("retry-after"))
    )
