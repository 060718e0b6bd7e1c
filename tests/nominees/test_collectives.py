"""Collectives have an identity of their own: a hospital's awards are not its sở's."""

import pytest
from sqlalchemy import select

from app.models import Nomination
from app.services.dossiers import checks
from app.services.nominees.collectives import name_key
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import (
    AWARD_DOCS,
    load_catalogue,
    make_round,
    nomination_body,
    upload,
)

API = "/api/v1"
BANG_KHEN = "bang_khen_chu_tich_ubnd_tinh"
HEADER = "Họ và tên,Loại,Đơn vị,Danh hiệu,Năm,Số quyết định,Ngày quyết định\n"


def _import(client, headers, text: str):
    return client.post(
        f"{API}/award-history/import",
        files={"file": ("lich-su.csv", text.encode("utf-8-sig"), "text/csv")},
        headers=headers,
    )


def _collective(name: str, unit_id: int) -> dict:
    return nomination_body(
        nominee_kind="collective", nominee_name=name, nominee_unit_id=unit_id,
        award_type_code=BANG_KHEN, position=None, birth_year=None,
    )  # fmt: skip


def _check(nomination: dict, rule: str) -> dict:
    return next(c for c in nomination["checks"] if c["rule"] == rule)


async def test_a_hospitals_awards_do_not_make_its_parent_so_pass(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    so_y_te = await make_unit(session, name="Sở Y tế", code="SYT")
    await session.commit()
    _, admin = await signed_in(app, session)
    _, unit = await signed_in(app, session, "unit", unit_id=so_y_te.id)
    rows = "".join(
        f"Bệnh viện Đa khoa tỉnh Sơn La,Tập thể,Sở Y tế,Tập thể lao động xuất sắc,{y},"
        f"{y}/QĐ-UBND,20/12/{y}\n"
        for y in (2024, 2025)
    )
    imported = await _import(client, admin, HEADER + rows)

    drafted = await client.post(
        f"{API}/dossiers",
        json={
            "round_id": round_.id, "kind": "periodic", "title": "Tờ trình Sở Y tế",
            "nominations": [
                _collective("Sở Y tế", so_y_te.id),
                _collective("Phòng Nghiệp vụ Y, Sở Y tế", so_y_te.id),
                _collective("Bệnh viện đa khoa tỉnh Sơn La", so_y_te.id),
            ],
        },
        headers=unit,
    )  # fmt: skip

    assert imported.status_code == 200 and imported.json()["imported"] == 2, imported.text
    assert drafted.status_code == 201, drafted.text
    so, department, hospital = drafted.json()["nominations"]
    assert _check(so, "collective_htxs_2")["result"] == "unknown"
    assert _check(department, "collective_htxs_2")["result"] == "unknown"
    assert _check(hospital, "collective_htxs_2")["result"] == "pass"
    assert "2024, 2025" in _check(hospital, "collective_htxs_2")["message"]


async def test_the_sos_own_awards_count_for_it_under_any_spelling(app, client, session):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    so_y_te = await make_unit(session, name="Sở Y tế", code="SYT")
    await session.commit()
    _, admin = await signed_in(app, session)
    _, unit = await signed_in(app, session, "unit", unit_id=so_y_te.id)
    rows = (
        "Sở Y tế tỉnh Sơn La,Tập thể,SYT,Tập thể lao động xuất sắc,2024,1/QĐ,20/12/2024\n"
        "Tập thể Sở Y tế,Tập thể,SYT,Tập thể lao động xuất sắc,2025,2/QĐ,20/12/2025\n"
    )
    await _import(client, admin, HEADER + rows)

    drafted = await client.post(
        f"{API}/dossiers",
        json={"round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
              "nominations": [_collective("SỞ Y TẾ", so_y_te.id)]},
        headers=unit,
    )  # fmt: skip
    history = await client.get(f"{API}/award-history?nominee_kind=collective", headers=unit)

    assert _check(drafted.json()["nominations"][0], "collective_htxs_2")["result"] == "pass"
    collective_ids = {r["collective_id"] for r in history.json()["items"]}
    assert collective_ids == {drafted.json()["nominations"][0]["collective_id"]}


async def test_the_same_collective_twice_in_a_year_is_a_duplicate_but_two_are_not(
    app, client, session
):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    so_y_te = await make_unit(session, name="Sở Y tế", code="SYT")
    await session.commit()
    _, unit = await signed_in(app, session, "unit", unit_id=so_y_te.id)

    async def submit(*names: str):
        body = {"round_id": round_.id, "kind": "periodic", "title": "Tờ trình",
                "nominations": [_collective(n, so_y_te.id) for n in names]}  # fmt: skip
        drafted = await client.post(f"{API}/dossiers", json=body, headers=unit)
        for paper in AWARD_DOCS:
            await upload(client, unit, drafted.json()["id"], paper)
        return drafted, await client.post(
            f"{API}/dossiers/{drafted.json()['id']}/submit", headers=unit
        )

    _, two = await submit("Sở Y tế", "Bệnh viện Đa khoa tỉnh Sơn La")
    _, again = await submit("Tập thể Sở Y tế tỉnh Sơn La")

    assert two.status_code == 200, two.text
    assert again.status_code == 409 and again.json()["code"] == "duplicate_nomination"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sở Y tế", ""),
        ("Tập thể Sở Y tế tỉnh Sơn La", ""),
        ("Phòng Nghiệp vụ Y, Sở Y tế", "phong nghiep vu y"),
        ("Phòng Nghiệp vụ Y - Sở Y tế", "phong nghiep vu y"),
        ("Phòng Nghiệp vụ Y thuộc Sở Y tế", "phong nghiep vu y"),
        ("Bệnh viện Đa khoa tỉnh Sơn La", "benh vien da khoa tinh son la"),
        # Not the unit's name as a word: nothing is cut.
        ("Trung tâm Kiểm soát bệnh tậtSở Y tế", "trung tam kiem soat benh tatso y te"),
    ],
)
def test_a_collective_is_keyed_by_its_name_within_its_unit(name, key):
    class Unit:
        name, short_name, aliases = "Sở Y tế", "SYT", []

    assert name_key(name, Unit()) == key


async def test_a_record_found_by_name_and_by_register_row_is_loaded_once(app, client, session):
    """The checks look a page's history up by folded name and by register row; a collective's
    record matches both ways and must come back once, not once per way."""
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    so_y_te = await make_unit(session, name="Sở Y tế", code="SYT")
    await session.commit()
    _, admin = await signed_in(app, session)
    _, unit = await signed_in(app, session, "unit", unit_id=so_y_te.id)
    row = "Bệnh viện Đa khoa tỉnh Sơn La,Tập thể,Sở Y tế,Tập thể lao động xuất sắc,2025,"
    await _import(client, admin, HEADER + row + "9/QĐ-UBND,20/12/2025\n")
    drafted = await client.post(
        f"{API}/dossiers",
        json={"round_id": round_.id, "kind": "periodic", "title": "Tờ trình Sở Y tế",
              "nominations": [_collective("Bệnh viện Đa khoa tỉnh Sơn La", so_y_te.id)]},
        headers=unit,
    )  # fmt: skip
    assert drafted.status_code == 201, drafted.text
    nominations = list(
        await session.scalars(
            select(Nomination).where(Nomination.dossier_id == drafted.json()["id"])
        )
    )

    history = await checks.load_history(session, nominations)

    (nomination,) = nominations
    assert [r.decision_no for r in history] == ["9/QĐ-UBND"]
    assert history[0].nominee_key == nomination.nominee_key  # found by name
    assert history[0].collective_id == nomination.collective_id  # and by register row
