"""Security headers on every response, built with the `secure` library.

Every answer carries `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and
`X-Frame-Options: DENY`; in production also `Strict-Transport-Security` (the API is served
over HTTPS there, behind the proxy). Answers hold personal data and tokens, so any response
without a `Cache-Control` of its own gets `no-store`; a route that chose one keeps it.
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


class DefaultCacheControlMiddleware:
    """`Cache-Control: no-store` on a response that did not say how it may be cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.value = DEFAULT_CACHE_CONTROL.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_default(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", self.value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_default)


def install_security_headers(app, *, production: bool) -> None:
    """Wrap the app so every answer, errors included, carries the headers above."""
    app.add_middleware(DefaultCacheControlMiddleware)
    app.add_middleware(SecureASGIMiddleware, secure=security_headers(production=production))
