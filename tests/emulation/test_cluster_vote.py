"""The cluster meeting's secret ballot on the leading unit and the Bằng khen proposals: the
member units vote through the council's sealed-ballot machinery, the quorum and threshold are
rule values, and the cluster's result must be what the closed vote elected."""

from sqlalchemy import func, select

from app.models import (
    AuditEntry,
    ClusterBallotChoice,
    ClusterBallotParticipation,
    ClusterMembership,
    ClusterSealedBallot,
)
from tests.factories import make_unit, signed_in
from tests.factories_dossiers import load_catalogue, make_round

from .factories import run_cluster_vote
from .test_year import SELF_SCORES, _score_and_submit, _set_up

LEADER, SECOND, THIRD, ABSENT = (
    "Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Khoa học và Công nghệ",
)  # fmt: skip


async def _published(app, client, session):
    """A khối whose six sheets are submitted and verified and whose ranking is published."""
    await load_catalogue(session)
    year = await _set_up(app, client, session)
    year.round = await make_round(session)
    await session.commit()
    for name in SELF_SCORES:
        sheet = await _score_and_submit(client, year, name)
        verified = await client.post(
            f"/api/v1/emulation/sheets/{sheet['id']}/verify", headers=year.head_headers
        )
        assert verified.status_code == 200, verified.text
    table_id = year.table["id"]
    published = await client.post(
        f"/api/v1/emulation/tables/{table_id}/publish", headers=year.head_headers
    )
    assert published.status_code == 200, published.text
    return year


def _candidates(year) -> list[dict]:
    return [
        {"unit_id": year.units[LEADER], "proposal": "co_thi_dua"},
        {"unit_id": year.units[SECOND], "proposal": "bang_khen"},
        {"unit_id": year.units[THIRD], "proposal": "bang_khen"},
    ]


async def test_the_member_units_elect_the_leader_by_secret_ballot(app, client, session):
    year = await _published(app, client, session)
    table_id = year.table["id"]
    present = [u for name, u in year.units.items() if name != ABSENT]
    opened = await client.post(
        f"/api/v1/emulation/tables/{table_id}/votes",
        json={"candidates": _candidates(year), "present_unit_ids": present},
        headers=year.head_headers,
    )
    assert opened.status_code == 201, opened.text
    vote = opened.json()
    assert (vote["voters_total"], vote["present"], vote["status"]) == (6, 5, "open")
    assert (vote["quorum_percent"], vote["threshold_percent"]) == (66.67, 50.0)
    assert all(c["approve"] is None for c in vote["candidates"])  # no count while open
    ids = {(c["unit_id"], c["proposal"]): c["id"] for c in vote["candidates"]}
    ballots_url = f"/api/v1/emulation/votes/{vote['id']}/ballots"

    def ballot(third_choice: str) -> dict:
        choices = {"co_thi_dua": "approve"}
        return {"votes": [
            {"candidate_id": cid, "choice": choices.get(p, "approve" if u != year.units[THIRD]
                                                      else third_choice)}
            for (u, p), cid in ids.items()
        ]}  # fmt: skip

    # a unit outside the khối does not see the vote; one that joined after the opening, or the
    # head acting as head, does not vote
    outsider_unit = await make_unit(session, name="UBND huyện Mộc Châu")
    _, outsider = await signed_in(app, session, "unit", unit_id=outsider_unit.id)
    late_unit = await make_unit(session, name="Sở Ngoại vụ")
    session.add(ClusterMembership(cluster_id=year.cluster_id, unit_id=late_unit.id, year=2026))
    _, late = await signed_in(app, session, "unit", unit_id=late_unit.id)
    assert (
        await client.post(ballots_url, json=ballot("approve"), headers=outsider)
    ).status_code == 404
    refused = await client.post(ballots_url, json=ballot("approve"), headers=late)
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_voting_member"
    as_head = await client.post(ballots_url, json=ballot("approve"), headers=year.head_headers)
    assert as_head.status_code == 403

    # an incomplete ballot is refused and counts for nothing
    partial = {"votes": ballot("approve")["votes"][:1]}
    incomplete = await client.post(ballots_url, json=partial, headers=year.unit_headers[LEADER])
    assert incomplete.status_code == 422 and incomplete.json()["code"] == "ballot_incomplete"

    # the six members vote (the absent one in writing); two approve Sở Tài chính's Bằng khen
    receipts = {}
    for name, headers in year.unit_headers.items():
        choice = "approve" if name in (LEADER, SECOND) else "reject"
        cast = await client.post(ballots_url, json=ballot(choice), headers=headers)
        assert cast.status_code == 201, cast.text
        assert cast.json()["cast_as"] == ("written" if name == ABSENT else "present")
        assert cast.headers["cache-control"] == "no-store"
        receipts[name] = cast.json()["receipt"]
    twice = await client.post(
        ballots_url, json=ballot("approve"), headers=year.unit_headers[SECOND]
    )
    assert twice.status_code == 409 and twice.json()["code"] == "already_voted"

    # each unit reads back its own ballot with its receipt, and nobody else can
    mine_url = f"/api/v1/emulation/votes/{vote['id']}/ballots/mine"
    mine = await client.get(
        mine_url, headers={**year.unit_headers[THIRD], "X-Ballot-Receipt": receipts[THIRD]}
    )
    assert mine.status_code == 200, mine.text
    third_vote = next(
        v
        for v in mine.json()["votes"]
        if v["candidate_id"] == ids[(year.units[THIRD], "bang_khen")]
    )
    assert third_vote["choice"] == "reject"
    other = await client.get(
        mine_url, headers={**year.unit_headers[SECOND], "X-Ballot-Receipt": receipts[THIRD]}
    )
    assert other.status_code == 404
    bare = await client.get(mine_url, headers=year.unit_headers[THIRD])
    assert bare.status_code == 401 and bare.json()["code"] == "receipt_required"

    # the result waits for the close
    body = {"round_id": year.round.id, "leader_unit_id": year.units[LEADER],
            "bang_khen_unit_ids": [year.units[SECOND]]}  # fmt: skip
    early = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result", json=body, headers=year.head_headers
    )
    assert early.status_code == 409 and early.json()["code"] == "cluster_vote_required"

    closed = await client.post(
        f"/api/v1/emulation/votes/{vote['id']}/close", headers=year.head_headers
    )
    assert closed.status_code == 200, closed.text
    counts = {(c["unit_id"], c["proposal"]): (c["approve"], c["reject"], c["passed"])
              for c in closed.json()["candidates"]}  # fmt: skip
    assert counts == {
        (year.units[LEADER], "co_thi_dua"): (6, 0, True),
        (year.units[SECOND], "bang_khen"): (6, 0, True),
        (year.units[THIRD], "bang_khen"): (2, 4, False),  # 2 of 6 is short of 50%
    }
    after = await client.post(ballots_url, json=ballot("approve"), headers=late)
    assert after.status_code == 409 and after.json()["code"] == "meeting_not_open"

    # what the database keeps: who voted, and choices nobody can tie to a voter
    async with app.state.db.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(ClusterSealedBallot)) == 0
        assert await s.scalar(select(func.count()).select_from(ClusterBallotChoice)) == 18
        written = await s.scalar(
            select(ClusterBallotParticipation.unit_id).where(
                ClusterBallotParticipation.cast_as == "written"
            )
        )
        cast_entries = list(
            await s.scalars(
                select(AuditEntry).where(AuditEntry.action == "cluster_vote.ballot_cast")
            )
        )
    assert written == year.units[ABSENT]
    assert len(cast_entries) == 6 and all(e.actor_id is None for e in cast_entries)
    assert not {c.name for c in ClusterBallotChoice.__table__.columns} & {"unit_id", "created_at"}

    # the result names what the vote elected: not a Bằng khen the vote did not pass
    refused = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result",
        json={**body, "bang_khen_unit_ids": [year.units[SECOND], year.units[THIRD]]},
        headers=year.head_headers,
    )
    assert refused.status_code == 422 and refused.json()["code"] == "bang_khen_not_elected"
    recorded = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result", json=body, headers=year.head_headers
    )
    assert recorded.status_code == 201, recorded.text


