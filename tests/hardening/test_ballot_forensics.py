"""After the close, the database files hold nothing that pairs a member with a choice: no
sealed ballot in the SQLite file or its WAL, no dead sealed tuple on PostgreSQL, and no
participation row sharing a transaction id with a sealed ballot while the meeting is open."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.models import SealedBallot
from app.services.meetings.secrecy import BallotKeys
from tests.factories_council import (
    API,
    CSTD_TINH,
    ballot,
    council_with_members,
    eligible_nominations,
    open_meeting_with,
    vote,
)

_BASE64URL = re.compile(rb"[A-Za-z0-9_-]{40,}={0,2}")


async def _cast_five(app, client, session):
    group = await council_with_members(app, session, 5)
    nominations = await eligible_nominations(session, CSTD_TINH, 2)
    mid, admin = await open_meeting_with(app, client, session, group, nominations, kind="regular")
    for i, headers in enumerate(group.headers):
        choice = ("approve", "reject", "abstain")[i % 3]
        assert (await vote(client, mid, headers, ballot(nominations, choice))).status_code == 201
    sealed = list(await session.scalars(select(SealedBallot.sealed)))
    await session.commit()
    return mid, admin, sealed


def _database_files(app) -> list[Path]:
    db = Path(app.state.db.url.split("///", 1)[1])
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-journal")) if p.exists()]


async def test_no_sealed_ballot_survives_the_close_in_the_sqlite_files(
    app, client, session, is_postgres
):
    if is_postgres:
        pytest.skip("the SQLite file and its WAL")
    mid, admin, sealed = await _cast_five(app, client, session)
    assert len(sealed) == 5

    closed = await client.post(f"{API}/meetings/{mid}/close", headers=admin)

    assert closed.status_code == 200, closed.text
    keys = BallotKeys.from_secret(app.state.settings.resolved_ballot_secret)
    for path in _database_files(app):
        raw = path.read_bytes()
        assert not any(c.encode() in raw for c in sealed), f"a sealed ballot is left in {path}"
        opened = [b for b in _BASE64URL.findall(raw) if keys.open_ballot(mid, b.decode())]
        assert opened == [], f"{len(opened)} ballots open from {path}"
    wal = [p for p in _database_files(app) if p.name.endswith("-wal")]
    assert all(p.stat().st_size == 0 for p in wal)


async def test_a_participation_never_shares_a_transaction_id_with_a_sealed_ballot(
    app, client, session, is_postgres
):
    if not is_postgres:
        pytest.skip("xmin is PostgreSQL's")
    mid, _, _ = await _cast_five(app, client, session)

    shared = (
        await session.execute(
            text(
                "SELECT count(*) FROM ballot_participations p "
                "JOIN sealed_ballots s ON s.xmin = p.xmin WHERE p.meeting_id = :m"
            ),
            {"m": mid},
        )
    ).scalar()
    await session.commit()

    assert shared == 0


async def test_no_dead_sealed_tuple_is_left_on_postgres(app, client, session, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL's heap pages")
    mid, admin, sealed = await _cast_five(app, client, session)
    _, _, both = await _cast_five(app, client, session)
    still_open = [c for c in both if c not in sealed]
    # A transaction that began before the close: it must not keep the dead ballots alive.
    async with app.state.db.engine.connect() as old:
        await old.execute(text("SELECT count(*) FROM meetings"))

        closed = await client.post(f"{API}/meetings/{mid}/close", headers=admin)

        assert closed.status_code == 200, closed.text
        raw = await _raw_pages(session, "sealed_ballots")
        left = list(await session.scalars(select(SealedBallot.sealed)))
        await session.commit()
    assert not any(c.encode() in raw for c in sealed)
    assert sorted(left) == sorted(still_open)  # the other meeting's ballots are kept


async def _raw_pages(session, table: str) -> bytes:
    """Every page of `table` as stored, dead tuples included (pageinspect)."""
    await session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    size = text(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int")
    pages = (await session.execute(size)).scalar()
    page = text(f"SELECT get_raw_page('{table}', :n)")
    return b"".join([bytes((await session.execute(page, {"n": n})).scalar()) for n in range(pages)])
