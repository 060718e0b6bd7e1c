"""Nhập xếp loại từ bảng CSV/XLSX in the layout officials keep: `Họ và tên, Đơn vị, Năm, Xếp
loại, Số quyết định/văn bản`, optional `Loại` (cá nhân / tập thể; cá nhân when absent).

One transaction: a row in error refuses the whole file (422 `import_rows_invalid` with each row's
reason) unless the caller asks to skip invalid rows; ratings already recorded are skipped and
reported, never doubled. A unit imports only rows of its own unit.
"""

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Forbidden, Unprocessable
from app.core.principal import Principal
from app.core.text import fold
from app.core.working_days import today_in_vietnam
from app.models import Unit, YearlyRating
from app.services import audit, permissions
from app.services.award_history.tables import match_columns, parse_rows, read_rows
from app.services.nominees.collectives import COLLECTIVE, Register
from app.services.nominees.records import existing_rating_keys, new_rating, rating_key
from app.services.plans.units import UnitIndex

COLUMNS: dict[str, tuple[str, ...]] = {
    "nominee_name": ("ho va ten", "ho ten", "ten", "ten tap the", "nominee_name", "name"),
    "nominee_kind": ("loai", "loai doi tuong", "doi tuong", "nominee_kind"),
    "unit": ("don vi", "co quan, don vi", "ma don vi", "unit"),
    "year": ("nam", "nam danh gia", "year"),
    "rating": ("xep loai", "muc xep loai", "ket qua xep loai", "rating"),
    "decision_no": (
        "so quyet dinh/van ban", "so quyet dinh", "so van ban", "so qd", "decision_no",
    ),
}  # fmt: skip
REQUIRED = ("nominee_name", "year", "rating")
RATINGS = {
    "htxs": "htxs", "hoan thanh xuat sac nhiem vu": "htxs",
    "httt": "httt", "hoan thanh tot nhiem vu": "httt",
    "htnv": "ht", "ht": "ht", "hoan thanh nhiem vu": "ht",
    "khtnv": "kht", "kht": "kht", "khong hoan thanh nhiem vu": "kht",
}  # fmt: skip
KINDS = {"": "individual", "ca nhan": "individual", "individual": "individual",
         "tap the": "collective", "collective": "collective"}  # fmt: skip
HOUSEHOLD_WORDS = frozenset({"ho gia dinh", "ho", "gia dinh", "household"})


@dataclass
class RatingImportOutcome:
    imported: int = 0
    skipped_duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False


def _columns(header: list[str]) -> dict[str, int]:
    return match_columns(header, COLUMNS, REQUIRED, "“Họ và tên”, “Năm”, “Xếp loại”")


def _parse(cells: dict[str, str], units: UnitIndex, codes: dict[str, int]) -> dict[str, Any]:
    name = cells.get("nominee_name", "")
    if not name:
        raise ValueError("thiếu họ và tên / tên tập thể")
    kind = KINDS.get(fold(cells.get("nominee_kind", "")))
    if kind is None and fold(cells.get("nominee_kind", "")) in HOUSEHOLD_WORDS:
        # A household is recognised, not mistaken for a person: it has no yearly rating.
        raise ValueError(
            "hộ gia đình không có xếp loại mức độ hoàn thành nhiệm vụ (chỉ cá nhân và tập thể); "
            "khen thưởng của hộ nhập ở lịch sử khen thưởng"
        )
    if kind is None:
        raise ValueError(f"loại “{cells['nominee_kind']}” phải là cá nhân hoặc tập thể")
    year = cells.get("year", "")
    if not year.isdigit() or not 1945 <= int(year) <= today_in_vietnam().year:
        raise ValueError(f"năm “{year}” không hợp lệ")
    rating = RATINGS.get(fold(cells.get("rating", "")))
    if rating is None:
        raise ValueError(
            f"xếp loại “{cells.get('rating', '')}” phải là HTXS, HTTT, HTNV hoặc KHTNV"
        )
    unit_id = None
    if text := cells.get("unit", ""):
        unit_id = codes.get(fold(text)) or units.match(text)
        if unit_id is None:
            raise ValueError(f"không tìm thấy đơn vị “{text}” trong danh bạ")
    return {"nominee_name": name, "nominee_kind": kind, "unit_id": unit_id, "year": int(year),
            "rating": rating, "decision_no": cells.get("decision_no") or None}  # fmt: skip


async def import_ratings(
    session: AsyncSession,
    actor: Principal,
    data: bytes,
    filename: str | None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> RatingImportOutcome:
    """Parse and store yearly ratings; a rating the nominee already has that year is skipped."""
    permissions.require(actor, "rating.import")
    units = await UnitIndex.load(session)
    codes = {fold(c): i for c, i in await session.execute(select(Unit.code, Unit.id))}
    parsed, errors = await asyncio.to_thread(
        lambda: parse_rows(read_rows(data), _columns, lambda cells: _parse(cells, units, codes))
    )
    # A preview registers no new collective.
    register = await Register.load(
        session, [] if dry_run else [(i["unit_id"], i["nominee_name"]) for _, i in parsed
                                     if i["nominee_kind"] == COLLECTIVE]
    )  # fmt: skip
    outcome = RatingImportOutcome(dry_run=dry_run)
    candidates: list[YearlyRating] = []
    for number, item in parsed:
        try:
            candidates.append(
                await new_rating(
                    session, actor, item, source="import", register=register, preview=dry_run,
                    check_duplicate=False,
                )
            )  # fmt: skip
        except Forbidden as exc:
            errors.append({"row": number, "message": f"Dòng {number}: {exc.detail}"})
    # Ratings already recorded, and repeats inside the file, are skipped: one batched lookup.
    seen = await existing_rating_keys(session, candidates)
    fresh: list[YearlyRating] = []
    for row in candidates:
        key = rating_key(row)
        if key in seen:
            outcome.skipped_duplicates += 1
            continue
        seen.add(key)
        fresh.append(row)
    errors.sort(key=lambda e: e["row"])
    outcome.errors = errors
    if errors and not skip_invalid:
        raise Unprocessable(
            f"{len(errors)} dòng có lỗi; không dòng nào được nhập. Sửa các dòng được nêu, hoặc "
            "gửi lại với skip_invalid=true để bỏ qua chúng.",
            code="import_rows_invalid",
            errors=errors,
        )
    outcome.imported = len(fresh)
    if dry_run:
        return outcome
    session.add_all(fresh)
    await session.flush()
    await audit.record(
        session, actor, "rating.imported", "yearly_rating", None,
        after={"imported": outcome.imported, "skipped_duplicates": outcome.skipped_duplicates,
               "invalid_rows": len(errors), "filename": filename},
    )  # fmt: skip
    return outcome
