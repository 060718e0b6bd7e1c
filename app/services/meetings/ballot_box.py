"""The sealed-ballot machinery (bỏ phiếu kín), whoever votes: the council's members at a
meeting, or a khối's member units at the cluster meeting (emulation/votes.py).

A `BallotBox` names where one kind of vote keeps its ballots: a participation table (that a
voter voted, and whether present — never what, never when), a sealed-ballot table (choices
encrypted under the ballot key while the vote is open), a choice table (written only at the
close, shuffled, under random ids, in one statement, with no voter and nothing grouping one
ballot's choices) and the shared `ballot_receipts` (a read-back copy only the voter's one-time
receipt opens). Each kind has its own tables because their foreign keys differ; their shape,
and every step below, is the same: on SQLite the tables are WITHOUT ROWID, the sealed ballot
is written in a savepoint of its own (no shared PostgreSQL xmin with the participation), the
audit entry names no voter, and the close purges the sealed rows so no copy stays behind
(TRUNCATE on PostgreSQL; secure_delete plus the WAL scrub on SQLite, see scrub.py).
"""

import random
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import is_postgresql
from app.core.errors import Conflict, NotFound, Unauthorized, Unprocessable
from app.core.orm import flush_or_conflict
from app.models import AuditEntry, BallotReceipt
from app.services.meetings.secrecy import BallotKeys, new_receipt, open_readback, seal_readback

ALREADY_VOTED = "Thành viên đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ bỏ một phiếu."
_CHUNK = 5000


@dataclass(frozen=True)
class BallotBox:
    """Where one kind of vote keeps its ballots, and the column names that tie them to it."""

    prefix: str  # sealed data is bound to `prefix + vote id` (the council's meetings: "")
    participation: Any
    sealed: Any
    choice: Any
    box: str  # the vote's column in each table ("meeting_id")
    voter: str  # the voter's column in the participation table ("member_id")
    item: str  # the voted item's column in the choice table ("nomination_id")
    place: str  # where a ballot is cast, in the voter's words ("phiên họp")

    def context(self, box_id: int) -> str:
        """What each sealed ballot and read-back copy is bound to (AES-GCM associated data):
        a ballot moved to another vote, or to another kind of vote, no longer opens."""
        return f"{self.prefix}{box_id}"


async def participate(
    session: AsyncSession, box: BallotBox, box_id: int, voter_id: int, cast_as: str
) -> None:
    """Record that `voter_id` voted; 409 `already_voted` on a second ballot (the primary key
    decides between concurrent ones)."""
    table = box.participation
    voted = await session.scalar(
        select(
            exists().where(getattr(table, box.box) == box_id, getattr(table, box.voter) == voter_id)
        )
    )
    if voted:
        raise Conflict(ALREADY_VOTED, code="already_voted")
    session.add(table(**{box.box: box_id, box.voter: voter_id, "cast_as": cast_as}))
    await flush_or_conflict(session, ALREADY_VOTED, code="already_voted")


async def seal_apart(
    session: AsyncSession, keys: BallotKeys, box: BallotBox, box_id: int, votes: list[dict]
) -> None:
    """Write the sealed ballot in a subtransaction of its own (a savepoint): committed or
    rolled back with the participation, yet PostgreSQL stamps it with its own transaction id,
    so no `xmin` is shared by a voter's participation row and their sealed ballot."""
    sealed = keys.seal_ballot(box.context(box_id), votes)
    async with session.begin_nested():
        session.add(box.sealed(**{"id": str(uuid.uuid4()), box.box: box_id, "sealed": sealed}))
        await session.flush()


def store_receipt(
    session: AsyncSession, keys: BallotKeys, box: BallotBox, box_id: int, readback: dict
) -> str:
    """A one-time receipt for the voter; only it opens the read-back copy (`readback`)."""
    receipt = new_receipt()
    session.add(
        BallotReceipt(
            receipt_key=keys.receipt_name(receipt),
            sealed=seal_readback(receipt, box.context(box_id), readback),
        )
    )
    return receipt


async def read_receipt(
    session: AsyncSession, keys: BallotKeys, box: BallotBox, box_id: int, receipt: str
) -> dict | None:
    """The read-back copy a receipt opens in this vote, or None."""
    sealed = await session.scalar(
        select(BallotReceipt.sealed).where(BallotReceipt.receipt_key == keys.receipt_name(receipt))
    )
    return open_readback(receipt, box.context(box_id), sealed) if sealed else None


async def read_own(
    session: AsyncSession,
    keys: BallotKeys,
    box: BallotBox,
    box_id: int,
    receipt: str | None,
    voter_id: int | None,
) -> dict:
    """The voter's own ballot read back through the receipt given when it was cast: the
    account alone is not enough (whoever can reset a voter's password must not read their
    choices), nor is the receipt alone (another voter who got hold of it reads nothing, as if
    the receipt were wrong). No receipt: 401 `receipt_required`; else 404 `ballot_not_found`."""
    if not receipt:
        raise Unauthorized(
            "Cần biên nhận phiếu (tiêu đề X-Ballot-Receipt) nhận được khi bỏ phiếu.",
            code="receipt_required",
            headers={},
        )
    data = await read_receipt(session, keys, box, box_id, receipt)
    if data is None or data.get(box.voter) != voter_id:
        raise NotFound(
            f"Không có phiếu nào ứng với biên nhận này trong {box.place}.",
            code="ballot_not_found",
        )
    return data


