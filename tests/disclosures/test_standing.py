"""A published list keeps every nomination it published, but the public sees only those still
standing: one withdrawn, rejected, or whose dossier was returned or withdrawn after publication
leaves `GET /public/disclosures` and the printed danh sách công khai, while Sở Nội vụ's view of
the list marks it withdrawn. Lists recorded without a comment deadline are flagged."""

import io
from datetime import timedelta

from docx import Document

from app.core.working_days import today_in_vietnam
from tests.documents.docx_reading import all_text
from tests.factories import make_unit, signed_in
from tests.factories_council import API, HUAN_CHUONG, disclosure, eligible_nominations
from tests.factories_dossiers import make_dossier, make_round

PUBLIC = f"{API}/public/disclosures"


def _names(public: dict) -> list[str]:
    return [n["name"] for d in public["items"] for n in d["nominations"]]


async def _post(client, path: str, headers: dict, body: dict | None = None) -> dict:
    response = await client.post(f"{API}{path}", json=body, headers=headers)
    assert response.status_code in (200, 201), f"{path}: {response.text}"
    return response.json()


async def test_a_nomination_that_no_longer_stands_leaves_the_public_list(app, client, session):
    await eligible_nominations(session, HUAN_CHUONG)  # the catalogue and the round
    round_ = await make_round(session)
    withdrawing = await make_unit(session, name="Sở Y tế")
    returned_unit = await make_unit(session, name="Sở Xây dựng")
    withdrawn = await make_dossier(
        session, withdrawing, round_, status="submitted",
        nominee={"award_type_code": HUAN_CHUONG, "nominee_name": "Lò Văn Rút"},
    )  # fmt: skip
    returned = await make_dossier(
        session, returned_unit, round_, status="submitted",
        nominee={"award_type_code": HUAN_CHUONG, "nominee_name": "Cầm Thị Trả"},
    )  # fmt: skip
    (rejected,) = await eligible_nominations(session, HUAN_CHUONG, nominee_name="Quàng Văn Bác")
    (standing,) = await eligible_nominations(session, HUAN_CHUONG, nominee_name="Vì Thị Đứng")
    await session.commit()
    _, admin = await signed_in(app, session)
    _, owner = await signed_in(app, session, "unit", unit_id=withdrawing.id)
    _, returned_owner = await signed_in(app, session, "unit", unit_id=returned_unit.id)
    today = today_in_vietnam()
    ids = [withdrawn.nominations[0].id, returned.nominations[0].id, rejected.id, standing.id]
    published = await _post(client, "/disclosures", admin, {
        "title": "Danh sách đề nghị tặng Huân chương Lao động", "nomination_ids": ids,
        "published_on": today.isoformat(), "ends_on": (today + timedelta(days=10)).isoformat(),
        "channel": "Cổng thông tin điện tử tỉnh Sơn La", "feedback_to": "tdkt@sonla.gov.vn",
    })  # fmt: skip
    before = (await client.get(PUBLIC)).json()

    # After publication: a dossier withdrawn by its unit, one returned for supplements, and a
    # nomination rejected by an upheld complaint.
    await _post(client, f"/dossiers/{withdrawn.id}/withdraw", owner)
    await _post(client, f"/dossiers/{returned.id}/return", admin, {"reason": "Thiếu báo cáo"})
    complaint = await _post(
        client, f"/nominations/{rejected.id}/complaints", admin,
        {"received_on": today.isoformat(), "summary": "Kê khai sai"},
    )  # fmt: skip
    await _post(client, f"/complaints/{complaint['id']}/resolve", admin,
                {"resolution": "Có cơ sở", "upheld": True})  # fmt: skip
    after = (await client.get(PUBLIC)).json()
    own_view = (await client.get(f"{API}/disclosures/{published['id']}", headers=admin)).json()
    printed = await client.get(
        f"{API}/disclosures/{published['id']}/documents/danh-sach-cong-khai", headers=admin
    )

    assert sorted(_names(before)) == sorted(
        ["Lò Văn Rút", "Cầm Thị Trả", "Quàng Văn Bác", "Vì Thị Đứng"]
    )
    assert _names(after) == ["Vì Thị Đứng"]
    assert sorted(own_view["nomination_ids"]) == sorted(ids)
    marked = {
        i["nomination_id"]: (i["withdrawn"], i["nomination_status"]) for i in own_view["items"]
    }
    assert marked == {
        ids[0]: (True, "withdrawn"), ids[1]: (True, "draft"), ids[2]: (True, "rejected"),
        ids[3]: (False, "eligible"),
    }  # fmt: skip
    text = all_text(Document(io.BytesIO(printed.content)))
    assert "Vì Thị Đứng" in text
    for gone in ("Lò Văn Rút", "Cầm Thị Trả", "Quàng Văn Bác"):
        assert gone not in text, gone

    # Submitted again after the supplements, the returned nomination stands again.
    await _post(client, f"/dossiers/{returned.id}/submit", returned_owner)
    again = (await client.get(PUBLIC)).json()
    assert sorted(_names(again)) == ["Cầm Thị Trả", "Vì Thị Đứng"]


async def test_a_list_with_nothing_left_standing_is_not_shown(app, client, session):
    unit = await make_unit(session)
    round_ = await make_round(session)
    await eligible_nominations(session, HUAN_CHUONG)
    dossier = await make_dossier(
        session, unit, round_, status="submitted", nominee={"award_type_code": HUAN_CHUONG}
    )
    today = today_in_vietnam()
    session.add(disclosure([dossier.nominations[0].id], today, ends_on=today))
    await session.commit()
    _, owner = await signed_in(app, session, "unit", unit_id=unit.id)
    assert (await client.get(PUBLIC)).json()["total"] == 1

    await _post(client, f"/dossiers/{dossier.id}/withdraw", owner)

    assert (await client.get(PUBLIC)).json() == {
        "items": [], "total": 0, "limit": 50, "offset": 0
    }  # fmt: skip


async def test_a_list_without_a_deadline_is_flagged_and_hidden_until_one_is_set(
    app, client, session
):
    (nomination,) = await eligible_nominations(session, HUAN_CHUONG, nominee_name="Hà Văn Cũ")
    today = today_in_vietnam()
    old = disclosure([nomination.id], today - timedelta(days=3))  # recorded before `ends_on`
    session.add(old)
    await session.commit()
    _, admin = await signed_in(app, session)

    flagged = await client.get(f"{API}/disclosures?ends_on_missing=true", headers=admin)
    dated = await client.get(f"{API}/disclosures?ends_on_missing=false", headers=admin)
    hidden = await client.get(PUBLIC)
    read = await client.get(f"{API}/disclosures/{old.id}", headers=admin)
    fixed = await client.patch(
        f"{API}/disclosures/{old.id}",
        json={"ends_on": (today + timedelta(days=7)).isoformat()},
        headers={**admin, "If-Match": read.headers["etag"]},
    )
    shown = await client.get(PUBLIC)

    assert [(d["id"], d["ends_on"], d["ends_on_missing"]) for d in flagged.json()["items"]] == [
        (old.id, None, True)
    ]
    assert dated.json()["items"] == []
    assert hidden.json()["items"] == []
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["ends_on_missing"] is False
    assert _names(shown.json()) == ["Hà Văn Cũ"]
