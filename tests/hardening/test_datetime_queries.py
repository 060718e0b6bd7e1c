"""Date-time query parameters: a missing offset is Việt Nam time; out of range is a 422."""

import pytest

from tests.factories import signed_in


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+01:01",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-05:00",
        "2026-13-01T00:00:00",
        "not-a-time",
    ],
)
async def test_an_impossible_date_time_is_422(app, client, session, value):
    _, admin = await signed_in(app, session)

    for name in ("from", "to"):
        response = await client.get("/api/v1/audit", params={name: value}, headers=admin)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "validation_error"


async def test_a_date_time_without_offset_is_read_as_vietnam_time(app, client, session):
    _, admin = await signed_in(app, session)
    await client.post("/api/v1/auth/logout", headers=admin)  # one audit entry, now
    _, admin = await signed_in(app, session)
    entries = await client.get("/api/v1/audit", headers=admin)
    occurred = entries.json()["items"][0]["occurred_at"]  # UTC, with an offset
    naive_utc = occurred[:19]

    # The same wall-clock digits read as UTC+7 are seven hours earlier in UTC: included.
    after = await client.get("/api/v1/audit", params={"from": naive_utc}, headers=admin)
    # Read as UTC+7, "to" lies seven hours before the entry: excluded.
    before = await client.get("/api/v1/audit", params={"to": naive_utc}, headers=admin)

    assert after.status_code == 200 and after.json()["total"] >= 1
    assert before.status_code == 200 and before.json()["total"] == 0
