"""After a meeting closes, leave nothing in SQLite's files that pairs voter and choice.

The close deletes the sealed ballots in its transaction (ballot_box.purge_sealed; PostgreSQL
truncates the table, which leaves no dead tuple and needs nothing more). Deleted is not gone on
SQLite: the WAL keeps every page the meeting's transactions wrote, each cast's participation
beside its sealed ballot, until a checkpoint overwrites it. So once the close has committed,
the WAL is checkpointed into the database file and truncated to zero bytes; `secure_delete` is
on for every connection, so the deleted rows are zeros in the checkpointed pages. The same runs
at start-up, for a process that died between the commit and this step.
"""

import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import truncate_wal

log = logging.getLogger("tdkt.ballots")


async def scrub_closed_ballots(engine: AsyncEngine) -> None:
    """Checkpoint SQLite's WAL and truncate it (nothing to do on PostgreSQL)."""
    if not await truncate_wal(engine):
        log.warning("the WAL could not be truncated after a meeting closed (a reader held it)")
