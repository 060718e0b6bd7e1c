"""A spreadsheet that inflates to a huge sheet is refused in well under a second, and parsing
an upload never stops the server from answering others."""

import asyncio
import io
import time
import zipfile

import pytest

from app.services.plans.parser import xlsx
from app.services.plans.parser.xlsx import MAX_ROWS
from tests.factories import signed_in

# Rows and cells without coordinates (they are optional): every row is the same bytes, so
# 100,000 of them compress to almost nothing.
ROW = (
    '<row><c t="inlineStr"><is><t>Nguyễn Văn A</t></is></c>'
    '<c t="inlineStr"><is><t>cá nhân</t></is></c><c><v>2020</v></c></row>'
)
HEADER = (
    '<row r="1">'
    + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{label}</t></is></c>'
        for col, label in zip(
            "ABCDEFG",
            ["Họ và tên", "Loại", "Đơn vị", "Danh hiệu", "Năm", "Số quyết định", "Ngày quyết định"],
            strict=True,
        )
    )
    + "</row>"
)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _types() -> str:
    return (
        f'<Types xmlns="{PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/>'
        "</Types>"
    )


def _rels(kind: str, target: str) -> str:
    return (
        f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{kind}" Target="{target}"/></Relationships>'
    )


def workbook(rows: int) -> bytes:
    """A minimal .xlsx whose one sheet has `rows` data rows and declares no size."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        + HEADER
        + ROW * rows
        + "</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": _types(),
        "_rels/.rels": _rels(f"{OFFICE_REL}/officeDocument", "xl/workbook.xml"),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": _rels(f"{OFFICE_REL}/worksheet", "worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return workbook(100_000)


def _upload(data: bytes) -> dict:
    return {"file": ("bang.xlsx", data, "application/octet-stream")}


@pytest.mark.parametrize(
    "path", ["/api/v1/award-history/import", "/api/v1/plans/import?dry_run=true"]
)
async def test_a_zip_bomb_is_refused_before_the_workbook_is_opened(
    app, client, session, bomb, path, monkeypatch
):
    _, admin = await signed_in(app, session)
    assert len(bomb) < 150_000
    opened: list[bytes] = []
    original = xlsx.load_workbook

    def load_workbook(source, *args, **kwargs):
        opened.append(source.getvalue())
        return original(source, *args, **kwargs)

    monkeypatch.setattr(xlsx, "load_workbook", load_workbook)

    response = await client.post(path, files=_upload(bomb), headers=admin)
    small = await client.post(path, files=_upload(workbook(3)), headers=admin)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "file_too_large"
    # Refused by the streaming count of its rows, never handed to openpyxl to expand; a small
    # workbook is (the spy sees it), so the spy is on the path the import takes.
    assert small.status_code != 500 and opened and bomb not in opened


async def test_health_answers_while_a_large_upload_is_parsed(app, client, session):
    _, admin = await signed_in(app, session)
    large = workbook(MAX_ROWS - 200)  # within the caps: parsed in full, for seconds
    latencies: list[float] = []

    async def probe() -> None:
        while not upload.done():
            started = time.perf_counter()
            assert (await client.get("/healthz")).status_code == 200
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)

    upload = asyncio.ensure_future(
        client.post("/api/v1/award-history/import", files=_upload(large), headers=admin)
    )
    await probe()
    response = upload.result()

    assert response.status_code == 422  # the rows name no award: refused, after a full read
    assert response.json()["code"] == "import_rows_invalid"
    # The workbook is parsed off the event loop: the probes kept being answered meanwhile (a
    # blocked loop would answer none until the upload had finished).
    assert len(latencies) >= 5, latencies
