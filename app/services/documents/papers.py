"""The context of each paper, read from the database within what the caller may see.

Each function returns a `Paper`: the template to fill, its context and the download name.
Readers (reporting scripts) get names, units and counts, never a position or a person's own
account of their work.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.nominee_kinds import NomineeKind
from app.core.principal import Principal
from app.core.statuses import MeetingStatus
from app.core.text import fold
from app.models import (
    AgendaItem,
    AwardType,
    BallotParticipation,
    Council,
    CouncilMember,
    Dossier,
    Meeting,
    MeetingResult,
    MeetingVoter,
    Nomination,
    Round,
    Unit,
)
from app.models.award_history import AwardHistory
from app.models.meetings import Absence, Attendance
from app.models.nominees import Initiative, InitiativeAuthor, YearlyRating
from app.services import permissions, policies, rule_values
from app.services.award_types.criteria import RATING_NAMES
from app.services.documents.wording import (
    PROVINCE_UPPER,
    abbreviation,
    dotted_date,
    issuer_lines,
    number_line,
    place_date,
    signature,
    two_digits,
    upper,
    vn_date,
    vn_number,
)
from app.services.dossiers import queries
from app.services.meetings.access import get_meeting

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LAW = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
DECREE = (
    "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật "
    "Thi đua, khen thưởng;"
)
COUNCIL_ROLE = {"chu_tich": "Chủ tịch", "pho_chu_tich": "Phó Chủ tịch",
                "uy_vien_thuong_truc": "Ủy viên thường trực", "uy_vien": "Ủy viên"}  # fmt: skip
COUNCIL_SYMBOL = "BB-HĐTĐKT"
DOTS = "." * 60  # a blank the secretary fills in by hand


@dataclass(frozen=True)
class Paper:
    template: str
    context: dict[str, Any]
    name: str  # the download name, without extension


# ---- the tờ trình of a unit -----------------------------------------------------------------


def _signer(unit_name: str) -> tuple[str, str]:
    """Quyền hạn and chức vụ of who signs for the unit (its head, by the kind of unit)."""
    issuer_parent, _ = issuer_lines(unit_name)
    if not issuer_parent:
        return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    if abbreviation(unit_name).startswith("S"):
        return "GIÁM ĐỐC", ""
    return "THỦ TRƯỞNG ĐƠN VỊ", ""


def _kinds(items: list[Nomination]) -> str:
    return kinds_of(items)


def kinds_of(rows: list[Any]) -> str:
    """'02 cá nhân và 01 tập thể': the nominees counted by kind."""
    counts = Counter(r.nominee_kind for r in rows)
    return " và ".join(f"{two_digits(counts[k])} {label}" for k, label in rule_values.KINDS.items()
                       if counts[k])  # fmt: skip


async def _award_names(session: AsyncSession, codes: set[str]) -> dict[str, tuple[int, str]]:
    rows = await session.execute(
        select(AwardType.code, AwardType.position, AwardType.name).where(AwardType.code.in_(codes))
    )
    return {code: (position, name) for code, position, name in rows}


async def _unit_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))
    return dict(rows.all())


def roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _by_award(items: list[Any], award_of, names: dict[str, tuple[int, str]]):
    """[(award name, [items])] in the catalogue's order."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        grouped[award_of(item)].append(item)
    order = sorted(grouped, key=lambda code: (names.get(code, (10**6, code))[0], code))
    return [(names.get(code, (0, code))[1], grouped[code]) for code in order]


