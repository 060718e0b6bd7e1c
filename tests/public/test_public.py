"""The public surface: anyone may read, without a token, the lists under public disclosure and
the awards already decided — names, units, awards, years and decision numbers, nothing more —
cached by browsers and proxies, and limited per client address. Nothing else answers without
a token."""

import re
from datetime import timedelta

from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from app.core.clock import utcnow
from app.core.working_days import today_in_vietnam
from app.services.public.throttle import RequestThrottle
from tests.factories import make_unit, signed_in
from tests.factories_council import API, CSTD_TINH, HUAN_CHUONG, disclosure, eligible_nominations
from tests.factories_dossiers import load_catalogue, make_history

OPEN_WITHOUT_TOKEN = {
    "GET /api/v1/public/disclosures",
    "GET /api/v1/public/awards",
    "POST /api/v1/auth/token",
    "POST /api/v1/auth/refresh",
    "GET /api/v1/calendar/{token}.ics",
    "GET /healthz",
    "GET /readyz",
    "GET /openapi.json",
    "HEAD /openapi.json",
    "GET /docs",
    "GET /redoc",
}


async def test_nothing_but_the_public_surface_answers_without_a_token(app, client):
    answered = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            continue
        path = re.sub(r"\{[^}]+\}", "1", context.path)
        for method in sorted(route.methods or ()):
            response = await client.request(method, path)
            answered[f"{method} {context.path}"] = response.status_code

    open_ = {route for route, status in answered.items() if status != 401}
    assert len(answered) > 100  # the walk reached every router
    assert open_ == OPEN_WITHOUT_TOKEN


async def _published_list(app, client, session):
    """Two Huân chương nominations published today with a deadline in ten days, one list
    already closed, and one published for tomorrow (not yet shown)."""
    unit = await make_unit(session, name="Sở Giáo dục và Đào tạo")
    nominations = await eligible_nominations(
        session, HUAN_CHUONG, 2, unit=unit, birth_year=1971, position="Phó Giám đốc Sở"
    )
    (closed,) = await eligible_nominations(session, CSTD_TINH)
    today = today_in_vietnam()
    session.add_all([
        disclosure([n.id for n in nominations], today - timedelta(days=1),
                   title="Danh sách đề nghị tặng Huân chương Lao động",
                   ends_on=today + timedelta(days=10), feedback_to="tdkt@sonla.gov.vn"),
        disclosure([closed.id], today - timedelta(days=30), ends_on=today - timedelta(days=1),
                   feedback_to="tdkt@sonla.gov.vn"),
        disclosure([closed.id], today + timedelta(days=1), ends_on=today + timedelta(days=15),
                   feedback_to="tdkt@sonla.gov.vn"),
    ])  # fmt: skip
    await session.commit()
    return nominations


async def test_the_lists_under_disclosure_show_the_deadline_and_where_to_send_opinions(
    app, client, session
):
    nominations = await _published_list(app, client, session)

    response = await client.get(f"{API}/public/disclosures")

    assert response.status_code == 200, response.text
    (listed,) = response.json()["items"]
    assert listed["title"] == "Danh sách đề nghị tặng Huân chương Lao động"
    assert listed["ends_on"] == (today_in_vietnam() + timedelta(days=10)).isoformat()
    assert listed["feedback_to"] == "tdkt@sonla.gov.vn"
    assert sorted(n["name"] for n in listed["nominations"]) == sorted(
        n.nominee_name for n in nominations
    )
    assert {n["unit"] for n in listed["nominations"]} == {"Sở Giáo dục và Đào tạo"}
    assert {n["award"] for n in listed["nominations"]} == {"Huân chương Lao động hạng Ba"}


async def test_public_answers_carry_no_birth_year_and_no_position(app, client, session):
    await _published_list(app, client, session)
    unit = await make_unit(session, name="Sở Y tế")
    await make_history(session, "Lò Thị Mai", unit.id, decision_no="15/QĐ-UBND")
    await session.commit()

    lists = await client.get(f"{API}/public/disclosures")
    awards = await client.get(f"{API}/public/awards")

    for response in (lists, awards):
        assert response.status_code == 200
        assert "1971" not in response.text and "Phó Giám đốc" not in response.text
        assert "birth_year" not in response.text and "position" not in response.text
    assert set(lists.json()["items"][0]["nominations"][0]) == {"name", "kind", "unit", "award"}
    assert set(awards.json()["items"][0]) == {
        "name", "kind", "unit", "award", "year", "decision_no", "decided_on"
    }  # fmt: skip


