"""The Quyết định khen thưởng of the Chủ tịch UBND tỉnh with its danh sách kèm theo and the
prize amounts (tiền thưởng): the draft after a council meeting, with the number left for the
văn thư; and the paper of a decision already recorded, with its real number, date and signer.

Both come from one template (`du-thao-quyet-dinh`) and one computation of the prizes: the award
type's multiple (for its nominee kind) times the mức lương cơ sở, both as in force on the
decision's day.
"""

from collections import Counter
from datetime import date
from typing import Any

from num2words import num2words
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.principal import Principal
from app.models import (
    AwardType,
    Decision,
    DecisionItem,
    Meeting,
    MeetingResult,
    Nomination,
)
from app.services import permissions, rule_values
from app.services.decisions import records as decision_records
from app.services.documents.papers import (
    DECREE,
    LAW,
    Paper,
    agenda_rows,
    award_groups,
    closed_meeting,
    kinds_of,
    local_time,
    lower_first,
    nominee_unit_name,
)
from app.services.documents.wording import (
    number_line,
    place_date,
    signature,
    two_digits,
    vn_date,
    vn_number,
)
from app.services.dossiers.rules import today as rules_today

LOCAL_GOVERNMENT = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"


def amount_in_words(amount: int) -> str:
    """'Hai triệu ba trăm bốn mươi nghìn đồng' (num2words, Vietnamese)."""
    words = num2words(amount, lang="vi")
    return f"{words[:1].upper()}{words[1:]} đồng"


class _Prizes:
    """Each row's tiền thưởng as in force on `day`, the running total, and what to flag."""

    def __init__(self, values: list[Any], day: date) -> None:
        self.values, self.day = values, day
        self.base = rule_values.in_force(values, rule_values.BASE_SALARY, day)
        self.unverified: set[str] = set()
        if self.base is not None and not self.base.verified:
            self.unverified.add("mức lương cơ sở")
        self.missing: set[str] = set()
        self.total = 0

    def row(self, number: int, row: Any) -> dict[str, str]:
        key = rule_values.prize_key(row.award_type_code, row.nominee_kind)
        multiple = rule_values.in_force(self.values, key, self.day)
        kind = rule_values.KINDS[row.nominee_kind]
        if multiple is None or self.base is None:
            self.missing.add(f"{row.award_name} ({kind})")
            amount, factor = "Chưa có mức", "—"
        else:
            prize = rule_values.prize_amount(multiple.value, self.base.value)
            self.total += prize
            amount, factor = vn_number(prize), vn_number(multiple.value)
            if not multiple.verified:
                self.unverified.add(f"{row.award_name} ({kind})")
        return {"no": str(number), "name": row.nominee_name, "unit": row.unit_name or "",
                "factor": factor, "amount": amount}  # fmt: skip

    def base_text(self) -> str:
        if self.base is None:
            return "mức lương cơ sở hiện hành"
        return (
            f"mức lương cơ sở {vn_number(self.base.value)} đồng (áp dụng từ "
            f"{vn_date(self.base.effective_from)})"
        )

    def notes(self, signed: bool) -> list[str]:
        notes = []
        if self.unverified:
            check = (
                "đối chiếu lại với quyết định đã ký"
                if signed
                else "kiểm tra lại trước khi trình ký"
            )
            notes.append(
                "Lưu ý: hệ số tiền thưởng của "
                f"{', '.join(sorted(self.unverified))} chưa được Sở Nội vụ xác nhận với văn bản "
                f"quy định hiện hành (Nghị định 152/2025/NĐ-CP); {check}."
            )
        if self.missing:
            notes.append(
                f"Chưa có mức tiền thưởng cho {', '.join(sorted(self.missing))}; số tiền này "
                "chưa tính vào tổng."
            )
        return notes


def _summary(groups: list[dict[str, Any]], rows: list[Any]) -> list[str]:
    summary = []
    for group in groups:
        group["title"] = f"{group['title']} ({two_digits(len(group['rows']))})"
        kinds = Counter(r.nominee_kind for r in rows if r.award_type_code == group["code"])
        award = next(r.award_name for r in rows if r.award_type_code == group["code"])
        parts = [f"{two_digits(kinds[k])} {label}" for k, label in rule_values.KINDS.items()
                 if kinds[k]]  # fmt: skip
        summary.append(f"- {award}: {' và '.join(parts)};")
    if summary:
        summary[-1] = summary[-1][:-1] + "."
    return summary