async def unit_submission(
    session: AsyncSession, principal: Principal, dossier_id: int, on: date | None
) -> Paper:
    """Tờ trình đề nghị khen thưởng of the unit that made the dossier, with its danh sách."""
    permissions.require(principal, "document.dossier_submission")
    dossier = await queries.get_dossier(session, principal, dossier_id)
    nominations = list(dossier.nominations)
    unit_ids = {dossier.submitting_unit_id} | {
        n.nominee_unit_id for n in nominations if n.nominee_unit_id
    }
    units = await _unit_names(session, unit_ids)
    awards = await _award_names(session, {n.award_type_code for n in nominations})
    round_ = await session.get(Round, dossier.round_id) if dossier.round_id else None
    unit = units[dossier.submitting_unit_id]
    issuer_parent, issuer = issuer_lines(unit)
    symbol = f"TTr-{abbreviation(unit)}"
    authority, title = _signer(unit)
    personal = policies.sees_personal_data(principal)
    occasion = lower_first(round_.name) if round_ else f"năm {dossier.year}"
    groups, summary = [], []
    for index, (award, items) in enumerate(
        _by_award(nominations, lambda n: n.award_type_code, awards), start=1
    ):
        rows = [_nominee_row(number, n, units, unit, personal) for number, n in
                enumerate(items, start=1)]  # fmt: skip
        groups.append({"title": f"{roman(index)}. {upper(award)} ({two_digits(len(items))})",
                       "rows": rows})  # fmt: skip
        summary.append(f"- {award}: {_kinds(items)};")
    if summary:
        summary[-1] = summary[-1][:-1] + "."
    body = [
        LAW,
        DECREE,
        f"Xét thành tích đạt được, {unit} kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, "
        f"khen thưởng {_kinds(nominations) or 'các trường hợp'} ({occasion}), cụ thể như sau:",
        *summary,
        "(Có danh sách và hồ sơ kèm theo).",
        f"{unit} kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./.",
    ]
    context = {
        "issuer_parent": issuer_parent,
        "issuer": issuer,
        "number": number_line(symbol),
        "place_date": place_date(on),
        "subject": f"Về việc đề nghị khen thưởng {occasion}",
        "addressee": "Chủ tịch Ủy ban nhân dân tỉnh Sơn La",
        "body": body,
        "recipients": ["Như trên;", "Sở Nội vụ (Ban Thi đua - Khen thưởng);", "Lưu: VT."],
        **signature(authority, title=title),
        "list_subtitle": f"(Kèm theo Tờ trình số{number_line(symbol)} ngày"
        f"{' ' + vn_date(on)[5:] if on else '      '} của {unit})",
        "groups": groups,
        "total": two_digits(len(nominations)),
    }
    return Paper("to-trinh-don-vi", context, f"Tờ trình đề nghị khen thưởng - {dossier.code}")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _nominee_row(number: int, n: Nomination, units: dict[int, str], unit: str, personal: bool):
    nominee_unit = units.get(n.nominee_unit_id) if n.nominee_unit_id else unit
    # A household has no position: its line shows where it lives instead.
    position = (n.position or n.nominee_address) if personal else None
    # A person's or a household's own account is personal data; a collective's is not.
    summary = n.achievement_summary if personal or n.nominee_kind == NomineeKind.COLLECTIVE else ""
    return {
        "no": str(number),
        "name": n.nominee_name,
        "position_unit": ", ".join(p for p in (position, nominee_unit) if p),
        "summary": summary or "",
        "note": "",
    }


# ---- the council's papers --------------------------------------------------------------------


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM)


def _time_of_day(moment: datetime) -> str:
    local = local_time(moment)
    return f"{local.hour:02d} giờ {local.minute:02d}"


async def _council_heading(session: AsyncSession, meeting: Meeting) -> dict[str, Any]:
    council = await session.get(Council, meeting.council_id)
    return {
        "issuer_parent": PROVINCE_UPPER,
        "issuer": upper(council.name if council else "Hội đồng Thi đua - Khen thưởng tỉnh"),
        "number": number_line(COUNCIL_SYMBOL),
        # The day the meeting was held, which may not be the day it was first scheduled for.
        "place_date": place_date(local_time(meeting.opened_at or meeting.scheduled_at).date()),
        "subject": f"{meeting.title}",
    }


def nominee_unit_name() -> Any:
    """The unit a nomination's nominee belongs to, as printed: the nominee's own unit where one
    is recorded, else the unit that submitted the dossier (a labelled column to select)."""
    nominee_unit = select(Unit.name).where(Unit.id == Nomination.nominee_unit_id)
    dossier_unit = (
        select(Unit.name)
        .join(Dossier, Dossier.submitting_unit_id == Unit.id)
        .where(Dossier.id == Nomination.dossier_id)
    )
    return func.coalesce(nominee_unit.scalar_subquery(), dossier_unit.scalar_subquery()).label(
        "unit_name"
    )