async def test_awards_are_found_by_name_without_diacritics_and_paged(app, client, session):
    await load_catalogue(session)
    unit = await make_unit(session, name="UBND huyện Mộc Châu")
    await make_history(session, "Nguyễn Thị Hạnh", unit.id, year=2024, decision_no="88/QĐ-UBND")
    await make_history(session, "Nguyễn Văn Hải", unit.id, year=2025, decision_no="12/QĐ-UBND")
    await make_history(session, "Cầm Văn Sơn", unit.id, year=2025)
    # A grassroots title a unit entered shows only once Sở Nội vụ has confirmed it.
    await make_history(session, "Nguyễn Văn Chưa", unit.id, source="unit")
    await make_history(session, "Nguyễn Văn Đã", unit.id, source="unit", confirmed_at=utcnow())
    await session.commit()

    found = await client.get(f"{API}/public/awards", params={"q": "nguyen thi hanh"})
    nguyen = await client.get(f"{API}/public/awards", params={"q": "NGUYEN", "limit": 2})
    second_page = await client.get(
        f"{API}/public/awards", params={"q": "nguyen", "limit": 2, "offset": 2}
    )
    of_2025 = await client.get(f"{API}/public/awards", params={"year": 2025})

    (hanh,) = found.json()["items"]
    assert hanh == {
        "name": "Nguyễn Thị Hạnh", "kind": "individual", "unit": "UBND huyện Mộc Châu",
        "award": "Chiến sĩ thi đua cơ sở", "year": 2024, "decision_no": "88/QĐ-UBND",
        "decided_on": None,
    }  # fmt: skip
    assert nguyen.json()["total"] == 3 and len(nguyen.json()["items"]) == 2
    names = [a["name"] for a in nguyen.json()["items"] + second_page.json()["items"]]
    assert sorted(names) == ["Nguyễn Thị Hạnh", "Nguyễn Văn Hải", "Nguyễn Văn Đã"]
    assert {a["name"] for a in of_2025.json()["items"]} >= {"Nguyễn Văn Hải", "Cầm Văn Sơn"}


async def test_public_answers_are_cached_and_revalidated_with_304(app, client, session):
    await _published_list(app, client, session)

    first = await client.get(f"{API}/public/disclosures")
    again = await client.get(
        f"{API}/public/disclosures", headers={"If-None-Match": first.headers["etag"]}
    )
    awards = await client.get(f"{API}/public/awards")

    assert first.headers["cache-control"] == "public, max-age=300"
    assert first.headers["etag"].startswith('"')
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "public, max-age=300"
    assert awards.headers["cache-control"] == "public, max-age=300"


async def test_an_address_past_its_limit_waits_while_others_still_read(app, client, session):
    now = [1000.0]
    app.state.public_throttle = RequestThrottle(limit=3, clock=lambda: now[0])
    app.state.settings.trusted_proxy_hops = 1
    one = {"X-Forwarded-For": "203.0.113.7"}
    other = {"X-Forwarded-For": "198.51.100.2"}

    allowed = [await client.get(f"{API}/public/awards", headers=one) for _ in range(3)]
    refused = await client.get(f"{API}/public/disclosures", headers=one)
    meanwhile = await client.get(f"{API}/public/awards", headers=other)
    now[0] += 61
    later = await client.get(f"{API}/public/awards", headers=one)

    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["cache-control"] == "no-store"
    assert meanwhile.status_code == 200 and later.status_code == 200


async def test_signing_in_changes_nothing_in_a_public_answer(app, client, session):
    await _published_list(app, client, session)
    _, admin = await signed_in(app, session)

    anonymous = await client.get(f"{API}/public/disclosures")
    signed = await client.get(f"{API}/public/disclosures", headers=admin)

    assert signed.status_code == 200 and signed.json() == anonymous.json()


async def test_the_lists_cost_the_same_statements_for_one_list_or_many(
    app, client, session, count_queries
):
    today = today_in_vietnam()
    nominations = await eligible_nominations(session, HUAN_CHUONG, 6)
    session.add(disclosure([nominations[0].id], today, ends_on=today))
    await session.commit()
    with count_queries() as one:
        assert (await client.get(f"{API}/public/disclosures")).status_code == 200
    for start in range(1, 6):
        session.add(disclosure([n.id for n in nominations[start:]], today, ends_on=today))
    await session.commit()
    with count_queries() as many:
        response = await client.get(f"{API}/public/disclosures")

    assert response.json()["total"] == 6
    assert many.count == one.count
