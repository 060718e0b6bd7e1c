"""A task report cites only papers the reporting caller may read, and the refusal does not
tell a hidden paper from a missing one."""

from tests.factories import make_cluster, make_unit, signed_in
from tests.factories_dossiers import make_dossier
from tests.factories_plans import make_plan, make_task

REPORT = {"status": "in_progress", "progress_percent": 40, "content": "Đã dự thảo Chỉ thị"}


async def test_a_unit_cannot_cite_its_clusters_own_dossier(app, client, session):
    head = await make_unit(session)
    cluster = await make_cluster(session, head=head)
    task = await make_task(session, await make_plan(session), lead_unit_id=head.id)
    cluster_dossier = await make_dossier(
        session, head, None, nominations=0, owner_kind="cluster", cluster_id=cluster.id
    )
    paper = cluster_dossier.attachments[0]
    _, officer = await signed_in(app, session, "unit", unit_id=head.id)
    url = f"/api/v1/tasks/{task.id}/reports"

    read = await client.get(f"/api/v1/attachments/{paper.id}", headers=officer)
    hidden = await client.post(url, json={**REPORT, "attachment_ids": [paper.id]}, headers=officer)
    missing = await client.post(
        url, json={**REPORT, "attachment_ids": [paper.id + 1000]}, headers=officer
    )

    assert read.status_code == 404
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["code"] == missing.json()["code"] == "unknown_attachment"
    assert hidden.json()["detail"].replace(str(paper.id), "N") == missing.json()["detail"].replace(
        str(paper.id + 1000), "N"
    )