async def agenda_rows(session: AsyncSession, meeting_id: int) -> list[Any]:
    """The agenda's nominations, their award type and unit, and (after the close) counts."""
    stmt = (
        select(AgendaItem.position, Nomination.id, Nomination.nominee_name,
               Nomination.nominee_kind, Nomination.position.label("nominee_position"),
               Nomination.achievement_summary,
               Nomination.award_type_code, AwardType.position.label("award_position"),
               AwardType.name.label("award_name"),
               nominee_unit_name(),
               MeetingResult.approve, MeetingResult.reject, MeetingResult.abstain,
               MeetingResult.approve_percent, MeetingResult.threshold_percent,
               MeetingResult.passed)
        .select_from(AgendaItem)
        .join(Nomination, Nomination.id == AgendaItem.nomination_id)
        .join(AwardType, AwardType.code == Nomination.award_type_code)
        .outerjoin(MeetingResult, (MeetingResult.meeting_id == AgendaItem.meeting_id)
                   & (MeetingResult.nomination_id == AgendaItem.nomination_id))
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AwardType.position, AgendaItem.position)
    )  # fmt: skip
    return list((await session.execute(stmt)).all())


def award_groups(rows: list[Any], make_row) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["code"] != row.award_type_code:
            groups.append({"code": row.award_type_code,
                           "title": f"{roman(len(groups) + 1)}. {upper(row.award_name)}",
                           "rows": []})  # fmt: skip
        group = groups[-1]
        group["rows"].append(make_row(len(group["rows"]) + 1, row))
    return groups


def _result_row(number: int, row: Any) -> dict[str, str]:
    return {
        "no": str(number),
        "name": f"{row.nominee_name}, {row.unit_name}" if row.unit_name else row.nominee_name,
        "approve": str(row.approve),
        "reject": str(row.reject),
        "abstain": str(row.abstain),
        "share": f"{vn_number(row.approve_percent)}% / {vn_number(row.threshold_percent)}%",
        "result": "Đạt" if row.passed else "Không đạt",
    }


async def closed_meeting(session: AsyncSession, principal: Principal, meeting_id: int):
    meeting = await get_meeting(session, principal, meeting_id)
    if meeting.status != MeetingStatus.CLOSED:
        raise Conflict(
            f"Phiên họp “{meeting.title}” chưa kết thúc; biên bản chỉ lập sau khi kiểm phiếu.",
            code="meeting_not_closed",
            current_status=meeting.status,
        )
    return meeting


def _results_summary(rows: list[Any]) -> str:
    passed = sum(1 for r in rows if r.passed)
    return (
        f"Có {two_digits(passed)} đề nghị đạt tỷ lệ phiếu tán thành theo quy định (tính trên "
        f"tổng số thành viên Hội đồng) và {two_digits(len(rows) - passed)} đề nghị không đạt."
    )


async def _roll(session: AsyncSession, meeting: Meeting) -> list[CouncilMember]:
    """The members the meeting counted: its voter roll (fixed at the opening)."""
    stmt = (
        select(CouncilMember)
        .join(MeetingVoter, MeetingVoter.member_id == CouncilMember.id)
        .where(MeetingVoter.meeting_id == meeting.id)
        .order_by(CouncilMember.id)
    )
    return list(await session.scalars(stmt))


