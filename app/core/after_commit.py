"""Work that must run only once the request's transaction has committed, outside it.

A service cannot commit, yet some clean-up must follow the commit (a VACUUM cannot run inside
a transaction; a WAL checkpoint must see the committed pages). The service registers it on
the session; `TransactionalRoute` runs it right after the commit. A rolled-back request runs
nothing. A failure is logged, never turned into an error: the change itself is committed.
"""

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

_KEY = "tdkt_after_commit"
log = logging.getLogger("tdkt.after_commit")

Job = Callable[[], Awaitable[None]]


def schedule(session: AsyncSession, job: Job) -> None:
    """Run `job` after this session's transaction commits (once, in the order scheduled)."""
    session.info.setdefault(_KEY, []).append(job)


async def run(session: AsyncSession) -> None:
    """Run and forget the jobs scheduled on `session`; called after its commit."""
    jobs = session.info.pop(_KEY, [])
    for job in jobs:
        try:
            await job()
        except Exception:
            log.exception("a job after the commit failed")
