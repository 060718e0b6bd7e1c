"""The award-type catalogue: shipped with the service, amended by Sở Nội vụ."""

import pytest
from sqlalchemy import select

from app.models import AwardType
from app.services.award_types import load_award_types
from app.services.award_types.catalogue import AWARD_TYPES
from tests.factories import etag_version, signed_in
from tests.factories_dossiers import load_catalogue

CSTD_TINH = "chien_si_thi_dua_cap_tinh"


async def test_any_role_reads_the_shipped_catalogue(app, client, session):
    await load_catalogue(session)
    _, reader = await signed_in(app, session, "reader")

    listed = await client.get("/api/v1/award-types?limit=200", headers=reader)
    one = await client.get(f"/api/v1/award-types/{CSTD_TINH}", headers=reader)

    assert listed.status_code == 200
    assert [t["code"] for t in listed.json()["items"]] == [s.code for s in AWARD_TYPES]
    body = one.json()
    assert etag_version(one) == 1
    # The share the vote needs is a rule value (council_vote_threshold_percent.<code>).
    assert body["council_vote"] == {"required": True, "base": "all_members"}
    assert body["level"] == "provincial" and body["recipient"] == "individual"
    assert "minh_chung_sang_kien" in body["required_documents"]
    assert body["criteria"][0]["rule"] == "prior_consecutive"
    assert body["legal_basis"] and body["needs_public_disclosure"] is False


async def test_filters_by_level_and_recipient(app, client, session):
    await load_catalogue(session)
    _, headers = await signed_in(app, session, "unit")

    state = await client.get("/api/v1/award-types?level=state", headers=headers)
    collective = await client.get("/api/v1/award-types?recipient=collective", headers=headers)

    assert {t["level"] for t in state.json()["items"]} == {"state"}
    assert {t["recipient"] for t in collective.json()["items"]} == {"collective", "both"}


async def test_unknown_code_is_404(app, client, session):
    _, headers = await signed_in(app, session, "unit")

    response = await client.get("/api/v1/award-types/khong_co", headers=headers)

    assert response.status_code == 404


async def test_noi_vu_amends_the_vote_and_papers(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)

    response = await client.patch(
        f"/api/v1/award-types/{CSTD_TINH}",
        json={
            "council_vote": {"required": True},
            "required_documents": ["to_trinh", "bao_cao_thanh_tich"],
            "name": "Chiến sĩ thi đua cấp tỉnh (sửa)",
        },
        headers={**admin, "If-Match": '"1"'},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["council_vote"] == {"required": True, "base": "all_members"}
    assert body["required_documents"] == ["to_trinh", "bao_cao_thanh_tich"]
    assert etag_version(response) == 2


async def test_unknown_paper_or_rule_is_refused(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)
    headers = {**admin, "If-Match": '"1"'}
    path = f"/api/v1/award-types/{CSTD_TINH}"

    paper = await client.patch(path, json={"required_documents": ["ho_chieu"]}, headers=headers)
    rule = await client.patch(path, json={"criteria": [{"rule": "xem_tuoi"}]}, headers=headers)
    threshold = await client.patch(
        path, json={"council_vote": {"threshold_percent": 120}}, headers=headers
    )

    assert paper.status_code == 422 and paper.json()["code"] == "unknown_document_type"
    assert rule.status_code == 422 and rule.json()["code"] == "unknown_criterion_rule"
    # The threshold is a rule value, not the award type's: not accepted here.
    assert threshold.status_code == 422


@pytest.mark.parametrize(
    "criterion",
    [
        {"rule": "prior_consecutive", "award_type_code": CSTD_TINH, "ending_offset": "x"},
        {"rule": "consecutive_rating", "ratings": ["htxs"], "interval": 0},
        {"rule": "consecutive_rating", "ratings": ["htxs"], "years": 10**9},
        {"rule": "consecutive_rating", "ratings": ["xuat_sac"]},
        {"rule": "initiative", "min_scope": "planetary"},
        {"rule": "initiative", "count": True},
        {"rule": "any_of", "options": [{"rule": "prior_award", "latest_year_offset": -1}]},
    ],
)
async def test_criteria_parameters_out_of_range_are_refused(app, client, session, criterion):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)
    path = f"/api/v1/award-types/{CSTD_TINH}"

    response = await client.patch(
        path, json={"criteria": [criterion]}, headers={**admin, "If-Match": '"1"'}
    )
    unchanged = await client.get(path, headers=admin)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_criterion_parameters"
    assert unchanged.json()["version"] == 1


async def test_the_shipped_criteria_pass_their_own_validation(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)

    for spec in AWARD_TYPES:
        criteria = spec.to_dict()["criteria"]
        response = await client.patch(
            f"/api/v1/award-types/{spec.code}",
            json={"criteria": criteria},
            headers={**admin, "If-Match": '"1"'},
        )
        assert response.status_code == 200, (spec.code, response.text)


async def test_patch_needs_a_fresh_if_match(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)
    path = f"/api/v1/award-types/{CSTD_TINH}"

    missing = await client.patch(path, json={"active": False}, headers=admin)
    stale = await client.patch(path, json={"active": False}, headers={**admin, "If-Match": '"7"'})

    assert missing.status_code == 428
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"


async def test_loader_is_idempotent_and_keeps_edits(app, client, session):
    await load_catalogue(session)
    _, admin = await signed_in(app, session)
    await client.patch(
        f"/api/v1/award-types/{CSTD_TINH}",
        json={"council_vote": {"required": False}},
        headers={**admin, "If-Match": '"1"'},
    )

    await load_award_types(session)
    await session.commit()

    rows = (await session.scalars(select(AwardType))).all()
    assert len(rows) == len(AWARD_TYPES)
    edited = next(r for r in rows if r.code == CSTD_TINH)
    await session.refresh(edited)
    assert edited.council_vote["required"] is False