async def council_minutes(session: AsyncSession, principal: Principal, meeting_id: int) -> Paper:
    """Biên bản họp Hội đồng, after the close: who attended, the agenda, the results."""
    permissions.require(principal, "document.meeting_minutes")
    meeting = await closed_meeting(session, principal, meeting_id)
    heading = await _council_heading(session, meeting)
    roll = await _roll(session, meeting)
    attended = select(Attendance.member_id).where(Attendance.meeting_id == meeting.id)
    present = set(await session.scalars(attended))
    personal = policies.sees_personal_data(principal)
    reasons = await _absence_reasons(session, meeting.id) if personal else {}
    order = {"chu_tich": 0, "pho_chu_tich": 1, "uy_vien_thuong_truc": 2, "uy_vien": 3}
    roll.sort(key=lambda m: (order.get(m.council_role, 9), m.id))
    chair = next((m for m in roll if m.id in present), None)
    attendance = [
        {"no": str(i), "name": m.full_name, "position": (m.position or "") if personal else "",
         "council_role": COUNCIL_ROLE.get(m.council_role, m.council_role),
         "attendance": _attendance(m.id, present, reasons)}
        for i, m in enumerate(roll, start=1)
    ]  # fmt: skip
    rows = await agenda_rows(session, meeting.id)
    total = meeting.members_total or len(roll)
    count = meeting.present if meeting.present is not None else len(present)
    award_counts = Counter(r.award_name for r in rows)
    opened = meeting.opened_at or meeting.scheduled_at
    closed = meeting.closed_at or opened
    context = {
        **heading,
        "opening": [
            f"Thời gian: {_time_of_day(opened)}, {vn_date(local_time(opened).date())}.",
            f"Địa điểm: {DOTS}",
            f"Chủ trì: {_member_line(chair, personal) if chair else DOTS}.",
            f"Thư ký: {DOTS}",
        ],
        "attendance": attendance,
        "attendance_summary": (
            f"Tổng số thành viên Hội đồng: {two_digits(total)}; có mặt {two_digits(count)} "
            f"thành viên ({vn_number(round(count * 100 / total, 2) if total else 0)}%), vắng mặt "
            f"{two_digits(total - count)} thành viên."
        ),
        "agenda_text": [
            f"Hội đồng xem xét, biểu quyết bằng phiếu kín {two_digits(len(rows))} đề nghị "
            "khen thưởng do Sở Nội vụ trình, gồm:",
            *[f"- {name}: {two_digits(n)} đề nghị;" for name, n in award_counts.items()],
        ],
        "groups": award_groups(rows, _result_row),
        "result_summary": _results_summary(rows),
        "closing": [
            f"Phiên họp kết thúc lúc {_time_of_day(closed)}, {vn_date(local_time(closed).date())}.",
            "Biên bản đã được đọc lại trước Hội đồng và các thành viên dự họp nhất trí "
            "thông qua./.",
        ],
        "secretary": "",
        "chair": chair.full_name if chair else "",
    }
    return Paper("bien-ban-hop-hoi-dong", context, f"Biên bản họp Hội đồng - {meeting.title}")


async def _absence_reasons(session: AsyncSession, meeting_id: int) -> dict[int, str]:
    rows = await session.execute(
        select(Absence.member_id, Absence.reason).where(Absence.meeting_id == meeting_id)
    )
    return {member_id: reason for member_id, reason in rows}


def _attendance(member_id: int, present: set[int], reasons: dict[int, str]) -> str:
    """ "Có mặt", or "Vắng mặt" with the reason recorded at the roll call (a reporting account's
    copy leaves reasons out: they may say why a person was away)."""
    if member_id in present:
        return "Có mặt"
    reason = reasons.get(member_id)
    return f"Vắng mặt ({reason})" if reason else "Vắng mặt"


def _member_line(member: CouncilMember, personal: bool) -> str:
    role = COUNCIL_ROLE.get(member.council_role, member.council_role)
    position = f", {member.position}" if personal and member.position else ""
    return f"Ông/Bà {member.full_name}{position}, {role} Hội đồng"


