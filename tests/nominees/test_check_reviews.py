"""Sở Nội vụ finishes the checks: verifies or overrides one with a reason; declared prior awards
are confirmed against the history; a concluded nomination keeps its checks; one initiative
justifies one award."""

from sqlalchemy import select

from app.models import AuditEntry
from tests.factories import etag_version, make_unit, signed_in
from tests.factories_council import BANG_KHEN, eligible_nominations
from tests.factories_dossiers import load_catalogue, make_dossier, make_history, make_round

API = "/api/v1"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"
NAME = "Lò Thị Mai"


async def _under_appraisal(app, client, session, code=CSTD_TINH, **nominee):
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp")
    dossier = await make_dossier(
        session, unit, round_, status="under_appraisal",
        nominee={"nominee_name": NAME, "nominee_unit_id": unit.id, "award_type_code": code,
                 **nominee},
    )  # fmt: skip
    await session.commit()
    _, admin = await signed_in(app, session)
    return dossier, unit, admin


async def _nomination(client, admin, dossier_id) -> tuple[dict, int]:
    response = await client.get(f"{API}/dossiers/{dossier_id}", headers=admin)
    nomination = response.json()["nominations"][0]
    return nomination, nomination["version"]


def _check(nomination: dict, rule: str) -> dict:
    return next(c for c in nomination["checks"] if c["rule"] == rule)


def _review_url(nomination_id: int, rule: str) -> str:
    return f"{API}/nominations/{nomination_id}/checks/{rule}/review"


async def test_an_override_with_its_reason_drives_the_eligibility_and_is_audited(
    app, client, session
):
    dossier, _, admin = await _under_appraisal(app, client, session)
    before, version = await _nomination(client, admin, dossier.id)
    rule = "consecutive_cstdcs_3"
    assert _check(before, rule)["result"] == "unknown" and before["eligibility"] == "undetermined"

    overridden = await client.put(
        _review_url(before["id"], rule),
        json={"action": "overridden", "result": "fail",
              "reason": "Đối chiếu QĐ 12/QĐ-STP: năm 2024 không đạt CSTĐCS."},
        headers={**admin, "If-Match": f'"{version}"'},
    )  # fmt: skip
    listed = await client.get(f"{API}/dossiers?limit=50", headers=admin)
    audited = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "nomination.check_reviewed")
        )
    ).all()

    assert overridden.status_code == 200, overridden.text
    check = _check(overridden.json(), rule)
    assert check["result"] == "unknown" and check["effective_result"] == "fail"
    assert check["review"]["action"] == "overridden" and check["review"]["stale"] is False
    assert check["review"]["reason"].startswith("Đối chiếu QĐ 12/QĐ-STP")
    assert check["review"]["reviewed_by_name"] and check["review"]["reviewed_at"]
    assert overridden.json()["eligibility"] == "ineligible"
    assert etag_version(overridden) == version + 1
    summary = next(n for d in listed.json()["items"] for n in d["nominations"]
                   if n["id"] == before["id"])  # fmt: skip
    assert summary["eligibility"] == "ineligible" and summary["checks"]["fail"] >= 1
    assert len(audited) == 1 and audited[0].after["review"]["result"] == "fail"


async def test_each_refusal_of_a_review(app, client, session):
    dossier, unit, admin = await _under_appraisal(app, client, session)
    nomination, version = await _nomination(client, admin, dossier.id)
    url = _review_url(nomination["id"], "no_discipline")
    headers = {**admin, "If-Match": f'"{version}"'}
    _, officer = await signed_in(app, session, "unit", unit_id=unit.id)
    draft = await make_dossier(session, unit, await make_round(session, year=2025))
    await session.commit()
    draft_nomination = draft.nominations[0].id

    no_reason = await client.put(url, json={"action": "overridden", "result": "pass",
                                            "reason": "  "}, headers=headers)  # fmt: skip
    no_result = await client.put(url, json={"action": "overridden", "reason": "x"}, headers=headers)
    verify_with_result = await client.put(
        url, json={"action": "verified", "result": "pass"}, headers=headers
    )
    unknown_rule = await client.put(
        _review_url(nomination["id"], "no_such_rule"), json={"action": "verified"},
        headers=headers,
    )  # fmt: skip
    not_appraised = await client.put(
        _review_url(draft_nomination, "no_discipline"), json={"action": "verified"},
        headers={**admin, "If-Match": '"1"'},
    )  # fmt: skip
    by_unit = await client.put(
        url, json={"action": "verified"}, headers={**officer, "If-Match": '"1"'}
    )
    without_if_match = await client.put(url, json={"action": "verified"}, headers=admin)
    stale_version = await client.put(
        url, json={"action": "verified"}, headers={**admin, "If-Match": f'"{version + 5}"'}
    )
    nothing_to_withdraw = await client.delete(url, headers=headers)

    assert no_reason.status_code == 422 and no_reason.json()["code"] == "override_reason_required"
    assert no_result.status_code == 422 and no_result.json()["code"] == "invalid_check_review"
    assert verify_with_result.json()["code"] == "invalid_check_review"
    assert unknown_rule.status_code == 404 and unknown_rule.json()["code"] == "check_not_found"
    assert not_appraised.status_code == 409, not_appraised.text
    assert not_appraised.json()["code"] == "invalid_transition"
    assert by_unit.status_code == 403
    assert without_if_match.status_code == 428
    assert stale_version.status_code == 412
    assert nothing_to_withdraw.status_code == 404
    assert nothing_to_withdraw.json()["code"] == "check_not_found"


