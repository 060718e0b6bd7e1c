"""The review workflow of a dossier: submit, withdraw, return, receive, appraise.

Each action loads the dossier in the caller's scope, checks the move against the one
transition table (`app.services.workflow`), applies the domain's own conditions, then moves it;
the audit entry and the event are written by `workflow.transition` in the same transaction.
"""

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.db import advisory_lock
from app.core.errors import Conflict, InvalidTransition, Unprocessable
from app.core.orm import check_version, serialize, touch
from app.core.principal import Principal
from app.core.statuses import DossierStatus, NominationStatus, RoundStatus
from app.core.text import nfc
from app.models import Dossier, DossierSubmission, Nomination, Round, RoundExtension
from app.schemas.dossiers import AppraisalBody, ReturnBody, SupplementRequest
from app.services import holidays, permissions, rule_values, workflow
from app.services.award_types import award_types_by_code
from app.services.award_types.catalogue import DOCUMENT_TYPES
from app.services.dossiers import nominations, queries, reviews, rules
from app.services.dossiers.checks import stored_checks
from app.services.nominees import initiative_uses


def _subject(dossier: Dossier) -> workflow.Subject:
    # A cluster's own dossier is followed by the cluster, not by the head unit's officers.
    unit_id = dossier.submitting_unit_id if dossier.owner_kind == "unit" else None
    return workflow.Subject(
        "dossier", dossier, "dossier", dossier.id, unit_id=unit_id, cluster_id=dossier.cluster_id,
        data=event_data(dossier),
    )  # fmt: skip


def event_data(dossier: Dossier) -> dict:
    """What a follower of a dossier's events needs without another call: its code, kind,
    round, unit and cluster (the move adds its status before and after)."""
    return {
        "code": dossier.code, "kind": dossier.kind, "round_id": dossier.round_id,
        "submitting_unit_id": dossier.submitting_unit_id, "cluster_id": dossier.cluster_id,
    }  # fmt: skip


async def _load(
    session: AsyncSession, actor: Principal, dossier_id: int, action: str, expected: int | None
) -> Dossier:
    # The role is refused before the dossier is looked up, the owner once it is loaded.
    right = f"dossier.{action.replace('-', '_')}"
    permissions.require(actor, right)
    dossier = await queries.get_dossier(session, actor, dossier_id)
    permissions.require(actor, right, dossier)
    check_version(dossier, expected)
    workflow.check_move("dossier", action, dossier.status)
    return dossier


_CLEARED_APPRAISAL = dict.fromkeys(
    ("appraisal_conclusion", "appraisal_note", "appraised_at", "appraised_by_id",
     "appraised_by_name")
)  # fmt: skip


def _move_nominations(dossier: Dossier, action: str, *, clear_appraisal: bool = False) -> None:
    """The nominations move with their dossier; the dossier's entry records it."""
    changes = _CLEARED_APPRAISAL if clear_appraisal else None
    for nomination in dossier.nominations:
        workflow.apply(nomination, "nomination", action, changes=changes)


# ---- submit ----------------------------------------------------------------------------------


async def _check_window(session: AsyncSession, dossier: Dossier, today: date) -> bool:
    """Refuse when the round does not take this unit's dossier today; True when late."""
    if dossier.round_id is None:
        return False
    round_ = await session.get(Round, dossier.round_id)
    until = await session.scalar(
        select(func.max(RoundExtension.until)).where(
            RoundExtension.round_id == round_.id,
            RoundExtension.unit_id == dossier.submitting_unit_id,
        )
    )
    supplement_due = dossier.supplement_due_on if dossier.status == DossierStatus.RETURNED else None
    reason = rules.submission_window(round_, until, supplement_due, today)
    if reason is None:
        state = (
            "chưa mở nhận hồ sơ" if round_.status == RoundStatus.DRAFT else "đã hết hạn nhận hồ sơ"
        )
        raise Conflict(
            f"{round_.name} {state} (hạn cuối {round_.submission_closes_on:%d/%m/%Y}) và đơn vị "
            "không được gia hạn; liên hệ Sở Nội vụ để được gia hạn.",
            code="round_closed",
        )
    return reason == "extension"