async def tally_minutes(session: AsyncSession, principal: Principal, meeting_id: int) -> Paper:
    """Biên bản kiểm phiếu, after the close: ballots received, the counts of each item."""
    permissions.require(principal, "document.tally_minutes")
    meeting = await closed_meeting(session, principal, meeting_id)
    heading = await _council_heading(session, meeting)
    cast = dict(
        (await session.execute(
            select(BallotParticipation.cast_as, func.count())
            .where(BallotParticipation.meeting_id == meeting.id)
            .group_by(BallotParticipation.cast_as)
        )).all()
    )  # fmt: skip
    received = sum(cast.values())
    rows = await agenda_rows(session, meeting.id)
    total = meeting.members_total or 0
    closed = meeting.closed_at or meeting.scheduled_at
    context = {
        **heading,
        "subject": f"Biểu quyết bằng phiếu kín - {meeting.title}",
        "opening": [
            f"Thời gian: {_time_of_day(closed)}, {vn_date(local_time(closed).date())}.",
            f"Ban kiểm phiếu tiến hành kiểm phiếu biểu quyết {two_digits(len(rows))} đề nghị "
            "khen thưởng, kết quả như sau:",
        ],
        "ballot_counts": [
            f"Tổng số thành viên Hội đồng: {two_digits(total)}.",
            f"Số phiếu thu về: {two_digits(received)} (bỏ phiếu tại phiên họp: "
            f"{two_digits(cast.get('present', 0))}; phiếu gửi bằng văn bản: "
            f"{two_digits(cast.get('written', 0))}).",
            f"Số phiếu hợp lệ: {two_digits(received)}; số phiếu không hợp lệ: 00.",
            f"Số thành viên không gửi phiếu: {two_digits(max(total - received, 0))}.",
        ],
        "groups": award_groups(rows, _result_row),
        "result_summary": _results_summary(rows),
        "closing": [
            f"Biên bản kiểm phiếu lập xong lúc {_time_of_day(closed)}, "
            f"{vn_date(local_time(closed).date())}./."
        ],
    }
    return Paper("bien-ban-kiem-phieu", context, f"Biên bản kiểm phiếu - {meeting.title}")


async def ballot_paper(session: AsyncSession, principal: Principal, meeting_id: int) -> Paper:
    """The blank phiếu bầu of the meeting's agenda, for members who vote on paper."""
    permissions.require(principal, "document.ballot_paper")
    meeting = await get_meeting(session, principal, meeting_id)
    heading = await _council_heading(session, meeting)
    rows = await agenda_rows(session, meeting.id)
    groups = award_groups(
        rows,
        lambda number, row: {"no": str(number), "name": row.nominee_name,
                             "unit": row.unit_name or ""},
    )  # fmt: skip
    context = {
        **heading,
        "subject": f"Biểu quyết đề nghị khen thưởng - {meeting.title}",
        "instructions": [
            "Với mỗi cá nhân, tập thể dưới đây, thành viên Hội đồng đánh dấu (X) vào một ô "
            "“Tán thành” hoặc “Không tán thành”; để trống cả hai ô là không biểu quyết. Phiếu "
            "đánh dấu cả hai ô của cùng một dòng không được tính cho dòng đó.",
        ],
        "groups": groups,
        "footnote": "Thành viên Hội đồng không ghi tên vào phiếu. Phiếu gửi bằng văn bản "
        "được niêm phong và gửi về Thường trực Hội đồng trước giờ kiểm phiếu.",
    }
    return Paper("phieu-bau", context, f"Phiếu bầu - {meeting.title}")


