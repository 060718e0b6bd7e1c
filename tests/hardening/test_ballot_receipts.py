"""A ballot receipt reads back only for the member who cast the ballot."""

from tests.factories_council import (
    CSTD_TINH,
    ballot,
    council_with_members,
    eligible_nominations,
    open_meeting_with,
    read_back,
    vote,
)


async def test_another_members_receipt_reads_like_a_wrong_one(app, client, session):
    group = await council_with_members(app, session, 3)
    nominations = await eligible_nominations(session, CSTD_TINH, 1)
    mid, _ = await open_meeting_with(app, client, session, group, nominations, kind="regular")
    a, b = group.headers[0], group.headers[1]
    receipt_b = (await vote(client, mid, b, ballot(nominations, "reject"))).json()["receipt"]
    await vote(client, mid, a, ballot(nominations, "approve"))

    borrowed = await read_back(client, mid, a, receipt_b)
    wrong = await read_back(client, mid, a, receipt_b[:-2] + "xx")
    own = await read_back(client, mid, b, receipt_b)

    assert borrowed.status_code == wrong.status_code == 404
    assert borrowed.json() == {**wrong.json()}
    assert "reject" not in borrowed.text
    assert own.status_code == 200 and own.json()["votes"][0]["choice"] == "reject"
    assert "member_id" not in own.json()
