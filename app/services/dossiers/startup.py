"""Run the attachment housekeeping once when a process starts (see housekeeping.py)."""

import asyncio
import logging

from app.core.config import Settings
from app.core.db import Database
from app.services.dossiers import housekeeping

log = logging.getLogger("tdkt.startup")


async def sweep_attachments(db: Database, settings: Settings) -> housekeeping.Swept:
    """Remove stale `.part` files and stored files no row names; log how many."""
    directory = settings.attachments_dir
    parts = await asyncio.to_thread(housekeeping.remove_stale_parts, directory)
    candidates = await asyncio.to_thread(housekeeping.stored_candidates, directory)
    orphans = []
    if candidates:
        async with db.sessionmaker() as session:  # read only: closing it ends the read
            orphans = await housekeeping.unreferenced(session, candidates)
    for path in orphans:
        await asyncio.to_thread(path.unlink, missing_ok=True)
    if parts or orphans:
        log.warning(
            "removed files left by an interrupted upload",
            extra={"parts": parts, "orphans": len(orphans)},
        )
    return housekeeping.Swept(parts=parts, orphans=len(orphans))
