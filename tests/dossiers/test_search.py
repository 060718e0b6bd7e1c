"""`GET /dossiers?q=`: a needle found anywhere in a dossier's code, title or nominees' names,
without diacritics or case, whether its words are whole, cut at either end, or common to
every title; the same answers on SQLite and PostgreSQL."""

import pytest

from app.services.dossiers.rules import dossier_search_text
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier, make_round

TITLES = {
    "twelve": "Tờ trình đề nghị khen thưởng số 12",
    "hundred": "Tờ trình đề nghị khen thưởng số 123",
    "code": "Tờ trình đề nghị khen thưởng số 12/TTr-UBND",
    "other": "Báo cáo thành tích năm 2025 của Sở Tư pháp",
}
CASES = [
    ("tờ trình đề nghị khen thưởng số 12", {"twelve", "hundred", "code"}),
    ("TO TRINH DE NGHI KHEN THUONG SO 123", {"hundred"}),
    ("khen thuong so 12/ttr", {"code"}),
    ("rinh de nghi khen thuong so 1", {"twelve", "hundred", "code"}),  # cut at both ends
    ("de nghi khen thuong so 13", set()),
    ("thuong so", {"twelve", "hundred", "code"}),
    ("so 12", {"twelve", "hundred", "code"}),
    ("12", {"twelve", "hundred", "code"}),
    ("nam 2025 cua so tu", {"other"}),
    ("bao cao  thanh", {"other"}),  # spaces as one
    ("tich nam", {"other"}),
    ("trinh bao", set()),
    ("o nguyen van c", {"twelve"}),  # a nominee's name, after the title
]


@pytest.mark.parametrize(("needle", "expected"), CASES, ids=[c[0] for c in CASES])
async def test_the_search_finds_the_needle_wherever_it_is(app, client, session, needle, expected):
    await load_catalogue(session)
    round_ = await make_round(session)
    unit = await make_unit(session)
    ids = {}
    for key, title in TITLES.items():
        nominee = {"nominee_name": "Lò Nguyễn Văn Cò"} if key == "twelve" else None
        dossier = await make_dossier(session, unit, round_, title=title, nominee=nominee)
        names = [n.nominee_name for n in dossier.nominations]
        dossier.search_text = dossier_search_text(dossier.code, title, names)
        ids[dossier.id] = key
    await session.commit()
    _, admin = await signed_in(app, session)

    response = await client.get("/api/v1/dossiers", params={"q": needle}, headers=admin)

    assert response.status_code == 200, response.text
    body = response.json()
    assert {ids[d["id"]] for d in body["items"]} == expected
    assert body["total"] == len(expected)
