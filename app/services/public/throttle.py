"""A per-address request limit for the public surface, in the memory of each API process.

The login throttle (`services.auth.throttle`) keeps its counters in the database, because a
guessed password must be counted by every process alike. A public read is cheap and harmless
by itself; writing a counter row for each would turn every read into a write. So the public
surface counts in memory, per process, with the login throttle's notion of a client address
(an IPv6 address by its /64): with N processes an address gets at most N times the limit.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.errors import TooManyRequests
from app.services.auth.throttle import address_key

WINDOW_SECONDS = 60.0
# Counters are swept when there are more than this many, so a scan of many addresses cannot
# grow the table without bound.
SWEEP_ABOVE = 10_000


@dataclass
class RequestThrottle:
    """At most `limit` requests per address in each window of `window` seconds."""

    limit: int
    window: float = WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _counts: dict[str, tuple[float, int]] = field(default_factory=dict)

    def admit(self, address: str | None) -> None:
        """Count one request from `address`; 429 `too_many_requests` with Retry-After past the
        limit."""
        now = self.clock()
        key = address_key(address)
        started, count = self._counts.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        if count >= self.limit:
            wait = max(1, math.ceil(started + self.window - now))
            raise TooManyRequests(
                f"Quá nhiều yêu cầu từ địa chỉ này; thử lại sau {wait} giây.",
                code="too_many_requests",
                headers={"Retry-After": str(wait)},
            )
        self._counts[key] = (started, count + 1)
        if len(self._counts) > SWEEP_ABOVE:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        self._counts = {k: (s, c) for k, (s, c) in self._counts.items() if now - s < self.window}
