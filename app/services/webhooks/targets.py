"""Where a webhook may be sent: the guard against server-side request forgery (SSRF).

A URL is checked when a subscription is created or changed, and again before every delivery:
`https` only (plain `http` when `TDKT_WEBHOOKS_ALLOW_HTTP` is on, for development), no
credentials in it, and every address its host resolves to must be a public one — never
loopback, private, link-local (cloud metadata at 169.254.169.254), shared or reserved space,
unless `TDKT_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES` is on (development). The delivery connects to
the address that was checked (`Target.address`), so a DNS answer that changes between the
check and the connection cannot send it elsewhere.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.config import Settings
from app.core.errors import Unprocessable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Unprocessable):
    """The URL may not receive webhooks (422 `webhook_url_refused` when a client sends it)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, code="webhook_url_refused")


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name in the URL: the Host header and the name the certificate must bear
    port: int
    path: str  # path and query string
    address: str  # the checked address the connection goes to

    @property
    def pinned_url(self) -> str:
        address = f"[{self.address}]" if ":" in self.address else self.address
        return f"{self.scheme}://{address}:{self.port}{self.path}"

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the system resolver, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str, settings: Settings) -> tuple[str, str, int, str]:
    """The scheme, host, port and path of an acceptable URL, before any DNS lookup."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("Địa chỉ nhận sự kiện không phải là URL hợp lệ.") from None
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if settings.webhooks_allow_http else ("https",)
    if scheme not in allowed:
        raise TargetRefused("Địa chỉ nhận sự kiện phải dùng https://.")
    if not parts.hostname:
        raise TargetRefused("Địa chỉ nhận sự kiện phải có tên máy chủ.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Địa chỉ nhận sự kiện không được chứa tên đăng nhập hay mật khẩu.")
    if parts.fragment:
        raise TargetRefused("Địa chỉ nhận sự kiện không được có phần #….")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def address_allowed(address: str, settings: Settings) -> bool:
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified or ip.is_multicast:
        return False
    if settings.webhooks_allow_private_addresses:
        return True
    return ip.is_global


async def target_of(url: str, settings: Settings) -> Target:
    """Check `url` and resolve it to the address a delivery will connect to."""
    scheme, host, port, path = check_url(url, settings)
    try:
        addresses = await resolve(host, port)
    except (OSError, UnicodeError):
        raise TargetRefused(f"Không phân giải được tên máy chủ {host}.") from None
    if not addresses:
        raise TargetRefused(f"Không phân giải được tên máy chủ {host}.")
    refused = [a for a in addresses if not address_allowed(a, settings)]
    if refused:
        raise TargetRefused(
            f"{host} trỏ tới địa chỉ nội bộ hoặc dành riêng ({refused[0]}); sự kiện chỉ được "
            "gửi tới địa chỉ công khai trên Internet."
        )
    return Target(scheme, host, port, path, addresses[0])
