"""A `null` in a PATCH body is a 422 for a field the record cannot be without, never a 500."""

import pytest

from app.schemas.accounts import UserUpdate
from app.schemas.award_types import AwardTypeUpdate
from app.schemas.directory import ClusterUpdate, CouncilMemberUpdate, CouncilUpdate, UnitUpdate
from app.schemas.dossiers import DossierUpdate, NominationUpdate
from app.schemas.rounds import RoundUpdate
from tests.factories import make_cluster, make_council, make_council_member, make_unit, signed_in
from tests.factories_dossiers import AWARD, load_catalogue, make_dossier, make_round

REQUIRED_WHEN_SENT = {
    "users": {"full_name", "active"},
    "units": {"name", "kind", "aliases", "active"},
    "clusters": {"kind", "name"},
    "councils": {"name"},
    "members": {"full_name", "council_role"},
}


async def _targets(app, session):
    """(name, path, update schema, headers) of one record of each kind that PATCH changes."""
    user, admin = await signed_in(app, session)
    unit = await make_unit(session)
    cluster = await make_cluster(session, head=unit)
    council = await make_council(session)
    member = await make_council_member(session, council)
    await load_catalogue(session)
    round_ = await make_round(session)
    _, officer_headers = await signed_in(app, session, "unit", unit_id=unit.id)
    dossier = await make_dossier(session, unit, round_)
    await session.commit()
    nomination = dossier.nominations[0]
    return [
        ("users", f"/api/v1/users/{user.id}", UserUpdate, admin),
        ("units", f"/api/v1/units/{unit.id}", UnitUpdate, admin),
        ("clusters", f"/api/v1/clusters/{cluster.id}", ClusterUpdate, admin),
        ("councils", f"/api/v1/councils/{council.id}", CouncilUpdate, admin),
        ("members", f"/api/v1/councils/{council.id}/members/{member.id}", CouncilMemberUpdate,
         admin),
        ("rounds", f"/api/v1/rounds/{round_.id}", RoundUpdate, admin),
        ("dossiers", f"/api/v1/dossiers/{dossier.id}", DossierUpdate, officer_headers),
        ("nominations", f"/api/v1/dossiers/{dossier.id}/nominations/{nomination.id}",
         NominationUpdate, officer_headers),
        ("award_types", f"/api/v1/award-types/{AWARD}", AwardTypeUpdate, admin),
    ]  # fmt: skip


async def test_null_in_any_patch_field_is_never_a_500(app, client, session):
    failures = []
    for name, path, schema, headers in await _targets(app, session):
        for field in schema.model_fields:
            if field == "password":
                continue  # a null password is "unchanged"; the rest of the test covers it
            response = await client.patch(
                path, json={field: None}, headers={**headers, "If-Match": "*"}
            )
            if response.status_code >= 500:
                failures.append((name, field, response.status_code))
            elif field in REQUIRED_WHEN_SENT.get(name, ()) and response.status_code != 422:
                failures.append((name, field, response.status_code))
            elif response.status_code == 422:
                assert response.headers["content-type"] == "application/problem+json"

    assert failures == [], failures


@pytest.mark.parametrize("field", sorted(REQUIRED_WHEN_SENT["units"]))
async def test_a_unit_keeps_its_value_after_a_refused_null(app, client, session, field):
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    await session.commit()
    path = f"/api/v1/units/{unit.id}"

    response = await client.patch(path, json={field: None}, headers={**admin, "If-Match": "*"})

    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert (await client.get(path, headers=admin)).json()[field] is not None


async def test_a_null_kind_beside_new_memberships_is_a_422(app, client, session):
    """Found by the fuzzer: the null travelled with membership changes and reached the row."""
    _, admin = await signed_in(app, session)
    unit = await make_unit(session)
    cluster = await make_cluster(session, head=unit)
    await session.commit()
    body = {"deputy_head_unit_ids": [], "head_unit_id": unit.id, "kind": None,
            "member_unit_ids": [unit.id], "name": "0"}  # fmt: skip
    response = await client.patch(
        f"/api/v1/clusters/{cluster.id}", json=body, headers={**admin, "If-Match": "*"}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
