"""Security headers on every response, built with the `secure` library.

Every answer carries `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and
`X-Frame-Options: DENY`; in production also `Strict-Transport-Security` (the API is served
over HTTPS there, behind the proxy).

Caching, for a response without a `Cache-Control` of its own (a route that chose one keeps
it: downloads and ballots are `no-store`): a successful JSON read (GET) is
`private, no-cache` with `Vary: Authorization` — a browser may keep it for its own user but
must ask again each time, with `If-None-Match`, and gets a 304 while it has not changed; no
shared cache may keep it. Everything else — tokens, writes, errors — is `no-store`.
"""

from secure import Secure
from secure.headers import (
    CacheControl,
    ReferrerPolicy,
    StrictTransportSecurity,
    XContentTypeOptions,
    XFrameOptions,
)
from secure.middleware import SecureASGIMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600
DEFAULT_CACHE_CONTROL = CacheControl().no_store().header_value
READ_CACHE_CONTROL = "private, no-cache"
_READS = frozenset({"GET", "HEAD"})
_JSON_TYPES = (b"application/json",)


def security_headers(*, production: bool) -> Secure:
    """The headers set on every response, whatever the route set."""
    return Secure(
        xcto=XContentTypeOptions().nosniff(),
        referrer=ReferrerPolicy().no_referrer(),
        xfo=XFrameOptions().deny(),
        hsts=(
            StrictTransportSecurity().max_age(HSTS_MAX_AGE_SECONDS).include_subdomains()
            if production
            else None
        ),
    )


def _is_json_read(method: str, status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    if method not in _READS:
        return False
    if status == 304:  # the answer to a revalidation repeats the 200's caching headers
        return True
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    return 200 <= status < 300 and content_type.split(b";")[0].strip() in _JSON_TYPES


class DefaultCacheControlMiddleware:
    """The `Cache-Control` of a response that did not say how it may be cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.default = DEFAULT_CACHE_CONTROL.encode("latin-1")
        self.read = READ_CACHE_CONTROL.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_default(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    if _is_json_read(scope["method"], message["status"], headers):
                        headers.append((b"cache-control", self.read))
                        headers.append((b"vary", b"Authorization"))
                    else:
                        headers.append((b"cache-control", self.default))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_default)


def install_security_headers(app, *, production: bool) -> None:
    """Wrap the app so every answer, errors included, carries the headers above."""
    app.add_middleware(DefaultCacheControlMiddleware)
    app.add_middleware(SecureASGIMiddleware, secure=security_headers(production=production))
