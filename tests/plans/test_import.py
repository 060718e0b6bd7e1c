"""Loading and importing plans: the 2026 seed, unit names matched to the directory, warnings."""

import unicodedata
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.errors import Unprocessable
from app.core.principal import SYSTEM
from app.models import AuditEntry, Event, Plan, Task, Unit
from app.services.plans.importing import import_plan, load_plan_2026
from app.services.plans.units import UnitIndex
from tests.factories import make_unit
from tests.factories_plans import PNG_BYTES, appendix_csv, load_seed, seed_bytes


async def _tasks(session, plan_id: int) -> dict[str, Task]:
    rows = await session.scalars(
        select(Task).options(selectinload(Task.coordinators)).where(Task.plan_id == plan_id)
    )
    return {t.code: t for t in rows}


async def _count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


async def test_seed_gives_the_plan_and_its_22_tasks_by_period(session):
    plan = await load_seed(session)
    tasks = await _tasks(session, plan.id)

    assert (plan.year, plan.issuer, plan.number, plan.issued_on) == (
        2026,
        "UBND tỉnh Sơn La",
        None,
        None,
    )
    assert plan.title == "Kế hoạch Triển khai công tác thi đua, khen thưởng năm 2026"
    assert "Đại hội lần thứ XIV" in plan.body
    assert Counter(t.period for t in tasks.values()) == {
        "Q1": 10,
        "Q2": 2,
        "Q3": 2,
        "Q4": 6,
        "recurring": 2,
    }
    expected = [f"I.{i}" for i in range(1, 11)] + ["II.1", "II.2", "III.1", "III.2"]
    expected += [f"IV.{i}" for i in range(1, 7)] + ["V.1", "V.2"]
    assert sorted(tasks) == sorted(expected)
    assert all(t.status == "not_started" for t in tasks.values())


async def test_seed_row_i9_keeps_its_2025_due_with_a_warning(session):
    plan = await load_seed(session)
    i9 = (await _tasks(session, plan.id))["I.9"]

    assert (i9.due_kind, i9.due_month, i9.due_text) == ("month", "2025-03", "03/2025")
    assert i9.content == "Trình đề nghị khen thưởng cấp Nhà nước đợt 1 năm 2026"
    assert [w["code"] for w in i9.warnings] == ["due_year_mismatch"]
    assert i9.warnings[0]["task_code"] == "I.9"
    # The plan keeps the document's warnings only: I.9's stays with I.9, until it is fixed.
    assert {w["code"] for w in plan.warnings} == {"plan_number_missing", "plan_date_missing"}


async def test_seed_creates_the_units_it_names_and_links_every_name(session):
    plan = await load_seed(session)
    tasks = await _tasks(session, plan.id)
    units = {u.code: u for u in await session.scalars(select(Unit))}

    assert set(units) == {"SNV", "VPUBND", "STP"}
    vp = units["VPUBND"]
    assert {"Văn phòng UBND tỉnh", "VP UBND tỉnh"} <= set(vp.aliases)
    assert all(t.lead_unit_id == units["SNV"].id for t in tasks.values())
    # "Văn phòng Ủy ban nhân dân tỉnh" (I.1) and "Văn phòng UBND tỉnh" (IV.2) are one unit.
    assert tasks["I.1"].coordinators[0].unit_id == vp.id
    assert tasks["IV.2"].coordinators[0].unit_id == vp.id
    assert tasks["IV.2"].coordinators[0].label == "Văn phòng UBND tỉnh"
    i5 = [(c.unit_id, c.label) for c in tasks["I.5"].coordinators]
    assert i5 == [(units["STP"].id, "Sở Tư pháp"), (vp.id, "Văn phòng Ủy ban nhân dân tỉnh")]
    assert not any(w["code"] == "unknown_unit" for w in plan.warnings)


async def test_seed_groups_become_coordinators_with_their_label(session):
    plan = await load_seed(session)
    tasks = await _tasks(session, plan.id)

    i8 = [(c.unit_id, c.group, c.label) for c in tasks["I.8"].coordinators]
    assert i8 == [
        (None, "council_members", "Thành viên Hội đồng TĐKT tỉnh"),
        (
            None,
            "cluster_member_units",
            "các cơ quan, đơn vị, địa phương tham gia cụm, khối thi đua của tỉnh",
        ),
    ]
    iii1 = [(c.group, c.label) for c in tasks["III.1"].coordinators]
    assert iii1 == [("provincial_leaders", "Lãnh đạo tỉnh"), (None, "Văn phòng UBND tỉnh")]


async def test_seed_loads_once(session):
    await load_seed(session)

    again = await load_plan_2026(session)
    await session.commit()

    assert again == []
    assert await _count(session, Plan) == 1
    assert await _count(session, Task) == 22
    assert await _count(session, Unit) == 3


async def test_seed_reuses_a_unit_the_directory_knows_under_an_alias(session):
    office = await make_unit(
        session, code="VP", name="Văn phòng UBND tỉnh Sơn La", aliases=["VP UBND tỉnh"]
    )
    await session.commit()

    plan = await load_seed(session)
    tasks = await _tasks(session, plan.id)

    assert await session.scalar(select(func.count()).where(Unit.code == "VPUBND")) == 0
    assert tasks["III.1"].coordinators[1].unit_id == office.id  # "Văn phòng UBND tỉnh"
    assert tasks["I.1"].coordinators[0].unit_id == office.id  # "Văn phòng Ủy ban nhân dân tỉnh"
    await session.refresh(office)
    assert "Văn phòng UBND tỉnh" in office.aliases and "VP UBND tỉnh" in office.aliases


