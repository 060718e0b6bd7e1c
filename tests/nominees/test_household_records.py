"""Households (hộ gia đình) beyond the nomination: their awards imported with their address, one
record of everything known about a household, the award types that take them, their prize."""

import csv
import io

from sqlalchemy import select

from app.models import AwardHistory
from tests.dossiers.test_households import BANG_KHEN_TINH, _draft, household
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_round

API = "/api/v1"
HEADER = ["Họ và tên", "Loại", "Đơn vị", "Địa chỉ", "Danh hiệu", "Năm", "Số quyết định",
          "Ngày quyết định"]  # fmt: skip
POM = "Hộ ông Lò Văn Pọm"


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _upload(client, path: str, headers, data: bytes, **params):
    return client.post(
        f"{API}{path}",
        headers=headers,
        params={k: str(v).lower() for k, v in params.items()},
        files={"file": ("bang.csv", data, "text/csv")},
    )


async def _setting(app, session):
    await load_catalogue(session)
    round_ = await make_round(session)
    commune = await make_unit(session, code="XCM", name="UBND xã Chiềng Mung", kind="commune")
    other = await make_unit(session, code="XCN", name="UBND xã Chiềng Ngần", kind="commune")
    await session.commit()
    _, admin = await signed_in(app, session)
    _, unit = await signed_in(app, session, "unit", unit_id=commune.id)
    _, stranger = await signed_in(app, session, "unit", unit_id=other.id)
    _, reader = await signed_in(app, session, "reader")
    return round_, commune, {"admin": admin, "unit": unit, "stranger": stranger, "reader": reader}


async def test_past_awards_of_households_are_imported_with_their_address(app, client, session):
    _, commune, who = await _setting(app, session)
    data = _csv([
        HEADER,
        [POM, "Hộ gia đình", "XCM", "Bản Nà Cài, xã Chiềng Mung",
         "Bằng khen của Chủ tịch UBND tỉnh", "2024", "120/QĐ-UBND", "15/03/2024"],
        ["Hộ bà Cà Thị Xuân", "hộ gia đình", "XCM", "", BANG_KHEN_TINH, "2025", "88/QĐ-UBND",
         "20/02/2025"],
        ["Hộ ông Quàng Văn Sinh", "Hộ gia đình", "XCM", "Bản Hụm", "chien_si_thi_dua_co_so",
         "2025", "9/QĐ", "01/02/2025"],
        ["Lò Văn Ánh", "Cá nhân", "XCM", "Bản Hụm", "chien_si_thi_dua_co_so", "2025", "9/QĐ",
         "01/02/2025"],
    ])  # fmt: skip

    refused = await _upload(client, "/award-history/import", who["admin"], data)
    imported = await _upload(client, "/award-history/import", who["admin"], data,
                             skip_invalid=True)  # fmt: skip

    # A household for an award not given to households, an address for a person: row errors.
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "import_rows_invalid"
    errors = {e["row"]: e["message"] for e in refused.json()["errors"]}
    assert set(errors) == {4, 5}
    assert "không xét tặng cho hộ gia đình" in errors[4]
    assert "Địa chỉ" in errors[5]
    assert imported.status_code == 200, imported.text
    outcome = imported.json()
    assert outcome["imported"] == 2
    # The household without its address is imported, and the official is told on which row.
    [warning] = outcome["warnings"]
    assert warning["row"] == 3 and warning["code"] == "household_incomplete"
    assert "Cà Thị Xuân" in warning["message"] and "địa chỉ" in warning["message"]
    rows = (await session.scalars(select(AwardHistory).order_by(AwardHistory.year))).all()
    assert [(r.nominee_kind, r.nominee_name, r.unit_id, r.nominee_address) for r in rows] == [
        ("household", POM, commune.id, "Bản Nà Cài, xã Chiềng Mung"),
        ("household", "Hộ bà Cà Thị Xuân", commune.id, None),
    ]


