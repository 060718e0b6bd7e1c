"""Factories for rounds, dossiers and their papers: made to measure for each story."""

import io
import itertools
import zipfile
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.text import search_text
from app.models import (
    Attachment,
    AwardHistory,
    Dossier,
    Nomination,
    Plan,
    Round,
    RoundExtension,
    Task,
    Unit,
)
from app.services.award_types import load_award_types
from app.services.dossiers.rules import nominee_key, today

_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\x00" * 64
JPEG = bytes.fromhex("FFD8FFE000104A46494600010100000100010000") + b"\x00" * 64
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 1024
# Bằng khen của Chủ tịch UBND tỉnh: individuals and collectives; needs these three papers.
AWARD = "bang_khen_chu_tich_ubnd_tinh"
AWARD_DOCS = ("to_trinh", "bien_ban_hop", "bao_cao_thanh_tich")


def office_zip(top: str) -> bytes:
    """A minimal OOXML package whose parts live under `top` ("word/" or "xl/")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{top}document.xml", "<x/>")
    return buffer.getvalue()


async def load_catalogue(session: AsyncSession) -> None:
    await load_award_types(session)
    await session.commit()


async def make_round(
    session: AsyncSession,
    *,
    year: int | None = None,
    number: int = 1,
    status: str = "open",
    closes_on: date | None = None,
    **overrides: Any,
) -> Round:
    """An open round of this year by default, taking submissions until 10 days from today."""
    n = next(_seq)
    closes_on = closes_on or today() + timedelta(days=10)
    round_ = Round(
        year=year or today().year,
        number=number,
        name=overrides.pop("name", f"Đợt thử {n}"),
        submission_opens_on=min(closes_on, today()) - timedelta(days=30),
        submission_closes_on=closes_on,
        status=status,
        **overrides,
    )
    round_.task_links = []
    session.add(round_)
    await session.flush()
    return round_


async def make_task(session: AsyncSession, code: str = "I.8", year: int = 2026) -> Task:
    plan = Plan(year=year, title=f"Kế hoạch thử {next(_seq)}", warnings=[])
    session.add(plan)
    await session.flush()
    task = Task(
        plan_id=plan.id, code=code, period="Q1", seq=1, content="Xét khen thưởng đợt 1",
        due_kind="unspecified", due_text="", status="not_started", warnings=[], search_text="",
    )  # fmt: skip
    session.add(task)
    await session.flush()
    return task


async def grant_extension(session: AsyncSession, round_: Round, unit_id: int, until: date):
    session.add(RoundExtension(round_id=round_.id, unit_id=unit_id, until=until, reason="Thử"))
    await session.flush()


def nomination_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "nominee_kind": "individual",
        "nominee_name": f"Nguyễn Văn Thử {next(_seq)}",
        "position": "Chuyên viên",
        "birth_year": 1980,
        "award_type_code": AWARD,
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm 2025.",
        "prior_awards": [],
    }
    body.update(overrides)
    return body


async def make_dossier(
    session: AsyncSession,
    unit: Unit,
    round_: Round | None,
    *,
    status: str = "draft",
    nominations: int = 1,
    cluster_id: int | None = None,
    owner_kind: str = "unit",
    papers: bool = True,
    nominee: dict[str, Any] | None = None,
    **overrides: Any,
) -> Dossier:
    """A dossier arranged directly in the database, with its nominations and (file-less) papers."""
    n = next(_seq)
    year = round_.year if round_ else today().year
    values = {
        "code": f"HS-T-{n:05d}",
        "year": year,
        "round_id": round_.id if round_ else None,
        "kind": "periodic" if round_ else "unscheduled",
        "owner_kind": owner_kind,
        "submitting_unit_id": unit.id,
        "cluster_id": cluster_id,
        "title": f"Tờ trình đề nghị khen thưởng {n}",
        "status": status,
        "submission_count": 0 if status == "draft" else 1,
        # Sở Nội vụ received it before it could be under appraisal or appraised.
        "received_at": utcnow() if status in ("under_appraisal", "appraised") else None,
    }
    values.update(overrides)
    dossier = Dossier(**values)
    dossier.search_text = search_text(dossier.code, dossier.title)
    dossier.nominations = [
        _nomination(
            status="draft" if status in ("draft", "returned") else "submitted", **(nominee or {})
        )
        for _ in range(nominations)
    ]
    dossier.attachments = [_paper(code) for code in AWARD_DOCS] if papers else []
    session.add(dossier)
    await session.flush()
    return dossier


def _nomination(**overrides: Any) -> Nomination:
    values = nomination_body()
    values.update(overrides)
    return Nomination(nominee_key=nominee_key(values["nominee_name"]), **values)


def _paper(document_type: str) -> Attachment:
    n = next(_seq)
    return Attachment(
        document_type=document_type, filename=f"giay-to-{n}.pdf", content_type="application/pdf",
        size=len(PDF), sha256="0" * 64, storage_name=f"test{n:028d}",
    )  # fmt: skip


async def make_history(session: AsyncSession, name: str, unit_id: int | None, **kw: Any):
    values = {"nominee_kind": "individual", "award_type_code": "chien_si_thi_dua_co_so",
              "year": 2025, "source": "import", "kind": "regular"}  # fmt: skip
    values.update(kw)
    row = AwardHistory(
        nominee_name=name, nominee_key=nominee_key(name), search_text=nominee_key(name),
        unit_id=unit_id, **values,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return row


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    dossier_id: int,
    document_type: str = "to_trinh",
    content: bytes = PDF,
    filename: str = "to-trinh.pdf",
    nomination_id: int | str | None = None,
) -> httpx.Response:
    data = {"document_type": document_type}
    if nomination_id is not None:
        data["nomination_id"] = str(nomination_id)
    return await client.post(
        f"/api/v1/dossiers/{dossier_id}/attachments",
        headers=headers,
        data=data,
        files={"file": (filename, content, "application/octet-stream")},
    )
