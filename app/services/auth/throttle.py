"""Login throttling, kept in the database so every API process shares it.

Failures are counted per username (a guessed password) and per client address (a password
sprayed over many usernames). Either count reaching its limit in the window locks that key
out for the lockout time. Rows whose window and lockout have both passed say nothing any
more and are deleted on every failure, so the tables stay as small as the recent failures.
"""

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import upsert_insert
from app.core.errors import TooManyRequests
from app.models import LoginAddressThrottle, LoginThrottle

IPV6_PREFIX = 64  # one subscriber's IPv6 addresses share a /64


class Counter(Protocol):
    failures: int
    window_started_at: datetime
    locked_until: datetime | None


def address_key(address: str | None) -> str:
    """The key an address is counted under: the address, an IPv6 one by its /64."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


async def _row(session: AsyncSession, model: type, key_column: str, key: str):
    """The counter row of `key`, locked; created without a race between two processes."""
    await session.execute(
        upsert_insert(session, model)
        .values({key_column: key, "failures": 0, "window_started_at": utcnow()})
        .on_conflict_do_nothing()
    )
    return await session.get(model, key, with_for_update=True, populate_existing=True)


async def username_counter(session: AsyncSession, username: str) -> LoginThrottle:
    return await _row(session, LoginThrottle, "username", username)


async def address_counter(session: AsyncSession, address: str) -> LoginAddressThrottle:
    return await _row(session, LoginAddressThrottle, "address", address)


def refuse_if_locked(*counters: Counter) -> None:
    """429 with Retry-After while any of the counters is locked out."""
    now = utcnow()
    waits = [c.locked_until - now for c in counters if c.locked_until and c.locked_until > now]
    if waits:
        wait = math.ceil(max(waits).total_seconds())
        raise TooManyRequests(
            f"Đăng nhập sai quá nhiều lần; thử lại sau {math.ceil(wait / 60)} phút.",
            code="login_rate_limited",
            headers={"Retry-After": str(wait)},
        )


def count_failure(counter: Counter, settings: Settings, limit: int) -> None:
    """One more failure in the window; at `limit` the key is locked out."""
    now = utcnow()
    if now - counter.window_started_at > timedelta(minutes=settings.login_window_minutes):
        counter.failures = 0
        counter.window_started_at = now
    counter.failures += 1
    if counter.failures >= limit:
        counter.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
        counter.failures = 0
        counter.window_started_at = now


async def purge_expired(session: AsyncSession, settings: Settings) -> None:
    """Delete the counters whose window and lockout have both passed."""
    now = utcnow()
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    for model in (LoginThrottle, LoginAddressThrottle):
        await session.execute(
            delete(model)
            .where(model.window_started_at < window_start)
            .where(or_(model.locked_until.is_(None), model.locked_until < now))
            .execution_options(synchronize_session=False)
        )
