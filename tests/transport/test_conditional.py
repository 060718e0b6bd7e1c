"""Conditional GET: a client revalidating a single resource with `If-None-Match` gets 304 while
its copy is what it would get now; the tag names the caller's own view of the row."""

from tests.factories import etag_version, make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_dossier


async def _unit(app, session):
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    await session.commit()
    return admin, f"/api/v1/units/{unit.id}"


async def test_an_unchanged_resource_is_a_304_without_a_body(app, client, session):
    admin, url = await _unit(app, session)
    first = await client.get(url, headers=admin)

    again = await client.get(url, headers={**admin, "If-None-Match": first.headers["etag"]})

    assert first.status_code == 200 and etag_version(first) == 1
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in again.headers["vary"]
    assert again.headers["x-request-id"]


async def test_a_weak_or_listed_tag_matches_too(app, client, session):
    admin, url = await _unit(app, session)
    tag = (await client.get(url, headers=admin)).headers["etag"]

    for header in (f"W/{tag}", f'"other", {tag}', "*"):
        response = await client.get(url, headers={**admin, "If-None-Match": header})
        assert response.status_code == 304, header


async def test_a_changed_resource_is_sent_again_with_its_new_tag(app, client, session):
    admin, url = await _unit(app, session)
    old = (await client.get(url, headers=admin)).headers["etag"]
    patched = await client.patch(url, json={"name": "Tên mới"}, headers={**admin, "If-Match": old})

    response = await client.get(url, headers={**admin, "If-None-Match": old})

    assert patched.status_code == 200
    assert response.status_code == 200
    assert response.json()["name"] == "Tên mới"
    assert response.headers["etag"] == patched.headers["etag"] != old
    assert etag_version(response) == 2


async def test_an_unknown_or_malformed_tag_gets_the_resource(app, client, session):
    admin, url = await _unit(app, session)

    for header in ('"1"', '"1-0000000000000000"', "not-a-tag"):
        response = await client.get(url, headers={**admin, "If-None-Match": header})
        assert response.status_code == 200 and response.json()["name"], header


async def test_a_reader_and_noi_vu_never_share_the_tag_of_a_dossier(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)
    _, reader = await signed_in(app, session, role="reader")
    dossier = await make_dossier(session, await make_unit(session), None)
    await session.commit()
    url = f"/api/v1/dossiers/{dossier.id}"

    full = await client.get(url, headers=admin)
    redacted = await client.get(url, headers=reader)
    # Sở Nội vụ's browser holding the reader's copy (one browser, two sign-ins) gets the full view
    revalidated = await client.get(
        url, headers={**admin, "If-None-Match": redacted.headers["etag"]}
    )

    assert full.json()["nominations"][0]["birth_year"] == 1980
    assert redacted.json()["nominations"][0]["birth_year"] is None
    assert etag_version(full) == etag_version(redacted) == dossier.version
    assert full.headers["etag"] != redacted.headers["etag"]
    assert revalidated.status_code == 200
    assert revalidated.json()["nominations"][0]["birth_year"] == 1980
    same_view = await client.get(url, headers={**reader, "If-None-Match": redacted.headers["etag"]})
    assert same_view.status_code == 304


async def test_the_tag_of_a_read_is_taken_by_if_match(app, client, session):
    admin, url = await _unit(app, session)
    tag = (await client.get(url, headers=admin)).headers["etag"]

    written = await client.patch(url, json={"name": "A"}, headers={**admin, "If-Match": tag})
    stale = await client.patch(url, json={"name": "B"}, headers={**admin, "If-Match": tag})

    assert written.status_code == 200
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"


async def test_if_none_match_does_not_turn_a_write_into_a_304(app, client, session):
    admin, url = await _unit(app, session)
    tag = (await client.get(url, headers=admin)).headers["etag"]

    response = await client.patch(
        url, json={"name": "C"}, headers={**admin, "If-Match": tag, "If-None-Match": "*"}
    )

    assert response.status_code == 200 and response.json()["name"] == "C"
