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

from secure import MULTI_OK, Secure
from secure.headers import (
    CacheControl,
    ReferrerPolicy,
    StrictTransportSecurity,
    XContentTypeOptions,
    XFrameOptions,
)

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


def _is_json_read(method: str, status: int, content_type: bytes) -> bool:
    if method not in _READS:
        return False
    if status == 304:  # the answer to a revalidation repeats the 200's caching headers
        return True
    return 200 <= status < 300 and content_type.split(b";")[0].strip() in _JSON_TYPES


class ResponseHeaders:
    """The headers every answer leaves with: its `Cache-Control` (when the route set none) and
    the security headers, which replace any value of the same name the route set.

    One pass over the answer's headers, called by `RequestContextMiddleware` on every
    `http.response.start` (errors included) after it has added `X-Request-ID`.
    """

    def __init__(self, *, production: bool) -> None:
        secure = security_headers(production=production)
        # None of these may repeat (the `secure` library's MULTI_OK): each replaces the route's.
        assert not {name.lower() for name in secure.headers} & MULTI_OK
        self.security = [
            (name.encode("ascii"), value.encode("latin-1"))
            for name, value in secure.headers.items()
        ]
        self.replaced = frozenset(name.strip().lower() for name, _ in self.security)
        self.default = (b"cache-control", DEFAULT_CACHE_CONTROL.encode("latin-1"))
        self.read = (b"cache-control", READ_CACHE_CONTROL.encode("latin-1"))
        self.vary = (b"vary", b"Authorization")

    def __call__(
        self, method: str, status: int, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        kept = []
        cache_control = False
        content_type = None
        replaced = self.replaced
        for header in headers:
            name = header[0].lower()
            if name == b"cache-control":
                cache_control = True
            elif name == b"content-type":
                if content_type is None:
                    content_type = header[1]
            elif name.strip() in replaced:
                continue
            kept.append(header)
        if not cache_control:
            if _is_json_read(method, status, content_type or b""):
                kept.append(self.read)
                kept.append(self.vary)
            else:
                kept.append(self.default)
        kept.extend(self.security)
        return kept
