"""The webhook worker (`tdkt worker`): derives deliveries from the event feed and sends them.

Each step runs in a short transaction of its own (`Database.session` is the commit point, as
for the CLI): derive the new deliveries, claim the due ones, and — after each send, which runs
outside any transaction — write the attempt. Up to `TDKT_WEBHOOKS_CONCURRENCY` receivers are
sent to at once, one message at a time per subscription, so a receiver that hangs delays only
its own messages. Several workers may run against one PostgreSQL database (the claims use
`FOR UPDATE SKIP LOCKED`); on SQLite run one.

Once a day, on its first pass after midnight in Việt Nam (and its first pass after it starts),
it also stores the day's criteria checks of every nomination whose stored checks no longer
hold (`tdkt refresh-checks`), in the background beside the deliveries: reads then find them
stored instead of computing them. Several workers share that work too (SKIP LOCKED).
"""

import asyncio
import contextlib
import logging
import time

import httpx

from app.core.config import Settings
from app.core.db import Database
from app.services import events
from app.services.dossiers import daily_checks, rules
from app.services.webhooks import queue, sending

log = logging.getLogger("tdkt.webhooks")
checks_log = logging.getLogger("tdkt.checks")
# How often the worker deletes events and deliveries past TDKT_EVENTS_RETENTION_DAYS.
PURGE_EVERY_SECONDS = 3600


class Worker:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        client: httpx.AsyncClient | None = None,
        *,
        daily_checks: bool = False,
    ) -> None:
        self.db = db
        self.settings = settings
        self._client = client
        self._in_flight: set[asyncio.Task] = set()
        self._wake = asyncio.Event()
        self._purged_at: float | None = None
        self._daily_checks = daily_checks
        self._checks_day: str | None = None  # the day the last refresh started on
        self._checks_retry_at = 0.0
        self._refreshing: asyncio.Task | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set, then let the sends under way finish (bounded by their
        timeout); a send cut short is sent again once its claim runs out."""
        client = self._client or sending.new_client(self.settings)
        try:
            while not stop.is_set():
                try:
                    await self.tick(client)
                except Exception:
                    log.exception("webhook worker pass failed; retrying")
                self._wake.clear()
                waits = [asyncio.ensure_future(e.wait()) for e in (stop, self._wake)]
                await asyncio.wait(
                    waits,
                    timeout=self.settings.webhooks_poll_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for waiting in waits:
                    waiting.cancel()
            if self._in_flight:
                await asyncio.wait(self._in_flight, timeout=self.settings.webhooks_timeout_seconds)
        finally:
            if self._refreshing is not None and not self._refreshing.done():
                # The chunk under way rolls back; the next start takes it up again.
                self._refreshing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._refreshing
            if self._client is None:
                await client.aclose()

    async def tick(self, client: httpx.AsyncClient) -> int:
        """One pass: queue deliveries for new events, start the due ones. Returns how many
        sends it started."""
        await self.purge()
        self.refresh_checks()
        async with self.db.session() as session:
            await queue.derive(session)
        free = self.settings.webhooks_concurrency - len(self._in_flight)
        if free <= 0:
            return 0
        async with self.db.session() as session:
            leases = await queue.lease(session, self.settings, free)
        for claimed in leases:
            task = asyncio.create_task(self._deliver(client, claimed))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return len(leases)

    async def purge(self) -> None:
        """Delete what is past the retention, at most once an hour (nothing when it is 0)."""
        days = self.settings.events_retention_days
        now = time.monotonic()
        if not days or (
            self._purged_at is not None and now - self._purged_at < PURGE_EVERY_SECONDS
        ):
            return
        self._purged_at = now
        async with self.db.session() as session:
            gone = await events.purge_expired(session, days)
            gone_deliveries = await queue.purge_deliveries(session, days)
        if gone or gone_deliveries:
            log.info("retention", extra={"events": gone, "deliveries": gone_deliveries})

    def refresh_checks(self) -> asyncio.Task | None:
        """Start storing today's checks when no refresh has started today (or the last one
        failed over an hour ago); the task that does it, or None."""
        today = rules.today().isoformat()
        if (
            not self._daily_checks
            or self._checks_day == today
            or (self._refreshing is not None and not self._refreshing.done())
            or time.monotonic() < self._checks_retry_at
        ):
            return None
        self._checks_day = today
        self._refreshing = asyncio.create_task(self._refresh_checks())
        return self._refreshing

    async def _refresh_checks(self) -> None:
        started = time.monotonic()
        try:
            refreshed = await daily_checks.refresh_stale_checks(self.db)
        except Exception:
            checks_log.exception("refreshing the day's criteria checks failed; retrying in an hour")
            self._checks_day = None
            self._checks_retry_at = time.monotonic() + PURGE_EVERY_SECONDS
            return
        seconds = round(time.monotonic() - started, 1)
        checks_log.info(
            "criteria checks refreshed", extra={"nominations": refreshed, "seconds": seconds}
        )

    async def drain(self, client: httpx.AsyncClient) -> None:
        """Pass until nothing is due or under way (tests and benchmarks)."""
        while await self.tick(client) or self._in_flight:
            if self._in_flight:
                await asyncio.wait(self._in_flight)

    async def _deliver(self, client: httpx.AsyncClient, claimed: queue.Lease) -> None:
        attempt = await sending.send(
            client, self.settings, claimed.url, claimed.signing_secrets,
            claimed.message_id, claimed.payload,
        )  # fmt: skip
        try:
            async with self.db.session() as session:
                await queue.record(session, self.settings, claimed, attempt)
        except Exception:
            log.exception("recording webhook delivery %s failed", claimed.delivery_id)
        log.info(
            "webhook delivery",
            extra={
                "delivery_id": claimed.delivery_id,
                "subscription_id": claimed.subscription_id,
                "status_code": attempt.status_code,
                "duration_ms": attempt.duration_ms,
            },
        )
        # The subscription's next message may be due now: do not wait for the poll.
        self._wake.set()


async def main(settings: Settings) -> None:
    """Run one worker until SIGINT or SIGTERM."""
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    db = Database(settings)
    try:
        log.info("webhook worker started")
        await Worker(db, settings, daily_checks=True).run(stop)
    finally:
        await db.dispose()