async def _check_documents(session: AsyncSession, dossier: Dossier) -> None:
    types = await award_types_by_code(session, {n.award_type_code for n in dossier.nominations})
    required = {code: list(row.required_documents or []) for code, row in types.items()}
    missing = rules.missing_documents(dossier.nominations, dossier.attachments, required)
    if missing:
        raise Unprocessable(
            rules.missing_message(missing), code="missing_documents", missing=missing
        )


async def _others(session: AsyncSession, dossier: Dossier) -> list[Nomination]:
    """Nominations of the same year in other dossiers already handed in, for the same awards."""
    mine = dossier.nominations
    units = {n.nominee_unit_id for n in mine if n.nominee_unit_id is not None}
    stmt = (
        select(Nomination)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .where(
            Dossier.id != dossier.id,
            Dossier.year == dossier.year,
            Dossier.status.notin_((DossierStatus.DRAFT, DossierStatus.WITHDRAWN)),
            Nomination.status != NominationStatus.WITHDRAWN,
            Nomination.award_type_code.in_({n.award_type_code for n in mine}),
            or_(
                Nomination.nominee_key.in_({n.nominee_key for n in mine}),
                Nomination.nominee_unit_id.in_(units),
            ),
        )
    )
    return list(await session.scalars(stmt))


async def _lock_award_types(session: AsyncSession, dossier: Dossier) -> None:
    """Queue concurrent submits that propose for the same award type in the same year.

    Without it two dossiers naming the same person, submitted at once on PostgreSQL, would each
    miss the other (neither is committed yet). Locks are taken in code order so two submits
    never wait for each other crosswise. SQLite's `BEGIN IMMEDIATE` already serialises writers.
    """
    for code in sorted({n.award_type_code for n in dossier.nominations}):
        await advisory_lock(session, dossier.year, code)


async def _check_cluster_results(session: AsyncSession, dossier: Dossier) -> None:
    """A cluster's result recorded after the draft still binds it: the unit's own Cờ thi đua
    proposal for a member that is not the leader is refused at submit too."""
    mine = dossier.nominations
    types = await award_types_by_code(session, {n.award_type_code for n in mine})
    await nominations.check_cluster_results(
        session, nominations.Owner.of(dossier), mine, [n.collective_id for n in mine], types
    )


async def _check_duplicates(session: AsyncSession, dossier: Dossier) -> None:
    """Điều 4 NĐ 152: the same nominee is not proposed twice for one award type in one year."""
    mine = dossier.nominations
    others = await _others(session, dossier)
    clashes = [
        n
        for i, n in enumerate(mine)
        if any(
            o.award_type_code == n.award_type_code and rules.same_nominee(n, o)
            for o in [*mine[i + 1 :], *others]
        )
    ]
    if clashes:
        names = "; ".join(f"{n.nominee_name} ({n.award_type_code})" for n in clashes)
        raise Conflict(
            f"Đối tượng đã được đề nghị cùng hình thức khen thưởng trong năm {dossier.year} "
            f"ở hồ sơ khác hoặc trùng trong hồ sơ này: {names}.",
            code="duplicate_nomination",
            duplicates=[
                {"nomination_id": n.id, "nominee_name": n.nominee_name,
                 "award_type_code": n.award_type_code}
                for n in clashes
            ],
        )  # fmt: skip


