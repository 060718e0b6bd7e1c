"""The unfiltered dossier list's `total` is read from per-year counts the database keeps: it
must say, after every change, how many dossiers there are, on SQLite and PostgreSQL."""

from sqlalchemy import delete, func, select, text, update

from app.models import Dossier, DossierTotal
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round


async def _totals(session) -> dict[int, int]:
    rows = await session.execute(
        select(DossierTotal.year, DossierTotal.n).where(DossierTotal.n != 0)
    )
    return dict(rows.all())


async def _counted(session) -> dict[int, int]:
    rows = await session.execute(select(Dossier.year, func.count()).group_by(Dossier.year))
    return dict(rows.all())


async def test_the_unfiltered_total_follows_every_dossier_added_moved_and_removed(
    app, client, session
):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session)
    first = await make_dossier(session, unit, round_)
    second = await make_dossier(session, unit, round_)
    await make_dossier(session, unit, None, year=2025)
    await session.commit()
    first_id, second_id = first.id, second.id
    _, noi_vu = await signed_in(app, session)

    async def total() -> int:
        body = (await client.get("/api/v1/dossiers?limit=1", headers=noi_vu)).json()
        assert body["total"] == await session.scalar(select(func.count()).select_from(Dossier))
        assert await _totals(session) == await _counted(session)
        return body["total"]

    assert await total() == 3

    created = await client.post(
        "/api/v1/dossiers",
        json={"kind": "periodic", "round_id": round_.id, "title": "Tờ trình"},
        headers=(await signed_in(app, session, "unit", unit_id=unit.id))[1],
    )
    assert created.status_code == 201, created.text
    assert await total() == 4

    await session.execute(update(Dossier).where(Dossier.id == first_id).values(year=2024))
    await session.commit()
    assert await total() == 4
    assert await _totals(session) == {2024: 1, 2025: 1, 2026: 2}

    await session.execute(text("DELETE FROM attachments WHERE dossier_id = :id"), {"id": second_id})
    await session.execute(delete(Dossier).where(Dossier.id == second_id))
    await session.commit()
    assert await total() == 3


async def test_a_unit_still_counts_only_its_own_dossiers(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    mine, other = await make_unit(session), await make_unit(session)
    await make_dossier(session, mine, round_)
    await make_dossier(session, other, round_)
    await session.commit()
    _, unit = await signed_in(app, session, "unit", unit_id=mine.id)

    body = (await client.get("/api/v1/dossiers", headers=unit)).json()

    assert body["total"] == 1 and len(body["items"]) == 1