def _context(
    rows: list[Any], prizes: _Prizes, grounds: list[str], *, signed: bool
) -> dict[str, Any]:
    """What the draft and the recorded decision share: the articles and the list."""
    groups = award_groups(rows, prizes.row)
    summary = _summary(groups, rows)
    total = prizes.total
    return {
        "issuer_parent": "ỦY BAN NHÂN DÂN",
        "issuer": "TỈNH SƠN LA",
        "subject": "Về việc tặng thưởng danh hiệu thi đua, hình thức khen thưởng",
        "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA",
        "grounds": [LOCAL_GOVERNMENT, LAW, DECREE, *grounds],
        "articles": [
            f"Điều 1. Tặng thưởng danh hiệu thi đua, hình thức khen thưởng cho "
            f"{kinds_of(rows) or 'các trường hợp'} có thành tích xuất sắc (có danh sách kèm "
            "theo), gồm:",
            *summary,
            f"Điều 2. Tiền thưởng kèm theo thực hiện theo quy định, tính trên "
            f"{prizes.base_text()}; tổng số tiền: {vn_number(total)} đồng (Bằng chữ: "
            f"{amount_in_words(total)}), chi từ Quỹ thi đua, khen thưởng của tỉnh.",
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 4. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài "
            "chính, thủ trưởng các cơ quan, đơn vị có liên quan và các cá nhân, tập thể có tên "
            "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        ],
        "recipients": [
            "Như Điều 4;",
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
            "Lưu: VT, SNV.",
        ],
        "groups": groups,
        "total": two_digits(len(rows)),
        "total_amount": vn_number(total),
        "notes": prizes.notes(signed),
    }


def _meeting_ground(meeting: Meeting) -> str:
    held = vn_date(local_time(meeting.opened_at or meeting.scheduled_at).date())
    return (
        f"Căn cứ kết quả biểu quyết tại {lower_first(meeting.title)} của Hội đồng Thi đua - "
        f"Khen thưởng tỉnh, {held};"
    )


async def decision_draft(
    session: AsyncSession, principal: Principal, meeting_id: int, on: date | None
) -> Paper:
    """Dự thảo Quyết định khen thưởng of the Chủ tịch UBND tỉnh after a council meeting: the
    nominations for provincial awards that passed, with the danh sách kèm theo and each one's
    tiền thưởng — the award type's multiple (for its nominee kind) times the mức lương cơ sở,
    both as in force on the decision's day (`on`, else today) — and the total, in figures and
    in words. Before the close: 409 `meeting_not_closed`."""
    permissions.require(principal, "document.decision_draft")
    meeting = await closed_meeting(session, principal, meeting_id)
    provincial = set(
        await session.scalars(select(AwardType.code).where(AwardType.level == "provincial"))
    )
    rows = [r for r in await agenda_rows(session, meeting.id)
            if r.passed and r.award_type_code in provincial]  # fmt: skip
    prizes = _Prizes(await rule_values.all_values(session), on or rules_today())
    grounds = [
        _meeting_ground(meeting),
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số      /TTr-SNV ngày      tháng "
        "     năm       .",
    ]
    context = {
        **_context(rows, prizes, grounds, signed=False),
        "number": number_line("QĐ-UBND"),
        "place_date": place_date(on),
        **signature("CHỦ TỊCH"),
        "list_subtitle": f"(Kèm theo Quyết định số{number_line('QĐ-UBND')} ngày"
        f"{' ' + vn_date(on)[5:] if on else '      '} của Chủ tịch UBND tỉnh Sơn La)",
    }
    return Paper("du-thao-quyet-dinh", context, f"Dự thảo Quyết định khen thưởng - {meeting.title}")


async def _decided_rows(session: AsyncSession, decision_id: int) -> list[Any]:
    """The decision's nominations with their award type and unit, by award type."""
    stmt = (
        select(Nomination.id, Nomination.nominee_name, Nomination.nominee_kind,
               Nomination.award_type_code, AwardType.name.label("award_name"),
               nominee_unit_name())
        .select_from(DecisionItem)
        .join(Nomination, Nomination.id == DecisionItem.nomination_id)
        .join(AwardType, AwardType.code == Nomination.award_type_code)
        .where(DecisionItem.decision_id == decision_id)
        .order_by(AwardType.position, Nomination.id)
    )  # fmt: skip
    return list((await session.execute(stmt)).all())


async def _voted_in(session: AsyncSession, nomination_ids: list[int]) -> Meeting | None:
    """The last closed meeting that passed any of these nominations, if a vote was needed."""
    stmt = (
        select(Meeting)
        .join(MeetingResult, MeetingResult.meeting_id == Meeting.id)
        .where(MeetingResult.nomination_id.in_(nomination_ids), MeetingResult.passed.is_(True))
        .order_by(Meeting.closed_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return await session.scalar(stmt)


def _refuse_state_submission(decision: Decision) -> None:
    if decision.kind != "provincial_award":
        raise Conflict(
            f"Quyết định {decision.number} là tờ trình khen thưởng cấp Nhà nước, không phải "
            "quyết định khen thưởng của Chủ tịch UBND tỉnh; văn bản này chỉ in cho quyết định "
            "khen thưởng cấp tỉnh.",
            code="decision_not_provincial",
            kind=decision.kind,
        )


async def recorded_decision(session: AsyncSession, principal: Principal, decision_id: int) -> Paper:
    """The Quyết định khen thưởng as recorded: its number, signing date and signer ("KT. CHỦ
    TỊCH" over the deputy's office when a deputy signed for the Chủ tịch; "(Đã ký)" where the
    draft asks for the signature), the nominations it awarded by award type with each one's
    tiền thưởng at the signing date, and the total. A state submission has no such paper: 409
    `decision_not_provincial`."""
    permissions.require(principal, "document.decision")
    decision = await decision_records.get(session, decision_id)
    _refuse_state_submission(decision)
    rows = await _decided_rows(session, decision.id)
    prizes = _Prizes(await rule_values.all_values(session), decision.signed_on)
    meeting = await _voted_in(session, decision.nomination_ids)
    grounds = [_meeting_ground(meeting)] if meeting else []
    grounds.append("Theo đề nghị của Giám đốc Sở Nội vụ.")
    signed_on = vn_date(decision.signed_on)[5:]
    context = {
        **_context(rows, prizes, grounds, signed=True),
        "number": decision.number,
        "place_date": place_date(decision.signed_on),
        **signature(
            "CHỦ TỊCH",
            deputy=decision.signer_title if decision.on_behalf else None,
            name=decision.signed_by,
            signed=True,
        ),
        "list_subtitle": f"(Kèm theo Quyết định số {decision.number} ngày {signed_on} của "
        "Chủ tịch UBND tỉnh Sơn La)",
    }
    safe_number = decision.number.replace("/", "-")
    return Paper("du-thao-quyet-dinh", context, f"Quyết định khen thưởng số {safe_number}")