async def test_a_review_survives_recomputation_and_goes_stale_when_its_facts_change(
    app, client, session
):
    dossier, unit, admin = await _under_appraisal(app, client, session, code=BANG_KHEN)
    nomination, version = await _nomination(client, admin, dossier.id)
    rule = "no_discipline"
    assert _check(nomination, rule)["result"] == "pass"
    verified = await client.put(
        _review_url(nomination["id"], rule), json={"action": "verified", "reason": "Đã xác minh"},
        headers={**admin, "If-Match": f'"{version}"'},
    )  # fmt: skip
    # An unrelated fact (a rating) forgets the stored checks; the check comes out the same.
    rated = await client.post(
        f"{API}/ratings",
        json={"nominee_name": NAME, "unit_id": unit.id, "year": 2025, "rating": "htxs"},
        headers=admin,
    )  # fmt: skip
    recomputed, _ = await _nomination(client, admin, dossier.id)
    # The fact the check used changes: an investigation starts.
    started = await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "unit_id": unit.id, "kind": "investigation",
              "started_on": "2026-01-05"},
        headers=admin,
    )  # fmt: skip
    changed, version = await _nomination(client, admin, dossier.id)
    withdrawn = await client.delete(
        _review_url(nomination["id"], rule), headers={**admin, "If-Match": f'"{version}"'}
    )

    assert verified.status_code == 200 and rated.status_code == 201 and started.status_code == 201
    kept = _check(recomputed, rule)["review"]
    assert kept["action"] == "verified" and kept["stale"] is False
    stale = _check(changed, rule)
    assert stale["result"] == "fail" and stale["review"]["stale"] is True
    assert stale["effective_result"] == "fail" and changed["eligibility"] == "ineligible"
    assert withdrawn.status_code == 200 and _check(withdrawn.json(), rule)["review"] is None


async def test_a_stale_override_no_longer_counts(app, client, session):
    dossier, unit, admin = await _under_appraisal(app, client, session)
    nomination, version = await _nomination(client, admin, dossier.id)
    rule = "consecutive_cstdcs_3"
    await client.put(
        _review_url(nomination["id"], rule),
        json={"action": "overridden", "result": "pass",
              "reason": "Đối chiếu 3 quyết định CSTĐCS 2023–2025 bản gốc"},
        headers={**admin, "If-Match": f'"{version}"'},
    )  # fmt: skip
    overridden, _ = await _nomination(client, admin, dossier.id)
    await make_history(session, NAME, unit.id, year=2025, decision_no="7/QĐ-STP")
    await session.commit()
    after, _ = await _nomination(client, admin, dossier.id)

    assert _check(overridden, rule)["effective_result"] == "pass"
    # The history now holds 2025: the check says something else than when it was overridden,
    # so the override is stale and the computed result counts again.
    check = _check(after, rule)
    assert check["result"] == "unknown" and "2025" in check["message"]
    assert check["review"]["stale"] is True and check["effective_result"] == "unknown"


async def test_declared_prior_awards_are_confirmed_against_the_history(app, client, session):
    prior = [
        {"award_type_code": "chien_si_thi_dua_co_so", "year": 2025, "decision_no": "9/QĐ"},
        {"award_type_code": "chien_si_thi_dua_co_so", "year": 2024},
    ]
    dossier, unit, admin = await _under_appraisal(
        app, client, session, code=BANG_KHEN, prior_awards=prior
    )
    other = await make_unit(session, name="Sở Tài chính")
    record = await make_history(session, NAME, unit.id, year=2025, decision_year=2026)
    await make_history(session, NAME, other.id, year=2024)  # same name, another unit
    await session.commit()

    nomination, _ = await _nomination(client, admin, dossier.id)

    assert [(p["status"], p["history_id"]) for p in nomination["prior_awards"]] == [
        ("confirmed", record.id),
        ("declared", None),
    ]
    assert nomination["prior_awards"][0]["decision_no"] == "9/QĐ"


