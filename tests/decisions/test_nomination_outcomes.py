"""What the council and the decisions made of a nomination shows on its dossier; council members
see the dossiers their council votes on."""

from app.models import CouncilMemberCluster, Dossier
from app.services.rule_values.defaults import COUNCIL_RULES
from tests.factories import make_cluster, make_unit, signed_in
from tests.factories_council import (
    API,
    BANG_KHEN,
    CO_THI_DUA,
    ballot,
    council_with_members,
    eligible_nominations,
    make_meeting,
    open_meeting_with,
    vote,
)


async def test_council_members_see_dossiers_on_their_councils_agendas(app, client, session):
    group = await council_with_members(app, session, 2)
    other = await council_with_members(app, session, 1)
    on_agenda = (await eligible_nominations(session, CO_THI_DUA))[0]
    elsewhere = (await eligible_nominations(session, CO_THI_DUA))[0]
    await make_meeting(session, group.council, agenda=[on_agenda])
    await make_meeting(session, other.council, agenda=[elsewhere])

    listed = await client.get(f"{API}/dossiers", headers=group.headers[0])
    seen = await client.get(f"{API}/dossiers/{on_agenda.dossier_id}", headers=group.headers[1])
    hidden = await client.get(f"{API}/dossiers/{elsewhere.dossier_id}", headers=group.headers[0])

    assert [d["id"] for d in listed.json()["items"]] == [on_agenda.dossier_id]
    assert seen.status_code == 200
    assert hidden.status_code == 404


async def test_monitored_clusters_still_count_for_council_members(app, client, session):
    group = await council_with_members(app, session, 1)
    unit = await make_unit(session)
    cluster = await make_cluster(session, members=[unit])
    nomination = (await eligible_nominations(session, BANG_KHEN, unit=unit))[0]
    dossier = await session.get(Dossier, nomination.dossier_id)
    dossier.cluster_id = cluster.id
    session.add(CouncilMemberCluster(member_id=group.members[0].id, cluster_id=cluster.id))
    await session.commit()

    listed = await client.get(f"{API}/dossiers", headers=group.headers[0])

    assert [d["id"] for d in listed.json()["items"]] == [dossier.id]


async def test_a_dossier_shows_the_vote_result_and_the_decision(app, client, session):
    group = await council_with_members(app, session, 5)
    nomination = (await eligible_nominations(session, CO_THI_DUA))[0]
    mid, admin = await open_meeting_with(app, client, session, group, [nomination])
    for i, headers in enumerate(group.headers):
        await vote(client, mid, headers, ballot([nomination], "abstain" if i == 0 else "approve"))
    await client.post(f"{API}/meetings/{mid}/close", headers=admin)
    decision = await client.post(
        f"{API}/decisions",
        json={"kind": "provincial_award", "number": "300/QĐ-UBND", "signed_on": "2026-12-28",
              "signed_by": "Chủ tịch UBND tỉnh", "nomination_ids": [nomination.id]},
        headers=admin,
    )  # fmt: skip

    dossier = await client.get(f"{API}/dossiers/{nomination.dossier_id}", headers=admin)

    shown = dossier.json()["nominations"][0]
    assert shown["status"] == "awarded"
    assert shown["vote_result"] == {
        "meeting_id": mid, "approve": 4, "reject": 0, "abstain": 1, "members_total": 5,
        "present": 5, "approve_percent": 80.0, "threshold_percent": 80.0, "passed": True,
        "threshold_basis": COUNCIL_RULES,
    }  # fmt: skip
    assert shown["decision"] == {
        "id": decision.json()["id"], "number": "300/QĐ-UBND", "signed_on": "2026-12-28",
        "signed_by": "Chủ tịch UBND tỉnh", "kind": "provincial_award",
    }  # fmt: skip


async def test_a_page_of_decided_dossiers_costs_what_one_costs(app, client, session, count_queries):
    _, admin = await signed_in(app, session)
    first = await eligible_nominations(session, BANG_KHEN, 2)
    await client.post(
        f"{API}/decisions",
        json={"kind": "provincial_award", "number": "1/QĐ", "signed_on": "2026-12-28",
              "signed_by": "Chủ tịch", "nomination_ids": [n.id for n in first]},
        headers=admin,
    )  # fmt: skip

    with count_queries() as one:
        small = await client.get(f"{API}/dossiers", headers=admin)
    for i in range(20):
        batch = await eligible_nominations(session, BANG_KHEN, 2)
        await client.post(
            f"{API}/decisions",
            json={"kind": "provincial_award", "number": f"{i + 2}/QĐ", "signed_on": "2026-12-28",
                  "signed_by": "Chủ tịch", "nomination_ids": [n.id for n in batch]},
            headers=admin,
        )  # fmt: skip
    with count_queries() as many:
        large = await client.get(f"{API}/dossiers?limit=200", headers=admin)

    assert small.json()["total"] == 1 and large.json()["total"] == 21
    listed = [n["status"] for d in large.json()["items"] for n in d["nominations"]]
    assert listed == ["awarded"] * 42
    assert many.count == one.count
    # The list shows summaries; the decision itself is in the dossier.
    last = await client.get(f"{API}/dossiers/{large.json()['items'][-1]['id']}", headers=admin)
    assert [n["decision"]["number"] for n in last.json()["nominations"]] == ["21/QĐ"] * 2
