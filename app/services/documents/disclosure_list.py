"""The danh sách công khai: Sở Nội vụ's thông báo publishing a list of nominations for comment,
with the period of disclosure, the comment deadline and where to send opinions, and the list
itself grouped by award type (Huân chương, danh hiệu vinh dự, and whatever else it published)."""

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal
from app.core.text import fold
from app.models import AwardType, Disclosure, DisclosureItem, Dossier, Nomination, Unit
from app.services import permissions, policies
from app.services.disclosures import lists
from app.services.documents.papers import DECREE, LAW, Paper, roman
from app.services.documents.wording import (
    PROVINCE_UPPER,
    dotted_date,
    number_line,
    place_date,
    signature,
    two_digits,
    upper,
    vn_date,
)

SYMBOL = "TB-SNV"


async def _rows(session: AsyncSession, disclosure_id: int) -> list[Any]:
    nominee_unit = Unit.__table__.alias("nominee_unit")
    result = await session.execute(
        select(
            Nomination.id,
            Nomination.nominee_name,
            Nomination.nominee_kind,
            Nomination.position,
            nominee_unit.c.name.label("own_unit"),
            Unit.name.label("submitting_unit"),
            AwardType.code.label("award_code"),
            AwardType.name.label("award_name"),
            AwardType.position.label("award_position"),
        )
        .select_from(DisclosureItem)
        .join(Nomination, Nomination.id == DisclosureItem.nomination_id)
        .join(Dossier, Dossier.id == Nomination.dossier_id)
        .join(Unit, Unit.id == Dossier.submitting_unit_id)
        .outerjoin(nominee_unit, nominee_unit.c.id == Nomination.nominee_unit_id)
        .join(AwardType, AwardType.code == Nomination.award_type_code)
        .where(DisclosureItem.disclosure_id == disclosure_id, lists.standing())
        .order_by(AwardType.position, AwardType.code, Nomination.nominee_key, Nomination.id)
    )
    return list(result)


def _groups(rows: list[Any], personal: bool) -> list[dict[str, Any]]:
    by_award: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_award[row.award_code].append(row)
    groups = []
    for index, items in enumerate(by_award.values(), start=1):
        title = f"{roman(index)}. {upper(items[0].award_name)} ({two_digits(len(items))})"
        groups.append({"title": title, "rows": [
            _row(number, row, personal) for number, row in enumerate(items, start=1)
        ]})  # fmt: skip
    return groups


def _row(number: int, row: Any, personal: bool) -> dict[str, str]:
    unit = row.own_unit or row.submitting_unit
    position = row.position if personal and row.nominee_kind == "individual" else None
    return {
        "no": str(number),
        "name": row.nominee_name,
        "position_unit": ", ".join(p for p in (position, unit) if p),
        "note": "",
    }


def _list_title(title: str) -> str:
    """The list's heading: its title, which usually says "Danh sách …" already."""
    return upper(title) if fold(title).startswith("danh sach") else f"DANH SÁCH {upper(title)}"


def _period(disclosure: Disclosure) -> str:
    start = dotted_date(disclosure.published_on)
    if disclosure.ends_on is None:
        return f"Thời gian công khai: từ ngày {start}."
    return f"Thời gian công khai: từ ngày {start} đến hết ngày {dotted_date(disclosure.ends_on)}."


def _feedback(disclosure: Disclosure) -> str:
    where = disclosure.feedback_to or "Sở Nội vụ tỉnh Sơn La (Ban Thi đua - Khen thưởng)"
    until = f" trước hết ngày {dotted_date(disclosure.ends_on)}" if disclosure.ends_on else ""
    return f"Ý kiến góp ý (ghi rõ nội dung, trường hợp được góp ý) gửi về: {where}{until}."


async def disclosure_list(
    session: AsyncSession, principal: Principal, disclosure_id: int, on: date | None
) -> Paper:
    """Thông báo công khai with the danh sách công khai of a published list."""
    permissions.require(principal, "document.disclosure_list")
    disclosure = await lists.get(session, disclosure_id)
    rows = await _rows(session, disclosure.id)
    personal = policies.sees_personal_data(principal)
    channel = disclosure.channel + (f" ({disclosure.url})" if disclosure.url else "")
    dated = f" ngày {vn_date(on)[5:]}" if on else " ngày      "
    context = {
        "issuer_parent": PROVINCE_UPPER,
        "issuer": "SỞ NỘI VỤ",
        "number": number_line(SYMBOL),
        "place_date": place_date(on),
        "subject": f"Công khai {disclosure.title[:1].lower()}{disclosure.title[1:]}",
        "body": [
            LAW,
            DECREE,
            f"Sở Nội vụ thông báo công khai danh sách {two_digits(len(rows))} trường hợp "
            "đề nghị khen thưởng (có danh sách kèm theo) để các cơ quan, đơn vị, cá nhân và "
            "Nhân dân biết, tham gia ý kiến, cụ thể như sau:",
        ],
        "terms": [
            f"1. {_period(disclosure)}",
            f"2. Hình thức công khai: {channel}.",
            f"3. {_feedback(disclosure)}",
        ],
        "closing": [
            "Hết thời hạn trên, Sở Nội vụ tổng hợp, báo cáo cấp có thẩm quyền các ý kiến nhận "
            "được trước khi xem xét, quyết định khen thưởng./.",
        ],
        "recipients": [
            "Các sở, ban, ngành, đoàn thể tỉnh;",
            "UBND các huyện, thành phố;",
            "Cổng thông tin điện tử tỉnh;",
            "Lưu: VT, TĐKT.",
        ],
        **signature("GIÁM ĐỐC"),
        "list_title": _list_title(disclosure.title),
        "list_subtitle": f"(Kèm theo Thông báo số{number_line(SYMBOL)}{dated} của Sở Nội vụ)",
        "groups": _groups(rows, personal),
        "total": two_digits(len(rows)),
        "period": _period(disclosure),
        "feedback": _feedback(disclosure),
    }
    return Paper("danh-sach-cong-khai", context, f"Danh sách công khai - {disclosure.title}")
