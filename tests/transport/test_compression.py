"""Compression: JSON over 1 KB travels compressed in whichever of zstd, br and gzip the client
accepts; small answers, already-compressed downloads and event streams travel as they are."""

import gzip

import pytest
from starlette.responses import StreamingResponse

from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier


async def _many_units(app, session) -> dict[str, str]:
    _, admin = await signed_in(app, session)
    for _ in range(30):
        await make_unit(session)
    await session.commit()
    return admin


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
async def test_a_large_json_list_is_compressed_as_the_client_accepts(
    app, client, session, encoding
):
    admin = await _many_units(app, session)

    response = await client.get(
        "/api/v1/units?limit=200", headers={**admin, "Accept-Encoding": encoding}
    )

    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert int(response.headers["content-length"]) < len(response.content)
    assert response.json()["total"] >= 30  # httpx decoded it: the body is the same JSON
    assert "Accept-Encoding" in response.headers["vary"]


async def test_gzip_bytes_decode_to_the_uncompressed_answer(app, client, session):
    admin = await _many_units(app, session)
    url = "/api/v1/units?limit=200"

    plain = await client.get(url, headers={**admin, "Accept-Encoding": "identity"})
    async with client.stream("GET", url, headers={**admin, "Accept-Encoding": "gzip"}) as raw:
        wire = b"".join([chunk async for chunk in raw.aiter_raw()])

    assert "content-encoding" not in plain.headers
    assert gzip.decompress(wire) == plain.content
    assert len(wire) * 3 < len(plain.content)


async def test_a_small_answer_is_not_compressed(client):
    response = await client.get("/healthz", headers={"Accept-Encoding": "gzip, br"})

    assert len(response.content) < 1024
    assert "content-encoding" not in response.headers


async def test_problems_over_a_kilobyte_are_compressed(app, client, session):
    _, admin = await signed_in(app, session)
    body = {f"unknown_field_{i}": i for i in range(40)}  # 40 validation errors

    response = await client.post(
        "/api/v1/units", json=body, headers={**admin, "Accept-Encoding": "gzip"}
    )

    assert response.status_code == 422
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["code"] == "validation_error"


async def test_an_xlsx_download_is_sent_as_it_is(app, client, session):
    admin = await _many_units(app, session)

    response = await client.get(
        "/api/v1/tasks/export?format=xlsx", headers={**admin, "Accept-Encoding": "gzip, br, zstd"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert len(response.content) > 1024
    assert "content-encoding" not in response.headers
    assert response.content[:2] == b"PK"


async def test_a_csv_export_is_compressed(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    for _ in range(10):
        await make_dossier(session, unit, None)
    await session.commit()

    response = await client.get(
        "/api/v1/dossiers/export?format=csv", headers={**admin, "Accept-Encoding": "gzip"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.text.count("\n") >= 11


async def test_an_event_stream_is_not_compressed(spa_app, spa_client):
    async def events():
        for i in range(3):
            yield f"id: {i}\ndata: {'x' * 800}\n\n"

    spa_app.add_route(
        "/stream-for-test",
        lambda request: StreamingResponse(events(), media_type="text/event-stream"),
    )

    response = await spa_client.get("/stream-for-test", headers={"Accept-Encoding": "gzip, br"})

    assert response.headers["content-type"].startswith("text/event-stream")
    assert "content-encoding" not in response.headers
    assert response.text.count("data: ") == 3
