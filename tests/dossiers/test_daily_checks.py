"""The day's checks are stored ahead of the reads (`tdkt refresh-checks`, the worker once a day):
after it, a dossier read and a list page find every nomination's checks stored for today and
compute none; an input changed meanwhile is never overwritten; frozen checks stay as they were
concluded."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.core.statuses import NominationStatus
from app.models import Nomination
from app.services.dossiers import checks, daily_checks, rules
from app.services.dossiers.checks import freeze
from app.services.nominees.criteria_inputs import inputs_changed
from app.worker import Worker
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round

API = "/api/v1"


@pytest.fixture
def evaluations(monkeypatch):
    """How many nominations had their checks computed (every path goes through `_evaluate`)."""
    computed: list[int] = []
    evaluate = checks._evaluate

    async def counting(session, nominations, years):
        computed.extend(n.id for n in nominations)
        return await evaluate(session, nominations, years)

    monkeypatch.setattr(checks, "_evaluate", counting)
    return computed


def _next_day(monkeypatch) -> str:
    """Move the business clock to the next day in Việt Nam; returns that day."""
    later = rules.now() + timedelta(days=1)
    monkeypatch.setattr(rules, "now", lambda: later)
    return rules.today().isoformat()


async def _stored(session) -> dict[int, tuple[str | None, dict | None, int]]:
    session.expire_all()
    rows = await session.execute(
        select(Nomination.id, Nomination.checks_tally, Nomination.criteria_checks,
               Nomination.checks_stamp)
    )  # fmt: skip
    stored = {i: (t, c, s) for i, t, c, s in rows}
    await session.rollback()  # the test's session holds no lock while the refresh runs
    return stored


async def _dossiers(session, count: int = 4):
    """Dossiers loaded in bulk (three nominations each, no checks stored)."""
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp")
    made = [await make_dossier(session, unit, round_, nominations=3) for _ in range(count)]
    await session.commit()
    return made


async def test_after_the_refresh_reads_compute_no_checks(
    app, client, session, count_queries, evaluations, monkeypatch
):
    dossiers = await _dossiers(session)
    _, headers = await signed_in(app, session)
    refreshed = await daily_checks.refresh_stale_checks(app.state.db)
    with count_queries() as fresh_day:
        await client.get(f"{API}/dossiers?limit=50", headers=headers)
    tomorrow = _next_day(monkeypatch)
    with count_queries() as stale_day:
        await client.get(f"{API}/dossiers?limit=50", headers=headers)

    again = await daily_checks.refresh_stale_checks(app.state.db, size=5)
    evaluations.clear()
    with count_queries() as listed:
        page = await client.get(f"{API}/dossiers?limit=50", headers=headers)
    with count_queries() as read:
        one = await client.get(f"{API}/dossiers/{dossiers[0].id}", headers=headers)

    assert refreshed == again == 12
    assert {tally.split(" ")[0] for tally, _, _ in (await _stored(session)).values()} == {tomorrow}
    assert page.status_code == 200 and one.status_code == 200
    assert evaluations == []
    assert stale_day.count > fresh_day.count  # the stale checks were computed on the list
    assert listed.count == fresh_day.count, listed.statements
    assert read.count <= 3, read.statements
    assert all(n["checks"]["pass"] + n["checks"]["fail"] + n["checks"]["unknown"]
               for d in page.json()["items"] for n in d["nominations"])  # fmt: skip


async def test_a_second_refresh_the_same_day_finds_nothing_to_do(app, session, evaluations):
    await _dossiers(session, count=2)

    first = await daily_checks.refresh_stale_checks(app.state.db, size=4)
    before = await _stored(session)
    evaluations.clear()
    second = await daily_checks.refresh_stale_checks(app.state.db)

    assert (first, second) == (6, 0)
    assert evaluations == []
    assert await _stored(session) == before


async def test_checks_stored_yesterday_are_computed_again(app, session, monkeypatch):
    await _dossiers(session, count=1)
    await daily_checks.refresh_stale_checks(app.state.db)
    yesterday = await _stored(session)

    tomorrow = _next_day(monkeypatch)
    refreshed = await daily_checks.refresh_stale_checks(app.state.db)
    today = await _stored(session)

    assert refreshed == 3
    for nomination_id, (tally, stored, stamp) in today.items():
        assert tally.startswith(tomorrow + " ") and stored["on"] == tomorrow
        assert stored["checks"] == yesterday[nomination_id][1]["checks"]
        assert stamp == yesterday[nomination_id][2]


async def test_an_input_changed_while_computing_is_not_overwritten(
    app, session, evaluations, monkeypatch
):
    # An import lands between the evaluation and the store: its stamp moves on, the checks of
    # the old facts are not kept, and the next read computes them from the new ones.
    (dossier,) = await _dossiers(session, count=1)
    evaluate = checks._evaluate

    async def changed_meanwhile(session, nominations, years):
        computed = await evaluate(session, nominations, years)
        await inputs_changed(session, dossier_ids=[dossier.id])
        return computed

    monkeypatch.setattr(checks, "_evaluate", changed_meanwhile)
    await daily_checks.refresh_stale_checks(app.state.db)

    stored = await _stored(session)
    assert {(tally, value, stamp) for tally, value, stamp in stored.values()} == {(None, None, 1)}


async def test_frozen_checks_of_concluded_nominations_are_left_as_concluded(
    app, session, evaluations, monkeypatch
):
    (dossier,) = await _dossiers(session, count=1)
    awarded, rejected, draft = sorted(n.id for n in dossier.nominations)
    for nomination_id, status in ((awarded, NominationStatus.AWARDED),
                                  (rejected, NominationStatus.REJECTED)):  # fmt: skip
        await session.execute(
            update(Nomination).where(Nomination.id == nomination_id).values(status=status)
        )
        nomination = await session.get(Nomination, nomination_id)
        await session.refresh(nomination)
        await freeze(session, nomination, dossier.year)
    # checks frozen before their tally said so keep their checks; only the tally catches up
    await session.execute(
        update(Nomination).where(Nomination.id == rejected)
        .values(checks_tally=Nomination.checks_tally.op("||")("x"))
    )  # fmt: skip
    await session.commit()
    concluded = await _stored(session)

    _next_day(monkeypatch)
    evaluations.clear()
    refreshed = await daily_checks.refresh_stale_checks(app.state.db)
    after = await _stored(session)

    assert refreshed == 2 and evaluations == [draft]
    assert after[awarded] == concluded[awarded]
    assert after[awarded][0].endswith(" frozen")
    assert after[rejected][1] == concluded[rejected][1]
    assert after[rejected][0] == concluded[awarded][0]  # both "<day> p f u frozen"
    assert after[draft][0] != concluded[draft][0]


async def test_refreshes_running_at_once_share_the_nominations(app, session, evaluations):
    await _dossiers(session, count=4)

    counts = await asyncio.gather(
        *(daily_checks.refresh_stale_checks(app.state.db, size=2) for _ in range(3))
    )

    assert sum(counts) == 12
    assert sorted(evaluations) == sorted(await _stored(session))


async def test_the_worker_refreshes_once_a_day(app, session, evaluations, monkeypatch):
    await _dossiers(session, count=1)
    worker = Worker(app.state.db, app.state.settings, daily_checks=True)

    first = worker.refresh_checks()
    await first
    same_day = worker.refresh_checks()
    tomorrow = _next_day(monkeypatch)
    await worker.refresh_checks()

    assert first is not None and same_day is None
    assert len(evaluations) == 6
    assert {t.split(" ")[0] for t, _, _ in (await _stored(session)).values()} == {tomorrow}
    assert Worker(app.state.db, app.state.settings).refresh_checks() is None