async def submit(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    comment: str | None,
    expected: int | None,
) -> Dossier:
    """Nộp hồ sơ: `draft|returned → submitted` while the round takes it, with every paper
    and no duplicate nominee."""
    dossier = await _load(session, actor, dossier_id, "submit", expected)
    if not dossier.nominations:
        raise Unprocessable("Hồ sơ chưa có đề nghị nào.", code="no_nominations")
    today = rules.today()
    late = await _check_window(session, dossier, today)
    await _check_cluster_results(session, dossier)
    await _check_documents(session, dossier)
    await _lock_award_types(session, dossier)
    await _check_duplicates(session, dossier)
    calendar = await holidays.calendar(session)
    clocks = await rule_values.get_rules(session)
    number = dossier.submission_count + 1
    # The unique (dossier_id, submission_no) row is what only one concurrent submit can insert.
    session.add(
        DossierSubmission(
            dossier_id=dossier.id, submission_no=number, submitted_by_id=actor.user_id, late=late
        )
    )
    _move_nominations(dossier, "submit")
    changes = {
        "submitted_at": utcnow(),
        "submission_count": number,
        "return_due_on": calendar.add_working_days(today, clocks.return_working_days),
    }
    await workflow.transition(
        session, actor, _subject(dossier), "submit", changes=changes, comment=comment
    )
    return dossier


# ---- the other moves -------------------------------------------------------------------------


async def withdraw(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    comment: str | None,
    expected: int | None,
) -> Dossier:
    """Rút hồ sơ: the owner takes it back; its nominations are withdrawn too."""
    dossier = await _load(session, actor, dossier_id, "withdraw", expected)
    _move_nominations(dossier, "withdraw")
    await workflow.transition(session, actor, _subject(dossier), "withdraw", comment=comment)
    return dossier


async def return_dossier(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    body: ReturnBody,
    expected: int | None,
) -> Dossier:
    """Trả lại để bổ sung, with reasons and a deadline (default: the rule value
    `supplement_working_days` from today)."""
    dossier = await _load(session, actor, dossier_id, "return", expected)
    today = rules.today()
    due = body.supplement_due_on
    if due is None:
        days = (await rule_values.get_rules(session)).supplement_working_days
        due = (await holidays.calendar(session)).add_working_days(today, days)
    elif due < today:
        raise Unprocessable("Hạn bổ sung không được ở trong quá khứ.", code="due_in_past")
    requests = return_requests(dossier, body.requests)
    _move_nominations(dossier, "return", clear_appraisal=True)
    changes = {
        "supplement_due_on": due,
        "returned_at": utcnow(),
        "return_reason": body.reason,
        "return_requests": requests,
    }
    await workflow.transition(
        session, actor, _subject(dossier), "return", changes=changes, comment=body.reason,
        event_data={"reason": body.reason, "supplement_due_on": due.isoformat(),
                    "requests": [_without_name(line) for line in requests]},
    )  # fmt: skip
    return dossier


def _without_name(line: dict) -> dict:
    """A return line as its event carries it: event data name no one."""
    return {key: value for key, value in line.items() if key != "nominee_name"}


def return_requests(dossier: Dossier, asked: list[SupplementRequest]) -> list[dict]:
    """The phiếu yêu cầu bổ sung as stored: one line per nominee of this dossier (lines for
    the same nominee merged; the whole dossier's first), each paper by its name. A nomination
    of another dossier is a 422 `unknown_nomination`, an unknown paper type a 422
    `unknown_document_type`."""
    names = {n.id: n.nominee_name for n in dossier.nominations}
    lines: dict[int | None, dict] = {}
    for item in asked:
        if item.nomination_id is not None and item.nomination_id not in names:
            raise Unprocessable(
                f"Đề nghị #{item.nomination_id} không thuộc hồ sơ {dossier.code}; chỉ yêu cầu "
                "bổ sung cho các đề nghị của hồ sơ này.",
                code="unknown_nomination",
                nomination_id=item.nomination_id,
            )
        unknown = [code for code in item.document_types if code not in DOCUMENT_TYPES]
        if unknown:
            raise Unprocessable(
                f"Loại giấy tờ không có: {', '.join(unknown)}. Dùng một trong: "
                f"{', '.join(DOCUMENT_TYPES)}.",
                code="unknown_document_type",
                unknown=unknown,
            )
        line = lines.setdefault(item.nomination_id, {
            "nomination_id": item.nomination_id,
            "nominee_name": names.get(item.nomination_id) if item.nomination_id else None,
            "document_types": [], "papers": [], "note": None,
        })  # fmt: skip
        for code in item.document_types:
            if code not in line["document_types"]:
                line["document_types"].append(code)
        named = [DOCUMENT_TYPES[code] for code in item.document_types]
        for paper in (*named, *(nfc(p) for p in item.papers)):
            if paper not in line["papers"]:
                line["papers"].append(paper)
        if item.note:
            note = nfc(item.note)
            line["note"] = f"{line['note']} {note}" if line["note"] else note
    order = [None, *names]
    return [lines[key] for key in order if key in lines]


