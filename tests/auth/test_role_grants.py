"""One account, several roles: the officer of a khối's head unit is also its Trưởng khối. One
login acts as the unit on its own score sheet and as the head on the khối's scoring, each
refused where the other role is needed; revoking the grant ends its tokens at once."""

from sqlalchemy import select

from app.models import AuditEntry
from tests.emulation.test_year import _entries, _set_up
from tests.factories import PASSWORD, auth, etag_version, make_user

HEAD_UNIT = "Văn phòng UBND tỉnh"


async def _login(client, username: str, grant: int | None = None):
    data = {"username": username, "password": PASSWORD}
    if grant is not None:
        data["grant"] = str(grant)
    return await client.post("/api/v1/auth/token", data=data)


def _bearer(token_pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_pair['access_token']}"}


async def test_one_login_serves_the_head_unit_as_unit_and_as_truong_khoi(app, client, session):
    year = await _set_up(app, client, session)
    officer = await make_user(session, "unit", unit_id=year.units[HEAD_UNIT])
    await session.commit()
    before_grant = await _login(client, officer.username)
    assert before_grant.status_code == 200

    # Sở Nội vụ gives the officer the head's role for the khối (retried: one grant)
    grant_body = {"role": "cluster_head", "cluster_id": year.cluster_id}
    headers = {**year.admin, "Idempotency-Key": "grant-head-1"}
    granted = await client.post(
        f"/api/v1/users/{officer.id}/grants", json=grant_body, headers=headers
    )
    assert granted.status_code == 201, granted.text
    replay = await client.post(
        f"/api/v1/users/{officer.id}/grants", json=grant_body, headers=headers
    )
    assert replay.json()["id"] == granted.json()["id"]
    grant_id = granted.json()["id"]
    assert granted.json()["active"] is True
    # the tokens it held before the change stop working
    old = await client.get("/api/v1/auth/me", headers=_bearer(before_grant.json()))
    assert old.status_code == 401
    again = await client.post(
        f"/api/v1/users/{officer.id}/grants", json=grant_body, headers=year.admin
    )
    assert again.status_code == 409 and again.json()["code"] == "grant_already_held"

    # signed in without a grant: the account's own role, the unit; /auth/me lists both roles
    as_unit = _bearer((await _login(client, officer.username)).json())
    me = (await client.get("/api/v1/auth/me", headers=as_unit)).json()
    assert (me["role"], me["unit_id"], me["grant_id"]) == ("unit", year.units[HEAD_UNIT], None)
    assert [(g["id"], g["role"], g["cluster_id"]) for g in me["grants"]] == [
        (None, "unit", None),
        (grant_id, "cluster_head", year.cluster_id),
    ]

    # as the unit: scores its own sheet, may not adjust anyone's
    url = f"/api/v1/emulation/tables/{year.table['id']}/sheets/mine"
    saved = await client.put(url, json={"entries": _entries(year, HEAD_UNIT)}, headers=as_unit)
    assert saved.status_code == 200, saved.text
    assert (await client.post(f"{url}/submit", headers=as_unit)).status_code == 200
    other_url = url
    other = year.unit_headers["Sở Tài chính"]
    await client.put(other_url, json={"entries": _entries(year, "Sở Tài chính")}, headers=other)
    other_sheet = (await client.post(f"{other_url}/submit", headers=other)).json()
    criterion = year.table["groups"][0]["criteria"][0]["id"]
    adjustment = {"criterion_id": criterion, "points": 36, "reason": "Chưa đạt 1 chỉ tiêu"}
    adjust_url = f"/api/v1/emulation/sheets/{other_sheet['id']}/adjustments"
    refused = await client.post(adjust_url, json=adjustment, headers=as_unit)
    assert refused.status_code == 403

    # switched to the head: adjusts the khối's sheets, may not score as the unit
    switched = await client.post(
        "/api/v1/auth/switch", json={"grant_id": grant_id}, headers=as_unit
    )
    assert switched.status_code == 200, switched.text
    as_head = _bearer(switched.json())
    me = (await client.get("/api/v1/auth/me", headers=as_head)).json()
    assert (me["role"], me["cluster_id"], me["unit_id"], me["grant_id"]) == (
        "cluster_head", year.cluster_id, None, grant_id,
    )  # fmt: skip
    adjusted = await client.post(adjust_url, json=adjustment, headers=as_head)
    assert adjusted.status_code == 200, adjusted.text
    assert adjusted.json()["total"] == 93.0  # 1.1 taken from 39 to 36
    mine = await client.put(url, json={"entries": _entries(year, HEAD_UNIT)}, headers=as_head)
    assert mine.status_code == 403
    # the same, chosen at login
    head_login = await _login(client, officer.username, grant=grant_id)
    assert head_login.status_code == 200
    me = (await client.get("/api/v1/auth/me", headers=_bearer(head_login.json()))).json()
    assert me["role"] == "cluster_head"
    # and back to the unit's own role
    back = await client.post("/api/v1/auth/switch", json={"grant_id": None}, headers=as_head)
    assert (await client.get("/api/v1/auth/me", headers=_bearer(back.json()))).json()[
        "role"
    ] == "unit"

    # revoked by Sở Nội vụ: the head's token stops working at once, the grant is gone
    stale = await client.post(
        f"/api/v1/role-grants/{grant_id}/revoke", headers={**year.admin, "If-Match": '"99"'}
    )
    assert stale.status_code == 412
    revoked = await client.post(
        f"/api/v1/role-grants/{grant_id}/revoke",
        headers={**year.admin, "If-Match": f'"{etag_version(granted)}"'},
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["active"] is False and revoked.json()["revoked_at"]
    assert (await client.get("/api/v1/auth/me", headers=as_head)).status_code == 401
    assert (await client.post(adjust_url, json=adjustment, headers=as_head)).status_code == 401
    no_longer = await _login(client, officer.username, grant=grant_id)
    assert no_longer.status_code == 422 and no_longer.json()["code"] == "unknown_grant"
    twice = await client.post(f"/api/v1/role-grants/{grant_id}/revoke", headers=year.admin)
    assert twice.status_code == 409 and twice.json()["code"] == "grant_already_revoked"
    listed = await client.get(f"/api/v1/users/{officer.id}/grants", headers=year.admin)
    assert [(g["id"], g["active"]) for g in listed.json()["items"]] == [(grant_id, False)]

    actions = set(
        await session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type == "user", AuditEntry.entity_id == officer.id
            )
        )
    )
    assert {"user.role_granted", "user.role_revoked", "auth.switched"} <= actions


