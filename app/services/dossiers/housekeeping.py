"""Start-up housekeeping of the attachment folder after a crash.

A process killed mid-upload leaves its `.part` file in `.incoming`; one killed between the
rename into place and the commit leaves a stored file that no row names (the commit never
happened). Neither is ever read again. Only files untouched for a while are removed, so an
upload still being written by another process on the same folder is left alone.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Attachment
from app.services.dossiers.attachments import INCOMING

STALE_AFTER_SECONDS = 60
_BATCH = 500


@dataclass(frozen=True)
class Swept:
    parts: int
    orphans: int


def _stale(path: Path, now: float, older_than: float) -> bool:
    try:
        return now - path.stat().st_mtime > older_than
    except FileNotFoundError:
        return False  # removed meanwhile by another process's sweep


def remove_stale_parts(directory: Path, older_than: float = STALE_AFTER_SECONDS) -> int:
    """Delete `.incoming/*.part` files not written for `older_than` seconds."""
    incoming = directory / INCOMING
    if not incoming.is_dir():
        return 0
    now, removed = time.time(), 0
    for part in incoming.glob("*.part"):
        if _stale(part, now, older_than):
            part.unlink(missing_ok=True)
            removed += 1
    return removed


def stored_candidates(directory: Path, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Stored files (`ab/abcdef…`) old enough that a row would have been committed by now."""
    if not directory.is_dir():
        return []
    now = time.time()
    return [
        path
        for shard in directory.iterdir()
        if shard.is_dir() and shard.name != INCOMING
        for path in shard.iterdir()
        if path.is_file() and _stale(path, now, older_than)
    ]


async def unreferenced(session: AsyncSession, paths: list[Path]) -> list[Path]:
    """The paths whose storage name no attachment row holds."""
    orphans: list[Path] = []
    for start in range(0, len(paths), _BATCH):
        batch = {p.name: p for p in paths[start : start + _BATCH]}
        known = set(
            await session.scalars(
                select(Attachment.storage_name).where(Attachment.storage_name.in_(batch))
            )
        )
        orphans.extend(p for name, p in batch.items() if name not in known)
    return orphans