async def receive(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    comment: str | None,
    expected: int | None,
) -> Dossier:
    """Tiếp nhận: the appraisal clock (rule value `appraisal_working_days`) starts today."""
    dossier = await _load(session, actor, dossier_id, "receive", expected)
    calendar = await holidays.calendar(session)
    days = (await rule_values.get_rules(session)).appraisal_working_days
    changes = {
        "received_at": utcnow(),
        "appraisal_due_on": calendar.add_working_days(rules.today(), days),
    }
    await workflow.transition(
        session, actor, _subject(dossier), "receive", changes=changes, comment=comment,
        event_data={"appraisal_due_on": changes["appraisal_due_on"].isoformat()},
    )  # fmt: skip
    return dossier


async def complete_appraisal(
    session: AsyncSession,
    actor: Principal,
    dossier_id: int,
    comment: str | None,
    expected: int | None,
) -> Dossier:
    """`under_appraisal → appraised` once every nomination has a conclusion."""
    dossier = await _load(session, actor, dossier_id, "complete-appraisal", expected)
    pending = [n for n in dossier.nominations if n.appraisal_conclusion is None]
    if pending:
        names = ", ".join(n.nominee_name for n in pending)
        raise Conflict(
            f"Còn {len(pending)} đề nghị chưa có kết luận thẩm định: {names}.",
            code="appraisal_incomplete",
            pending_nomination_ids=[n.id for n in pending],
        )
    await workflow.transition(
        session, actor, _subject(dossier), "complete-appraisal",
        changes={"appraised_at": utcnow()}, comment=comment,
    )  # fmt: skip
    return dossier


async def appraise_nomination(
    session: AsyncSession,
    actor: Principal,
    nomination_id: int,
    body: AppraisalBody,
    expected: int | None,
) -> tuple[Nomination, Dossier]:
    """Kết luận thẩm định of one nomination, while its dossier is under appraisal."""
    permissions.require(actor, "nomination.appraise")
    # One conclusion at a time: the initiatives it settles are another's to check (see there).
    await serialize(session, initiative_uses.APPRAISAL_LOCK)
    nomination = await queries.get_nomination(session, actor, nomination_id)
    dossier = await queries.get_dossier(session, actor, nomination.dossier_id)
    check_version(nomination, expected)
    if dossier.status != DossierStatus.UNDER_APPRAISAL:
        raise InvalidTransition(
            "Chỉ kết luận thẩm định khi hồ sơ đang thẩm định (đã tiếp nhận, chưa hoàn thành).",
            current_status=dossier.status,
        )
    subject = workflow.Subject(
        "nomination", nomination, "dossier", dossier.id,
        unit_id=_subject(dossier).unit_id, cluster_id=dossier.cluster_id,
        data={"dossier_id": dossier.id, "award_type_code": nomination.award_type_code},
    )  # fmt: skip
    changes = {
        "appraisal_conclusion": body.conclusion,
        "appraisal_note": body.note,
        "appraised_at": utcnow(),
        "appraised_by_id": actor.user_id,
        "appraised_by_name": actor.full_name or actor.username,
    }
    touch(dossier)
    await workflow.transition(
        session, actor, subject, "appraise", target=body.conclusion, changes=changes,
        comment=body.note,
    )  # fmt: skip
    # Concluded eligible, it holds the initiatives its passing checks stood on (one initiative,
    # one award); found ineligible, it frees them.
    computed = await stored_checks(session, [nomination], {dossier.id: dossier.year})
    checked = reviews.merged(computed[nomination.id], nomination.check_reviews)
    await initiative_uses.settle(session, actor, nomination, dossier, checked)
    return nomination, dossier