async def test_seed_load_is_audited_and_announced(session):
    plan = await load_seed(session)

    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.imported"))
    event = await session.scalar(select(Event).where(Event.type == "plan.imported"))
    assert entry.entity_id == plan.id and len(entry.after["tasks"]) == 22
    assert event.entity_id == plan.id and event.data["tasks_created"] == 22


async def test_unknown_names_stay_as_labels_with_warnings(session):
    await make_unit(session, name="Sở Tư pháp")
    await session.commit()
    rows = [
        ["I", "Nhiệm vụ thực hiện trong quý I", "", "", ""],
        ["1", "Rà soát văn bản", "02/2027", "Sở Khoa học và Công nghệ", "Sở Tư pháp; Sở Y tế"],
    ]

    outcome = await import_plan(session, SYSTEM, appendix_csv(rows), "phu-luc.csv")
    await session.commit()

    task = (await _tasks(session, outcome.plan.id))["I.1"]
    assert task.lead_unit_id is None and task.lead_unit_label == "Sở Khoa học và Công nghệ"
    assert [(c.unit_id is not None, c.label) for c in task.coordinators] == [
        (True, "Sở Tư pháp"),
        (False, "Sở Y tế"),
    ]
    unknown = [w for w in outcome.warnings if w["code"] == "unknown_unit"]
    assert [w["task_code"] for w in unknown] == ["I.1", "I.1"]
    assert "Sở Khoa học và Công nghệ" in unknown[0]["message"]
    assert "Sở Y tế" in unknown[1]["message"]
    assert outcome.plan.year == 2027


async def test_duplicate_codes_are_renamed_not_dropped(session):
    rows = [
        ["I", "Nhiệm vụ thực hiện trong quý I", "", "", ""],
        ["1", "Việc thứ nhất", "01/2027", "Sở Nội vụ", ""],
        ["1", "Việc thứ hai", "02/2027", "Sở Nội vụ", ""],
    ]

    outcome = await import_plan(session, SYSTEM, appendix_csv(rows), "a.csv")
    await session.commit()

    tasks = await _tasks(session, outcome.plan.id)
    assert sorted(tasks) == ["I.1", "I.1-2"]
    assert tasks["I.1-2"].content == "Việc thứ hai"
    assert any(w["code"] == "duplicate_code" for w in tasks["I.1-2"].warnings)


async def test_a_dry_run_saves_nothing(session):
    outcome = await import_plan(session, SYSTEM, seed_bytes(), "kh.md", dry_run=True)
    await session.commit()

    assert outcome.dry_run and outcome.plan.id is None and outcome.tasks_created == 22
    assert await _count(session, Plan) == 0 and await _count(session, Task) == 0


async def test_a_file_that_is_not_a_plan_is_refused_with_the_reader_code(session):
    with pytest.raises(Unprocessable) as refused:
        await import_plan(session, SYSTEM, PNG_BYTES, "anh.png")

    assert refused.value.code == "unsupported_format"


def test_unit_names_match_whatever_the_accents_case_and_unicode_form():
    index = UnitIndex(
        [(7, "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh", ["Văn phòng UBND tỉnh"])]
    )
    decomposed = unicodedata.normalize("NFD", "Văn phòng Uỷ ban nhân dân tỉnh")

    assert index.match("văn phòng ubnd tỉnh") == 7
    assert index.match(decomposed) == 7
    assert index.match("  VP  UBND TỈNH. ") == 7
    assert index.match("Văn phòng Tỉnh ủy") is None


async def test_an_active_unit_wins_over_an_inactive_namesake(session):
    # The older unit was merged away and deactivated; the plan means the one in use.
    retired = await make_unit(session, name="Sở Tư pháp", code="STP-CU")
    retired.active = False
    current = await make_unit(session, name="Sở Tư Pháp tỉnh Sơn La", aliases=["Sở Tư pháp"])
    await session.commit()

    index = await UnitIndex.load(session)

    assert retired.id < current.id
    assert index.match("Sở Tư pháp") == current.id
    assert index.match("so tu phap tinh son la") == current.id


async def test_a_skipped_row_is_the_plans_warning_a_task_problem_the_tasks(session):
    rows = [
        ["I", "Nhiệm vụ thực hiện trong quý I", "", "", ""],
        ["1", "Việc có thời hạn lạ", "khi nào xong", "Sở Nội vụ", ""],
        ["a", "Dòng không đánh số", "", "", ""],
    ]

    outcome = await import_plan(session, SYSTEM, appendix_csv(rows), "a.csv", year=2027)
    await session.commit()

    task = (await _tasks(session, outcome.plan.id))["I.1"]
    assert [w["code"] for w in outcome.plan.warnings] == ["row_unrecognised"]
    assert "due_unparsed" in [w["code"] for w in task.warnings]
    listed = [w["code"] for w in outcome.warnings]
    assert listed.index("due_unparsed") < listed.index("row_unrecognised")  # in row order