async def meeting_submission(
    session: AsyncSession,
    principal: Principal,
    meeting_id: int,
    on: date | None,
    *,
    signer: str | None = None,
    on_behalf: bool = False,
) -> Paper:
    """Sở Nội vụ's tờ trình to the Chủ tịch UBND tỉnh after a council meeting: the nominations
    that reached their threshold, by award type, with the list attached; signed by the Giám
    đốc, or for them by a deputy (KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)."""
    permissions.require(principal, "document.meeting_submission")
    meeting = await closed_meeting(session, principal, meeting_id)
    rows = [row for row in await agenda_rows(session, meeting.id) if row.passed]
    held = vn_date(local_time(meeting.opened_at or meeting.scheduled_at).date())
    personal = policies.sees_personal_data(principal)
    groups = award_groups(rows, lambda number, row: _passed_row(number, row, personal))
    for group in groups:
        group["title"] = f"{group['title']} ({two_digits(len(group['rows']))})"
    summary = []
    for group in groups:
        kinds = Counter(r.nominee_kind for r in rows if r.award_type_code == group["code"])
        parts = [f"{two_digits(kinds[k])} {label}" for k, label in rule_values.KINDS.items()
                 if kinds[k]]  # fmt: skip
        award = next(r.award_name for r in rows if r.award_type_code == group["code"])
        summary.append(f"- {award}: {' và '.join(parts)};")
    if summary:
        summary[-1] = summary[-1][:-1] + "."
    context = {
        "issuer_parent": PROVINCE_UPPER,
        "issuer": "SỞ NỘI VỤ",
        "number": number_line("TTr-SNV"),
        "place_date": place_date(on),
        "subject": f"Về việc đề nghị khen thưởng theo kết quả {lower_first(meeting.title)}",
        "addressee": "Chủ tịch Ủy ban nhân dân tỉnh Sơn La",
        "body": [
            LAW,
            DECREE,
            f"Căn cứ kết quả biểu quyết tại {lower_first(meeting.title)} của Hội đồng Thi đua "
            f"- Khen thưởng tỉnh, {held};",
            f"Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định khen "
            f"thưởng {two_digits(len(rows))} trường hợp đạt tỷ lệ phiếu tán thành theo quy "
            "định, cụ thể như sau:",
            *summary,
            "(Có danh sách và biên bản họp Hội đồng kèm theo).",
            "Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./.",
        ],
        "recipients": ["Như trên;", "Hội đồng Thi đua - Khen thưởng tỉnh;", "Lưu: VT, TĐKT."],
        **signature("GIÁM ĐỐC", deputy="PHÓ GIÁM ĐỐC" if on_behalf else None, name=signer or ""),
        "list_subtitle": f"(Kèm theo Tờ trình số{number_line('TTr-SNV')} ngày"
        f"{' ' + vn_date(on)[5:] if on else '      '} của Sở Nội vụ)",
        "groups": groups,
        "total": two_digits(len(rows)),
    }
    return Paper("to-trinh-so-noi-vu", context, f"Tờ trình Sở Nội vụ - {meeting.title}")


def _passed_row(number: int, row: Any, personal: bool = True) -> dict[str, str]:
    """A line of Sở Nội vụ's danh sách: who, their position and unit (the position only for a
    caller who may see personal data), the achievement the unit summarised, the vote."""
    position = row.nominee_position if personal else None
    unit = row.unit_name or ""
    if position and unit and fold(unit) not in fold(position):
        position_unit = f"{position}, {unit}"
    else:
        position_unit = position or unit
    return {
        "no": str(number),
        "name": row.nominee_name,
        "position_unit": position_unit,
        # A person's or a household's own account is personal data; a collective's is not.
        "summary": (row.achievement_summary or "").strip()
        if personal or row.nominee_kind == NomineeKind.COLLECTIVE
        else "",
        "note": f"Tán thành {vn_number(row.approve_percent)}% "
        f"(ngưỡng {vn_number(row.threshold_percent)}%)",
    }


# ---- the công văn trả hồ sơ ------------------------------------------------------------------


def _request_row(number: int, line: dict[str, Any]) -> dict[str, str]:
    return {
        "no": str(number),
        "name": line.get("nominee_name") or "Chung cho cả hồ sơ",
        "papers": "\n".join(f"- {paper}" for paper in line.get("papers", [])),
        "note": line.get("note") or "",
    }