async def test_a_concluded_nomination_keeps_the_checks_it_was_concluded_on(app, client, session):
    nomination = (await eligible_nominations(session, BANG_KHEN, nominee_name=NAME))[0]
    _, admin = await signed_in(app, session)
    url = f"{API}/dossiers/{nomination.dossier_id}"
    decided = await client.post(
        f"{API}/decisions",
        json={"kind": "provincial_award", "number": "5/QĐ-UBND", "signed_on": "2026-12-20",
              "signed_by": "Chủ tịch UBND tỉnh", "nomination_ids": [nomination.id]},
        headers=admin,
    )  # fmt: skip
    concluded = (await client.get(url, headers=admin)).json()["nominations"][0]
    started = await client.post(
        f"{API}/discipline-records",
        json={"nominee_name": NAME, "unit_id": nomination.nominee_unit_id,
              "kind": "investigation", "started_on": "2026-01-05"},
        headers=admin,
    )  # fmt: skip
    later = (await client.get(url, headers=admin)).json()["nominations"][0]

    assert decided.status_code == 201, decided.text
    assert concluded["status"] == "awarded" and started.status_code == 201
    assert _check(concluded, "no_discipline")["result"] == "pass"
    assert later["checks"] == concluded["checks"]


async def _initiative(client, headers, unit_id, title="Số hoá hộ tịch"):
    response = await client.post(
        f"{API}/initiatives",
        json={"title": title, "authors": [NAME], "scope": "provincial", "year": 2025,
              "unit_id": unit_id, "decision_no": "88/QĐ-HĐSK"},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


async def _two_proposals_one_initiative(app, client, session):
    """One officer proposed twice for Chiến sĩ thi đua cấp tỉnh (two dossiers under appraisal)
    with one provincial initiative recorded: the dossiers, Sở Nội vụ's headers, the initiative."""
    await load_catalogue(session)
    round_ = await make_round(session, year=2026)
    unit = await make_unit(session, name="Sở Tư pháp")
    nominee = {"nominee_name": NAME, "nominee_unit_id": unit.id, "award_type_code": CSTD_TINH}
    first = await make_dossier(session, unit, round_, status="under_appraisal", nominee=nominee)
    second = await make_dossier(session, unit, round_, status="under_appraisal", nominee=nominee)
    await session.commit()
    _, admin = await signed_in(app, session)
    return first, second, admin, await _initiative(client, admin, unit.id)


async def test_one_initiative_justifies_one_award_and_the_check_names_who_used_it(
    app, client, session
):
    first, second, admin, initiative = await _two_proposals_one_initiative(app, client, session)
    a, version = await _nomination(client, admin, first.id)
    b_before, _ = await _nomination(client, admin, second.id)

    appraised = await client.post(
        f"{API}/nominations/{a['id']}/appraisal", json={"conclusion": "eligible"},
        headers={**admin, "If-Match": f'"{version}"'},
    )  # fmt: skip
    b_after, _ = await _nomination(client, admin, second.id)
    a_after = appraised.json()
    # Found ineligible after all, the first frees the initiative for the second.
    freed = await client.post(
        f"{API}/nominations/{a['id']}/appraisal", json={"conclusion": "ineligible"},
        headers={**admin, "If-Match": f'"{etag_version(appraised)}"'},
    )  # fmt: skip
    b_freed, _ = await _nomination(client, admin, second.id)

    assert _check(b_before, "initiative_provincial")["result"] == "pass"
    assert appraised.status_code == 200, appraised.text
    assert _check(a_after, "initiative_provincial")["initiative_ids"] == [initiative["id"]]
    used = _check(b_after, "initiative_provincial")
    assert used["result"] == "fail", used
    assert f"đề nghị số {a['id']}" in used["message"] and first.code in used["message"]
    assert freed.status_code == 200
    assert _check(b_freed, "initiative_provincial")["result"] == "pass"


async def test_concluding_a_second_nomination_on_a_held_initiative_is_refused(app, client, session):
    first, second, admin, initiative = await _two_proposals_one_initiative(app, client, session)
    a, a_version = await _nomination(client, admin, first.id)
    b, b_version = await _nomination(client, admin, second.id)
    held = await client.post(
        f"{API}/nominations/{a['id']}/appraisal", json={"conclusion": "eligible"},
        headers={**admin, "If-Match": f'"{a_version}"'},
    )  # fmt: skip

    refused = await client.post(
        f"{API}/nominations/{b['id']}/appraisal", json={"conclusion": "eligible"},
        headers={**admin, "If-Match": f'"{b_version}"'},
    )  # fmt: skip
    ineligible = await client.post(
        f"{API}/nominations/{b['id']}/appraisal", json={"conclusion": "ineligible"},
        headers={**admin, "If-Match": f'"{b_version}"'},
    )  # fmt: skip

    assert held.status_code == 200, held.text
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "initiative_already_used"
    assert problem["initiative_id"] == initiative["id"] and problem["nomination_id"] == a["id"]
    assert f"đề nghị số {a['id']}" in problem["detail"] and "ghi đè" in problem["detail"]
    assert ineligible.status_code == 200, ineligible.text
