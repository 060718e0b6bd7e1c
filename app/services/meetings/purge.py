"""Delete a closed meeting's sealed ballots so that no copy stays in the table's storage.

A DELETE leaves dead tuples on PostgreSQL, and neither VACUUM nor VACUUM FULL may remove them
while any transaction older than the close is still running (by MVCC it could still read
them). TRUNCATE is the one removal that does not wait for them: the table gets a new file and
the old one is unlinked when the closing transaction commits. The sealed ballots of other
meetings still open are carried over into the new file within the same transaction.

On SQLite a DELETE is enough: `secure_delete` zeroes the rows and the WAL is truncated after
the commit (scrub.py).
"""

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import is_postgresql
from app.models import SealedBallot


async def purge_sealed(session: AsyncSession, meeting_id: int) -> None:
    """Remove the meeting's sealed ballots, leaving no dead copy behind on PostgreSQL."""
    if not is_postgresql(session):
        await session.execute(delete(SealedBallot).where(SealedBallot.meeting_id == meeting_id))
        return
    await session.execute(
        text(
            "CREATE TEMPORARY TABLE sealed_ballots_kept ON COMMIT DROP AS "
            "SELECT id, meeting_id, sealed FROM sealed_ballots WHERE meeting_id <> :m"
        ),
        {"m": meeting_id},
    )
    await session.execute(text("TRUNCATE sealed_ballots"))
    await session.execute(
        text(
            "INSERT INTO sealed_ballots (id, meeting_id, sealed) "
            "SELECT id, meeting_id, sealed FROM sealed_ballots_kept"
        )
    )
