"""A round's stored nomination counts (by award type, status, kind and appraisal) move with
every change in the same transaction, whoever writes it: the round report of Sở Nội vụ reads
them, and they must say what grouping the nominations says, on SQLite and PostgreSQL."""

from sqlalchemy import delete, func, select, text, update

from app.models import Dossier, Nomination, RoundNominationCount
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import (
    AWARD,
    load_catalogue,
    make_dossier,
    make_round,
    nomination_body,
)

CSTD = "chien_si_thi_dua_cap_tinh"


async def _stored(session, round_id: int) -> dict[tuple, int]:
    c = RoundNominationCount
    rows = await session.execute(
        select(c.award_type_code, c.status, c.nominee_kind, c.conclusion, c.n).where(
            c.round_id == round_id, c.n != 0
        )
    )
    return {tuple(row[:4]): row[4] for row in rows}


async def _recounted(session, round_id: int) -> dict[tuple, int]:
    key = (
        Nomination.award_type_code,
        Nomination.status,
        Nomination.nominee_kind,
        func.coalesce(Nomination.appraisal_conclusion, ""),
    )
    rows = await session.execute(
        select(*key, func.count())
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(Dossier.round_id == round_id)
        .group_by(*key)
    )
    return {tuple(row[:4]): row[4] for row in rows}


async def _assert_kept(session, *round_ids: int) -> None:
    for round_id in round_ids:
        assert await _stored(session, round_id) == await _recounted(session, round_id)


async def test_the_report_follows_nominations_added_changed_removed_and_submitted(
    app, client, session
):
    """Through the API: Sở Nội vụ's report (stored counts) says after each step what the
    unit's own report (its nominations grouped) says."""
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    round_id = round_.id
    await session.commit()
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    _, noi_vu = await signed_in(app, session)
    report = f"/api/v1/reports/dossiers?round_id={round_id}"

    async def both() -> tuple[dict, dict]:
        mine = (await client.get(report, headers=owner)).json()
        every = (await client.get(report, headers=noi_vu)).json()
        assert every["nominations"] == mine["nominations"]
        assert every["by_award_type"] == mine["by_award_type"]
        return every["nominations"], {
            t["award_type_code"]: t["total"] for t in every["by_award_type"]
        }

    # A draft with its papers; the nominations come through the API.
    dossier = await make_dossier(session, unit, round_, nominations=0)
    await session.commit()
    dossier_id = dossier.id
    base = f"/api/v1/dossiers/{dossier_id}/nominations"
    added = [
        await client.post(base, json=nomination_body(**extra), headers=owner)
        for extra in ({}, {"nominee_kind": "collective", "nominee_name": "Phòng Một",
                           "position": None, "birth_year": None}, {})
    ]  # fmt: skip
    assert [a.status_code for a in added] == [201] * 3, added[1].text
    first, second, _ = (a.json()["id"] for a in added)
    totals, per_type = await both()
    assert totals["total"] == 3 and totals["collective"] == 1
    assert totals["by_status"] == {"draft": 3} and per_type == {AWARD: 3}

    changed = await client.patch(
        f"{base}/{first}", json={"award_type_code": CSTD},
        headers={**owner, "If-Match": "*"},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    totals, per_type = await both()
    assert per_type == {AWARD: 2, CSTD: 1}

    for nomination_id in (first, second):
        removed = await client.delete(f"{base}/{nomination_id}", headers=owner)
        assert removed.status_code == 204, removed.text
    totals, per_type = await both()
    assert totals["total"] == 1 and totals["collective"] == 0 and per_type == {AWARD: 1}

    submitted = await client.post(f"/api/v1/dossiers/{dossier_id}/submit", headers=owner)
    assert submitted.status_code == 200, submitted.text
    totals, _ = await both()
    assert totals["by_status"] == {"submitted": 1}
    await _assert_kept(session, round_id)


async def test_status_appraisal_kind_and_award_changes_move_the_counts(session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    dossier = await make_dossier(session, unit, round_, status="submitted", nominations=3)
    await session.commit()
    await _assert_kept(session, round_.id)
    assert await _stored(session, round_.id) == {(AWARD, "submitted", "individual", ""): 3}

    one, two, three = dossier.nominations
    one.status, one.appraisal_conclusion = "eligible", "eligible"
    two.award_type_code = CSTD
    three.nominee_kind = "collective"
    await session.commit()
    await _assert_kept(session, round_.id)
    assert await _stored(session, round_.id) == {
        (AWARD, "eligible", "individual", "eligible"): 1,
        (CSTD, "submitted", "individual", ""): 1,
        (AWARD, "submitted", "collective", ""): 1,
    }

    # A statement that bypasses the ORM, as a batch would.
    await session.execute(
        update(Nomination).where(Nomination.dossier_id == dossier.id).values(status="approved")
    )
    await session.commit()
    await _assert_kept(session, round_.id)
    assert sum((await _stored(session, round_.id)).values()) == 3


async def test_a_rolled_back_change_leaves_the_counts_as_they_were(session):
    await load_catalogue(session)
    round_ = await make_round(session)
    dossier = await make_dossier(session, await make_unit(session), round_, nominations=2)
    round_id = round_.id
    await session.commit()
    before = await _stored(session, round_id)

    dossier.nominations[0].status = "withdrawn"
    await session.flush()
    await session.rollback()

    assert await _stored(session, round_id) == before == {(AWARD, "draft", "individual", ""): 2}


async def test_a_dossier_moved_to_another_round_takes_its_counts(session):
    await load_catalogue(session)
    first = await make_round(session)
    second = await make_round(session, number=2)
    unit = await make_unit(session)
    moving = await make_dossier(session, unit, first, nominations=2)
    await make_dossier(session, unit, first, nominations=1)
    await session.commit()

    moving.round_id = second.id
    await session.commit()
    await _assert_kept(session, first.id, second.id)
    assert await _stored(session, first.id) == {(AWARD, "draft", "individual", ""): 1}
    assert await _stored(session, second.id) == {(AWARD, "draft", "individual", ""): 2}

    moving.round_id = None  # an unscheduled dossier belongs to no round
    await session.commit()
    await _assert_kept(session, first.id, second.id)
    assert await _stored(session, second.id) == {}


async def test_a_deleted_dossier_takes_its_nominations_counts(session):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    gone = await make_dossier(session, unit, round_, nominations=3)
    await make_dossier(session, unit, round_, nominations=1)
    await session.commit()

    await session.execute(text("DELETE FROM attachments WHERE dossier_id = :id"), {"id": gone.id})
    await session.execute(delete(Dossier).where(Dossier.id == gone.id))
    await session.commit()

    await _assert_kept(session, round_.id)
    assert await _stored(session, round_.id) == {(AWARD, "draft", "individual", ""): 1}