async def test_a_household_row_of_a_ratings_table_is_refused_by_name(app, client, session):
    _, _, who = await _setting(app, session)
    data = _csv([["Họ và tên", "Loại", "Đơn vị", "Năm", "Xếp loại"],
                 [POM, "Hộ gia đình", "XCM", "2025", "HTXS"]])  # fmt: skip

    refused = await _upload(client, "/ratings/import", who["admin"], data)

    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert "hộ gia đình không có xếp loại" in error["message"]


async def test_the_record_of_a_household(app, client, session):
    round_, commune, who = await _setting(app, session)
    await _upload(client, "/award-history/import", who["admin"], _csv([
        HEADER,
        [POM, "Hộ gia đình", "XCM", "Bản Nà Cài", BANG_KHEN_TINH, "2022", "12/QĐ-UBND",
         "10/03/2022"],
    ]))  # fmt: skip
    drafted = await _draft(client, who["unit"], round_.id, household(nominee_unit_id=commune.id))
    assert drafted.status_code == 201, drafted.text
    url = f"{API}/nominees/households"
    query = {"name": "ho ong lo van pom", "unit_id": commune.id}

    own = await client.get(url, params=query, headers=who["unit"])
    office = await client.get(url, params=query, headers=who["admin"])
    reader = await client.get(url, params=query, headers=who["reader"])
    stranger = await client.get(url, params=query, headers=who["stranger"])
    nobody = await client.get(url, params={**query, "name": "Hộ ông Không Có"},
                              headers=who["admin"])  # fmt: skip

    assert own.status_code == 200, own.text
    record = own.json()
    assert record["nominee_kind"] == "household" and record["nominee_name"] == POM
    assert record["unit_id"] == commune.id
    # The address as the latest nomination gives it (the imported award had an older one).
    assert record["nominee_address"] == "Bản Nà Cài, xã Chiềng Mung"
    assert [(a["award_type_code"], a["year"], a["decision_no"]) for a in record["awards"]] == [
        (BANG_KHEN_TINH, 2022, "12/QĐ-UBND")
    ]
    [nomination] = record["nominations"]
    assert nomination["award_type_code"] == BANG_KHEN_TINH
    assert record["ratings"] == [] and record["initiatives"] == []
    assert record["discipline"] is None
    assert office.status_code == 200 and office.json() == record
    # A reader sees the awards, not where the family lives; another xã sees nothing.
    assert reader.status_code == 200 and reader.json()["nominee_address"] is None
    assert reader.json()["awards"] == record["awards"]
    assert stranger.status_code == 404 and nobody.status_code == 404
    # A person of the same name is not the household.
    person = await client.get(f"{API}/nominees/people", params=query, headers=who["admin"])
    assert person.status_code == 404


async def test_award_types_listed_for_households(app, client, session):
    _, _, who = await _setting(app, session)

    listed = await client.get(f"{API}/award-types?recipient=household", headers=who["unit"])

    assert listed.status_code == 200, listed.text
    [award] = listed.json()["items"]
    assert award["code"] == BANG_KHEN_TINH and award["accepts_households"] is True
    [criterion] = [c for c in award["criteria"] if c.get("applies_to") == "household"]
    # The basis says what was read, and that the clause of Điều 74 still awaits confirmation.
    assert "Điều 2" in criterion["legal_basis"]
    assert "Điều 74 khoản 3" not in criterion["legal_basis"]
    assert "Chưa đối chiếu" in criterion["legal_basis"]


async def test_a_household_has_a_prize_multiple_to_confirm(app, client, session):
    _, _, who = await _setting(app, session)

    key = f"prize_multiple.{BANG_KHEN_TINH}.household"
    listed = await client.get(f"{API}/rule-values", params={"prefix": key}, headers=who["admin"])

    assert listed.status_code == 200, listed.text
    [value] = listed.json()["items"]
    assert value["key"] == key and value["value"] == 1
    assert value["unit"] == "multiple" and value["verified"] is False
    assert "hộ gia đình" in value["legal_basis"]
