"""Every document printed through LibreOffice, as an official would print it: the PDF's text
carries the Quốc hiệu, the số/ký hiệu line, the names and counts, on A4 pages.

Without `soffice` on the machine this is skipped — except in CI (`TDKT_REQUIRE_LIBREOFFICE`
set by .ci/run), where a missing LibreOffice fails instead of passing silently."""

import os
import shutil
import subprocess

import pytest

from app.services.documents import catalogue, render

NEEDED = bool(os.environ.get("TDKT_REQUIRE_LIBREOFFICE"))
if render.soffice() is None or shutil.which("pdftotext") is None:
    if NEEDED:
        raise RuntimeError("TDKT_REQUIRE_LIBREOFFICE is set but soffice or pdftotext is missing")
    pytest.skip("LibreOffice or poppler-utils not installed", allow_module_level=True)

EXPECTED = {
    "bang-tong-hop-diem": ["BẢNG TỔNG HỢP ĐIỂM THI ĐUA", "KẾT QUẢ XẾP HẠNG", "TRƯỞNG KHỐI",
                           "1. Văn phòng UBND tỉnh: 98 điểm, xếp thứ 1"],
    "to-trinh-don-vi": ["TỜ TRÌNH", "/TTr-STP", "Ông Lò Văn Minh", "Tổng số: 01 đề nghị",
                        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"],
    "to-trinh-so-noi-vu": ["TỜ TRÌNH", "/TTr-SNV", "SỞ NỘI VỤ", "Tổng số: 01 đề nghị"],
    "bien-ban-hop-hoi-dong": ["BIÊN BẢN", "Nguyễn Văn A", "81,82%", "KẾT QUẢ BIỂU QUYẾT",
                              "Vắng mặt (Đi công tác)"],
    "bien-ban-kiem-phieu": ["BIÊN BẢN KIỂM PHIẾU", "Tổng số thành viên Hội đồng: 11"],
    "cong-van-tra-ho-so": ["SỞ NỘI VỤ", "/SNV-TĐKT", "V/v trả hồ sơ", "Kính gửi: Sở Tư pháp",
                           "Giấy tờ, nội dung cần bổ sung", "Báo cáo thành tích"],
    "du-thao-quyet-dinh": ["QUYẾT ĐỊNH", "/QĐ-UBND", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA",
                           "Tiền thưởng (đồng)", "7.020.000", "Tổng cộng: 01"],
    "bao-cao-thanh-tich-ca-nhan": ["BÁO CÁO THÀNH TÍCH", "Họ và tên: Lò Văn Minh",
                                   "SƠ LƯỢC LÝ LỊCH", "15/QĐ-STP", "NGƯỜI BÁO CÁO THÀNH TÍCH"],
    "bao-cao-thanh-tich-tap-the": ["BÁO CÁO THÀNH TÍCH", "THÀNH TÍCH ĐẠT ĐƯỢC"],
    "phieu-bau": ["PHIẾU BẦU", "Ông Lò Văn Minh", "Tán thành", "không ghi tên"],
    "danh-sach-cong-khai": ["THÔNG BÁO", "/TB-SNV", "DANH SÁCH CÔNG KHAI", "Ông Lò Văn Minh",
                            "HUÂN CHƯƠNG LAO ĐỘNG HẠNG BA (01)", "Tổng số: 01 trường hợp",
                            "đến hết ngày 15/12/2026", "tdkt@sonla.gov.vn"],
}  # fmt: skip
PAGES = {"to-trinh-don-vi": 2, "to-trinh-so-noi-vu": 2, "du-thao-quyet-dinh": 2,
         "danh-sach-cong-khai": 2}  # fmt: skip


def _pdf_text(pdf: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True,
                          text=True).stdout  # fmt: skip
    return text, info


@pytest.mark.parametrize("name", sorted(catalogue.SPECS))
async def test_each_document_prints_on_a4_with_its_heading_and_content(name, tmp_path):
    spec = catalogue.SPECS[name]
    pdf = await render.to_pdf(render.render_docx(spec.shipped(), spec.sample))

    text, info = _pdf_text(pdf, tmp_path)
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "Sơn La, ngày 05 tháng 3 năm 2026" in flat
    if name != "phieu-bau" and not name.startswith("bao-cao-thanh-tich"):
        assert "Số:" in flat
    for expected in EXPECTED[name]:
        assert expected in flat, expected
    assert "pts (A4)" in info
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages == PAGES.get(name, 1)