async def test_a_grant_the_account_does_not_hold_is_refused(app, client, session):
    officer = await make_user(session, "unit")
    stranger = await make_user(session, "unit")
    admin = await make_user(session)
    await session.commit()

    grant = await client.post(
        f"/api/v1/users/{stranger.id}/grants", json={"role": "reader"}, headers=auth(app, admin)
    )
    assert grant.status_code == 201
    # someone else's grant: neither at login nor by switching
    login = await _login(client, officer.username, grant=grant.json()["id"])
    assert login.status_code == 422 and login.json()["code"] == "unknown_grant"
    token = (await _login(client, officer.username)).json()
    switched = await client.post(
        "/api/v1/auth/switch", json={"grant_id": grant.json()["id"]}, headers=_bearer(token)
    )
    assert switched.status_code == 422 and switched.json()["code"] == "unknown_grant"
    # a role without its scope, or with a scope it does not take
    missing = await client.post(
        f"/api/v1/users/{officer.id}/grants", json={"role": "cluster_head"},
        headers=auth(app, admin),
    )  # fmt: skip
    assert missing.status_code == 422 and missing.json()["code"] == "missing_link"
    unknown = await client.post(
        f"/api/v1/users/{officer.id}/grants", json={"role": "cluster_head", "cluster_id": 9999},
        headers=auth(app, admin),
    )  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_reference"
    # the account's own role and scope is not granted a second time
    own = await client.post(
        f"/api/v1/users/{officer.id}/grants", json={"role": "unit", "unit_id": officer.unit_id},
        headers=auth(app, admin),
    )  # fmt: skip
    assert own.status_code == 409 and own.json()["code"] == "grant_already_held"


async def test_deactivating_the_account_ends_every_role(app, client, session):
    officer = await make_user(session, "unit")
    admin = await make_user(session)
    await session.commit()

    grant = await client.post(
        f"/api/v1/users/{officer.id}/grants", json={"role": "reader"}, headers=auth(app, admin)
    )
    as_reader = _bearer((await _login(client, officer.username, grant=grant.json()["id"])).json())
    assert (await client.get("/api/v1/auth/me", headers=as_reader)).json()["role"] == "reader"
    user = await client.get(f"/api/v1/users/{officer.id}", headers=auth(app, admin))
    off = await client.patch(
        f"/api/v1/users/{officer.id}", json={"active": False},
        headers={**auth(app, admin), "If-Match": user.headers["etag"]},
    )  # fmt: skip
    assert off.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=as_reader)).status_code == 401
    assert (await _login(client, officer.username, grant=grant.json()["id"])).status_code == 401