async def return_letter(
    session: AsyncSession, principal: Principal, dossier_id: int, on: date | None
) -> Paper:
    """Công văn trả hồ sơ, phiếu yêu cầu bổ sung: Sở Nội vụ to the unit, after its last return
    of the dossier — the reason, the papers to add per nominee, the deadline. A dossier never
    returned is a 409 `dossier_not_returned`."""
    permissions.require(principal, "document.return_letter")
    dossier = await queries.get_dossier(session, principal, dossier_id)
    if dossier.returned_at is None:
        raise Conflict(
            f"Hồ sơ {dossier.code} chưa bị trả lại lần nào nên chưa có công văn trả hồ sơ; "
            "công văn được lập sau khi Sở Nội vụ trả hồ sơ (POST /dossiers/{id}/return).",
            code="dossier_not_returned",
            current_status=dossier.status,
        )
    unit = (await _unit_names(session, {dossier.submitting_unit_id}))[dossier.submitting_unit_id]
    returned_on = local_time(dossier.returned_at).date()
    received = "Sở Nội vụ đã nhận được"
    if dossier.submitted_at:
        received = f"N{vn_date(local_time(dossier.submitted_at).date())[1:]}, Sở Nội vụ nhận được"
    requests = [_request_row(i, line) for i, line in
                enumerate(dossier.return_requests or [], start=1)]  # fmt: skip
    if not requests:
        requests = [{"no": "1", "name": "Chung cho cả hồ sơ",
                     "papers": "- Hoàn thiện hồ sơ theo lý do nêu trên", "note": ""}]  # fmt: skip
    due = dossier.supplement_due_on
    deadline = (
        f"Hồ sơ bổ sung, hoàn thiện đề nghị {unit} gửi về Sở Nội vụ (qua Ban Thi đua - Khen "
        f"thưởng) trước {vn_date(due)}. Quá thời hạn trên, hồ sơ chỉ được nộp lại khi đợt "
        "xét khen thưởng còn nhận hồ sơ."
        if due
        else f"Hồ sơ bổ sung, hoàn thiện đề nghị {unit} gửi về Sở Nội vụ (qua Ban Thi đua - "
        "Khen thưởng) trong thời hạn quy định."
    )
    context = {
        "issuer_parent": PROVINCE_UPPER,
        "issuer": "SỞ NỘI VỤ",
        "number": number_line("SNV-TĐKT"),
        "excerpt": "V/v trả hồ sơ đề nghị khen thưởng, yêu cầu bổ sung hồ sơ",
        "place_date": place_date(on or returned_on),
        "addressee": unit,
        "body": [
            f"{received} hồ sơ {dossier.code} “{dossier.title}” của {unit} "
            f"({_kinds(list(dossier.nominations)) or 'chưa có đề nghị'}).",
            "Qua kiểm tra, hồ sơ chưa đủ điều kiện trình cấp có thẩm quyền xem xét, khen "
            f"thưởng. Lý do: {(dossier.return_reason or '').rstrip('.')}.",
            f"Sở Nội vụ trả lại hồ sơ và đề nghị {unit} bổ sung, hoàn thiện các nội dung sau:",
        ],
        "requests": requests,
        "closing": [deadline, f"Sở Nội vụ thông báo để {unit} biết, thực hiện./."],
        "recipients": ["Như trên;", "Giám đốc Sở (để b/c);", "Lưu: VT, TĐKT."],
        **signature("GIÁM ĐỐC"),
    }
    return Paper("cong-van-tra-ho-so", context, f"Công văn trả hồ sơ - {dossier.code}")


# ---- the báo cáo thành tích ------------------------------------------------------------------


BY_NAME = "(đối chiếu theo tên, cần kiểm tra)"


def _same_nominee(model: Any, nomination: Nomination, unit_id: int) -> list[Any]:
    """The rows of `model` (award history, ratings) that may be the nominee's, matched as the
    eligibility checks match them (app.services.dossiers.checks): a person by folded name and
    unit (`unit_id`: the nominee's, else the proposing unit's), a collective by its row in the
    register. Rows recorded without a unit (a person) or
    a collective without a register row fall back to the name; `_by_name` tells them apart."""
    kind = model.nominee_kind == nomination.nominee_kind
    if nomination.nominee_kind == "collective":
        if nomination.collective_id is None:
            return [kind, model.nominee_key == nomination.nominee_key]
        return [kind, model.collective_id == nomination.collective_id]
    return [kind, model.nominee_key == nomination.nominee_key,
            or_(model.unit_id == unit_id, model.unit_id.is_(None))]  # fmt: skip


def _by_name(row: Any, nomination: Nomination) -> bool:
    """A row found by the name alone, not by who the nominee is."""
    if nomination.nominee_kind == "collective":
        return nomination.collective_id is None
    return row.unit_id is None