def record_anonymous(session: AsyncSession, action: str, entity_type: str, entity_id: int) -> None:
    """The audit trail says a ballot was cast, and nothing that names or times the voter
    beyond the entry's own time: no actor, no request id (which would lead to the log)."""
    session.add(
        AuditEntry(
            actor_id=None, actor_role=None, actor_name=None, action=action,
            entity_type=entity_type, entity_id=entity_id,
            comment="Một phiếu biểu quyết đã được bỏ.", request_id=None,
        )
    )  # fmt: skip


async def unseal_all(session: AsyncSession, keys: BallotKeys, box: BallotBox, box_id: int) -> None:
    """Open every sealed ballot of the vote, in the closing transaction (which holds the vote's
    lock, so no ballot comes in meanwhile), and write the choices as plain rows: shuffled,
    under random ids, in one statement per chunk, nothing grouping one ballot's choices. All
    rows share this transaction, so nothing in the storage links a choice to a participation.
    The sealed rows are then purged."""
    sealed_table = box.sealed
    sealed = list(
        await session.scalars(
            select(sealed_table.sealed).where(getattr(sealed_table, box.box) == box_id)
        )
    )
    rows = []
    for ciphertext in sealed:
        votes = keys.open_ballot(box.context(box_id), ciphertext)
        if votes is None:
            raise Conflict(
                "Không mở được phiếu kín: khoá bỏ phiếu của hệ thống đã thay đổi khi phiên họp "
                "đang diễn ra. Khôi phục khoá cũ rồi bế mạc lại.",
                code="ballot_unreadable",
            )
        rows.extend({box.box: box_id, box.item: v[box.item], "choice": v["choice"]} for v in votes)
    random.SystemRandom().shuffle(rows)
    for row in rows:
        row["id"] = str(uuid.uuid4())
    for start in range(0, len(rows), _CHUNK):
        await session.execute(insert(box.choice).values(rows[start : start + _CHUNK]))
    await purge_sealed(session, box, box_id)


async def purge_sealed(session: AsyncSession, box: BallotBox, box_id: int) -> None:
    """Remove the vote's sealed ballots, leaving no dead copy behind on PostgreSQL: a DELETE
    leaves dead tuples that no VACUUM may remove while an older transaction runs, so the table
    is truncated (a new file; the old one is unlinked at commit) and the sealed ballots of
    votes still open are carried over within the same transaction."""
    table = box.sealed
    if not is_postgresql(session):
        await session.execute(delete(table).where(getattr(table, box.box) == box_id))
        return
    # Names of this module's own tables and columns, never input.
    name, column = table.__tablename__, box.box
    kept = f"SELECT id, {column}, sealed FROM {name} WHERE {column} <> :m"  # noqa: S608
    await session.execute(
        text(f"CREATE TEMPORARY TABLE {name}_kept ON COMMIT DROP AS {kept}"), {"m": box_id}
    )
    await session.execute(text(f"TRUNCATE {name}"))
    back = f"INSERT INTO {name} (id, {column}, sealed) SELECT * FROM {name}_kept"  # noqa: S608
    await session.execute(text(back))


async def count_choices(
    session: AsyncSession, box: BallotBox, box_id: int
) -> dict[int, dict[str, int]]:
    """item id → {choice: count}, counted in SQL (GROUP BY), never ballot by ballot."""
    table = box.choice
    item = getattr(table, box.item)
    rows = await session.execute(
        select(item, table.choice, func.count())
        .where(getattr(table, box.box) == box_id)
        .group_by(item, table.choice)
    )
    counts: dict[int, dict[str, int]] = {}
    for item_id, choice, n in rows:
        counts.setdefault(item_id, {})[choice] = int(n)
    return counts


def check_complete(agenda: list[int], given: list[int]) -> None:
    """Every item on the agenda voted exactly once, nothing else (422 `ballot_incomplete`)."""
    missing = [n for n in agenda if n not in given]
    extra = sorted({n for n in given if n not in agenda})
    repeated = sorted({n for n in given if given.count(n) > 1})
    if missing or extra or repeated:
        raise Unprocessable(
            "Phiếu phải biểu quyết mỗi đề nghị trong chương trình đúng một lần"
            + (f"; còn thiếu {missing}" if missing else "")
            + (f"; không có trong chương trình {extra}" if extra else "")
            + (f"; lặp lại {repeated}" if repeated else "")
            + ".",
            code="ballot_incomplete",
            missing=missing,
            not_on_agenda=extra,
            repeated=repeated,
        )
