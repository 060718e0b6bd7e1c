"""If-Match: a well-formed tag that does not match is 412 (RFC 9110 §13.1.1); only a broken
header is 422."""

import pytest

from tests.factories import signed_in


@pytest.mark.parametrize(
    "tag", ['"stale-etag"', 'W/"3"', 'W/"1"', '"1", "2"', '""', '"99999999999999999999"']
)
async def test_a_well_formed_tag_that_does_not_match_is_412(app, client, session, tag):
    user, admin = await signed_in(app, session)
    path = f"/api/v1/users/{user.id}"

    response = await client.patch(
        path, json={"full_name": "Tên mới"}, headers={**admin, "If-Match": tag}
    )

    assert response.status_code == 412, response.text
    assert response.json()["code"] == "version_mismatch"
    assert (await client.get(path, headers=admin)).json()["full_name"] == user.full_name


@pytest.mark.parametrize("tag", ['"3', "abc", "W/3", '"a b"', "1,", ""])
async def test_a_malformed_if_match_is_422(app, client, session, tag):
    user, admin = await signed_in(app, session)

    response = await client.patch(
        f"/api/v1/users/{user.id}", json={"full_name": "X"}, headers={**admin, "If-Match": tag}
    )

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_if_match"


async def test_the_current_tag_quoted_or_bare_still_matches(app, client, session):
    user, admin = await signed_in(app, session)
    path = f"/api/v1/users/{user.id}"

    quoted = await client.patch(
        path, json={"full_name": "Một"}, headers={**admin, "If-Match": f'"{user.version}"'}
    )
    bare = await client.patch(
        path, json={"full_name": "Hai"}, headers={**admin, "If-Match": str(user.version + 1)}
    )

    assert quoted.status_code == 200 and bare.status_code == 200