async def achievement_report(
    session: AsyncSession, principal: Principal, dossier_id: int, nomination_id: int
) -> Paper:
    """Báo cáo thành tích of one nominee (cá nhân or tập thể), pre-filled with what tdkt knows:
    the unit, the position, the account of the work given in the nomination, the yearly
    ratings, the initiatives the person authored, and the titles and awards already decided
    (award history). The nominee or the unit completes it in Word and signs it."""
    permissions.require(principal, "document.achievement_report")
    nomination = await queries.get_nomination(session, principal, nomination_id, dossier_id)
    dossier = await queries.get_dossier(session, principal, dossier_id)
    unit_id = nomination.nominee_unit_id or dossier.submitting_unit_id
    units = await _unit_names(session, {unit_id, dossier.submitting_unit_id})
    unit = units[unit_id]
    person = nomination.nominee_kind == "individual"
    awards = await _award_names(session, {nomination.award_type_code})
    award = awards.get(nomination.award_type_code, (0, nomination.award_type_code))[1]
    ratings = (await session.scalars(
        select(YearlyRating).where(*_same_nominee(YearlyRating, nomination, unit_id))
        .order_by(YearlyRating.year)
    )).all()  # fmt: skip
    history = (await session.scalars(
        select(AwardHistory).where(*_same_nominee(AwardHistory, nomination, unit_id))
        .order_by(AwardHistory.year)
    )).all()  # fmt: skip
    history_names = await _award_names(session, {h.award_type_code for h in history})
    initiatives = []
    if person:  # written by the person at their unit, or where no unit was recorded
        authored = select(InitiativeAuthor.initiative_id).where(
            InitiativeAuthor.name_key == nomination.nominee_key
        )
        initiatives = (await session.scalars(
            select(Initiative)
            .where(Initiative.id.in_(authored),
                   or_(Initiative.unit_id == unit_id, Initiative.unit_id.is_(None)))
            .order_by(Initiative.year, Initiative.id)
        )).all()  # fmt: skip

    def labelled(text: str, row: Any) -> str:
        return f"{text} {BY_NAME}" if _by_name(row, nomination) else text

    titles = [
        {"year": str(r.year), "title": labelled(RATING_NAMES.get(r.rating, r.rating), r),
         "decision": r.decision_no or ""}
        for r in ratings
    ] + [
        {"year": str(h.year),
         "title": labelled(history_names.get(h.award_type_code, (0, h.award_type_code))[1], h),
         "decision": " ".join(p for p in (h.decision_no or "", f"ngày {dotted_date(h.decided_on)}"
                                          if h.decided_on else "") if p)}
        for h in history
    ]  # fmt: skip
    titles.sort(key=lambda row: row["year"])
    if person:
        profile = [
            f"Họ và tên: {nomination.nominee_name}",
            f"Năm sinh: {nomination.birth_year or DOTS[:20]}",
            f"Chức vụ: {nomination.position or DOTS[:40]}",
            f"Đơn vị công tác: {unit}",
        ]
    else:
        profile = [f"Tên tập thể: {nomination.nominee_name}", f"Thuộc: {unit}",
                   f"Tổng số cán bộ, công chức, viên chức: {DOTS[:20]}"]  # fmt: skip
    work = [p.strip() for p in (nomination.achievement_summary or "").split("\n") if p.strip()]
    context = {
        "issuer_parent": issuer_lines(unit)[0],
        "issuer": issuer_lines(unit)[1],
        "place_date": place_date(None),
        "subject": f"ĐỀ NGHỊ TẶNG {upper(award)}",
        "kind_title": "BÁO CÁO THÀNH TÍCH" if person else "BÁO CÁO THÀNH TÍCH CỦA TẬP THỂ",
        "profile": profile,
        "work": work or [f"{DOTS} (nêu thành tích đạt được)"],
        "initiatives": [
            labelled(
                f"- {i.title} ({i.year}{', ' + i.recognised_by if i.recognised_by else ''}"
                f"{', ' + i.decision_no if i.decision_no else ''})",
                i,
            )
            for i in initiatives
        ]
        or [f"- {DOTS}"],
        # Nothing recorded: blank rows for the unit to fill in by hand, not a software message.
        "titles": titles or [{"year": "", "title": "", "decision": ""} for _ in range(3)],
        "left_signer": "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ",
        "right_signer": "NGƯỜI BÁO CÁO THÀNH TÍCH" if person else "THỦ TRƯỞNG ĐƠN VỊ",
        "reporter": nomination.nominee_name if person else "",
    }
    template = "bao-cao-thanh-tich-ca-nhan" if person else "bao-cao-thanh-tich-tap-the"
    return Paper(template, context, f"Báo cáo thành tích - {nomination.nominee_name}")
