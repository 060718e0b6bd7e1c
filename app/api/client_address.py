"""The client's address, as far as the configured proxies can be trusted to tell it."""

from fastapi import Request


def client_address(request: Request) -> str | None:
    """With `TDKT_TRUSTED_PROXY_HOPS=n`, the address the n-th proxy from us saw (the n-th
    entry of X-Forwarded-For from the right: entries further left are whatever the client
    wrote); else the connection's peer. None when neither is known."""
    hops = request.app.state.settings.trusted_proxy_hops
    if hops > 0:
        forwarded = [
            part.strip()
            for header in request.headers.getlist("x-forwarded-for")
            for part in header.split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.client.host if request.client else None