async def test_without_quorum_the_vote_does_not_open_and_an_unelected_leader_is_refused(
    app, client, session
):
    year = await _published(app, client, session)
    table_id = year.table["id"]
    half = list(year.units.values())[:3]  # 3 of 6 present: 50% < 66.67%
    refused = await client.post(
        f"/api/v1/emulation/tables/{table_id}/votes",
        json={"candidates": _candidates(year), "present_unit_ids": half},
        headers=year.head_headers,
    )
    assert refused.status_code == 409 and refused.json()["code"] == "quorum_not_met"
    assert refused.json()["required_present"] == 4
    listed = await client.get(f"/api/v1/emulation/tables/{table_id}/votes", headers=year.admin)
    assert listed.json()["items"] == []
    stranger = await make_unit(session, name="UBND huyện Yên Châu")
    await session.commit()
    outside = await client.post(
        f"/api/v1/emulation/tables/{table_id}/votes",
        json={"candidates": _candidates(year), "present_unit_ids": [*half, stranger.id]},
        headers=year.head_headers,
    )
    assert outside.status_code == 422 and outside.json()["code"] == "not_cluster_members"

    # four present: the vote opens; only two approve the leader, so nobody is elected
    vote = await run_cluster_vote(
        client, table_id, year.head_headers, year.unit_headers, _candidates(year),
        present=list(year.units.values())[:4],
        choose=lambda name, c: "approve" if name in (LEADER, SECOND) else "abstain",
    )  # fmt: skip
    assert vote["present"] == 4 and not any(c["passed"] for c in vote["candidates"])
    result = await client.post(
        f"/api/v1/emulation/tables/{table_id}/result",
        json={"round_id": year.round.id, "leader_unit_id": year.units[LEADER],
              "bang_khen_unit_ids": []},
        headers=year.head_headers,
    )  # fmt: skip
    assert result.status_code == 422 and result.json()["code"] == "leader_not_elected"
