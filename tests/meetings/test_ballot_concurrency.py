"""Concurrent ballots: twenty at once from one member count once; a ballot racing the close is
either counted or refused, never half-applied; the same holds across two API processes sharing
one PostgreSQL database."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.core.config import PROJECT_ROOT
from app.models import AgendaItem, BallotChoice, BallotParticipation, BallotReceipt, SealedBallot
from tests.conftest import TEST_SECRET
from tests.factories import signed_in
from tests.factories_council import (
    API,
    CO_THI_DUA,
    ballot,
    council_with_members,
    eligible_nominations,
    make_meeting,
    open_meeting_with,
    vote,
)

READY_TIMEOUT_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 60


async def _counts(session, mid: int) -> tuple[int, int, int]:
    rows = []
    for model in (BallotParticipation, BallotChoice):
        rows.append(
            await session.scalar(
                select(func.count()).select_from(model).where(model.meeting_id == mid)
            )
        )
    rows.append(await session.scalar(select(func.count()).select_from(BallotReceipt)))
    await session.commit()
    return rows[0], rows[1], rows[2]


async def test_twenty_parallel_ballots_of_one_member_count_once(app, client, session):
    group = await council_with_members(app, session, 3)
    nominations = await eligible_nominations(session, CO_THI_DUA, 2)
    mid, _ = await open_meeting_with(app, client, session, group, nominations)

    responses = await asyncio.gather(
        *(vote(client, mid, group.headers[0], ballot(nominations)) for _ in range(20))
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 19}, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_voted"}
    # Choices stay sealed until the close: one participation, one sealed ballot, one receipt.
    assert await _counts(session, mid) == (1, 0, 1)
    sealed = await session.scalar(
        select(func.count()).select_from(SealedBallot).where(SealedBallot.meeting_id == mid)
    )
    await session.commit()
    assert sealed == 1


async def test_a_ballot_racing_the_close_is_counted_or_refused_whole(app, client, session):
    group = await council_with_members(app, session, 5)
    nominations = await eligible_nominations(session, CO_THI_DUA, 3)
    mid, admin = await open_meeting_with(app, client, session, group, nominations)
    for headers in group.headers[:2]:
        await vote(client, mid, headers, ballot(nominations))

    racing = [vote(client, mid, h, ballot(nominations, "reject")) for h in group.headers[2:]]
    close, *ballots = await asyncio.gather(
        client.post(f"{API}/meetings/{mid}/close", headers=admin), *racing
    )

    assert close.status_code == 200, close.text
    assert all(b.status_code in (201, 409) for b in ballots), [b.text for b in ballots]
    accepted = sum(b.status_code == 201 for b in ballots)
    refused = [b.json()["code"] for b in ballots if b.status_code == 409]
    assert set(refused) <= {"meeting_not_open"}
    results = (await client.get(f"{API}/meetings/{mid}/results", headers=admin)).json()["items"]
    for item in results:
        assert (item["approve"], item["reject"], item["abstain"]) == (2, accepted, 0)
    participations, choices, _ = await _counts(session, mid)
    assert (participations, choices) == (2 + accepted, 3 * (2 + accepted))


# ---- two processes, one PostgreSQL database --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(database_url: str, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TDKT_DATABASE_URL": database_url,
        "TDKT_JWT_SECRET": TEST_SECRET,
        "TDKT_LOAD_REFERENCE_DATA": "false",
        "TDKT_ENV": "test",
        "TDKT_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable, "-m", "uvicorn", "app.asgi:app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


async def _wait_ready(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    async with httpx.AsyncClient(timeout=2) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"server exited: {_tail(log)}")
            try:
                if (await http.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"{base} not ready after {READY_TIMEOUT_SECONDS}s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def test_two_api_processes_count_one_ballot_per_member(
    app, client, session, is_postgres, tmp_path
):
    if not is_postgres:
        pytest.skip("two processes need a shared PostgreSQL database")
    group = await council_with_members(app, session, 5)
    nominations = await eligible_nominations(session, CO_THI_DUA, 2)
    mid, admin = await open_meeting_with(app, client, session, group, nominations)
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"server-{p}.log" for p in ports]
    url = app.state.settings.database_url
    servers = [_start_server(url, p, log) for p, log in zip(ports, logs, strict=True)]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for base, process, log in zip(bases, servers, logs, strict=True):
            await _wait_ready(base, process, log)
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS) as http:
            same = [
                http.post(f"{bases[i % 2]}{API}/meetings/{mid}/ballots",
                          json=ballot(nominations), headers=group.headers[0])
                for i in range(20)
            ]  # fmt: skip
            others = [
                http.post(f"{bases[i % 2]}{API}/meetings/{mid}/ballots",
                          json=ballot(nominations, "reject"), headers=h)
                for i, h in enumerate(group.headers[1:])
            ]  # fmt: skip
            responses = await asyncio.gather(*same, *others)
    finally:
        for process in servers:
            _stop(process)

    mine, theirs = responses[:20], responses[20:]
    assert Counter(r.status_code for r in mine) == {201: 1, 409: 19}, [r.text for r in mine]
    assert [r.status_code for r in theirs] == [201, 201, 201, 201]
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    results = (await client.get(f"{API}/meetings/{mid}/results", headers=admin)).json()["items"]
    assert [(r["approve"], r["reject"]) for r in results] == [(1, 4), (1, 4)]
    assert await _counts(session, mid) == (5, 10, 5)


async def test_two_agendas_taking_one_nomination_at_once_give_it_to_one_meeting(
    app, client, session
):
    group = await council_with_members(app, session, 3)
    nominations = await eligible_nominations(session, CO_THI_DUA, 1)
    meetings = [await make_meeting(session, group.council) for _ in range(2)]
    _, admin = await signed_in(app, session)
    body = {"nomination_ids": [nominations[0].id]}

    responses = await asyncio.gather(
        *(client.put(f"{API}/meetings/{m.id}/agenda", json=body, headers=admin) for m in meetings)
    )

    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    (refused,) = [r.json() for r in responses if r.status_code == 422]
    assert refused["refused"][0]["reason"] == "on_other_agenda"
    taken = await session.scalar(
        select(func.count())
        .select_from(AgendaItem)
        .where(AgendaItem.nomination_id == nominations[0].id)
    )
    await session.commit()
    assert taken == 1
