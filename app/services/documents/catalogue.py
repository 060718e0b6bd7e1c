"""The documents tdkt prints: each template's name, what it is, and a sample of its context.

The sample is the contract of a template: an uploaded version may use only the names it has
(`placeholders ⊆ sample`), and must fill from it without error before it is accepted. Tests
render every sample through LibreOffice.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.documents.layout import TEMPLATES_DIR


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    sample: dict[str, Any]

    @property
    def path(self) -> Path:
        return TEMPLATES_DIR / f"{self.name}.docx"

    def shipped(self) -> bytes:
        return self.path.read_bytes()


_HEAD = {
    "issuer_parent": "UBND TỈNH SƠN LA",
    "issuer": "SỞ TƯ PHÁP",
    "number": "\u00a0" * 6 + "/TTr-STP",
    "place_date": "Sơn La, ngày 05 tháng 3 năm 2026",
    "subject": "Về việc đề nghị khen thưởng Đợt 1 năm 2026",
}
_SIGN = {
    "recipients": ["Như trên;", "Sở Nội vụ (Ban Thi đua - Khen thưởng);", "Lưu: VT."],
    "sign_authority": "GIÁM ĐỐC",
    "sign_title": "",
    "sign_note": "(Ký tên, đóng dấu)",
    "signer_name": "Nguyễn Văn A",
}
_ROW = {
    "no": "1",
    "name": "Ông Lò Văn Minh",
    "position_unit": "Phó Chánh Văn phòng, Sở Tư pháp",
    "summary": "Hoàn thành xuất sắc nhiệm vụ năm 2025",
    "note": "",
}
_RESULT = {
    "no": "1",
    "name": "Ông Lò Văn Minh, Sở Tư pháp",
    "approve": "9",
    "reject": "1",
    "abstain": "0",
    "share": "81,82% / 80%",
    "result": "Đạt",
}

SPECS: dict[str, Spec] = {
    spec.name: spec
    for spec in (
        Spec(
            "to-trinh-don-vi",
            "Tờ trình đề nghị khen thưởng của đơn vị, kèm danh sách",
            {
                **_HEAD,
                **_SIGN,
                "addressee": "Chủ tịch Ủy ban nhân dân tỉnh Sơn La",
                "body": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
                "list_subtitle": "(Kèm theo Tờ trình số      /TTr-STP của Sở Tư pháp)",
                "groups": [{"title": "I. BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH (01)", "rows": [_ROW]}],
                "total": "01",
            },
        ),
        Spec(
            "to-trinh-so-noi-vu",
            "Tờ trình của Sở Nội vụ trình Chủ tịch UBND tỉnh kết quả họp Hội đồng, kèm danh sách",
            {
                **_HEAD,
                **_SIGN,
                "issuer": "SỞ NỘI VỤ",
                "number": "\u00a0" * 6 + "/TTr-SNV",
                "addressee": "Chủ tịch Ủy ban nhân dân tỉnh Sơn La",
                "body": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
                "list_subtitle": "(Kèm theo Tờ trình số      /TTr-SNV của Sở Nội vụ)",
                "groups": [{"title": "I. CHIẾN SĨ THI ĐUA CẤP TỈNH (01)", "rows": [_ROW]}],
                "total": "01",
            },
        ),
        Spec(
            "bien-ban-hop-hoi-dong",
            "Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh",
            {
                **_HEAD,
                "opening": ["Thời gian: 14 giờ 00, ngày 05 tháng 3 năm 2026."],
                "attendance": [
                    {
                        "no": "1",
                        "name": "Nguyễn Văn A",
                        "position": "Chủ tịch UBND tỉnh",
                        "council_role": "Chủ tịch",
                        "attendance": "Có mặt",
                    },
                    {
                        "no": "2",
                        "name": "Lò Thị Hoa",
                        "position": "Giám đốc Sở Tài chính",
                        "council_role": "Ủy viên",
                        "attendance": "Vắng mặt (Đi công tác)",
                    },
                ],
                "attendance_summary": "Có mặt 10/11 thành viên (90,91%).",
                "agenda_text": ["Hội đồng xem xét 03 đề nghị khen thưởng."],
                "groups": [{"title": "I. CHIẾN SĨ THI ĐUA CẤP TỈNH", "rows": [_RESULT]}],
                "result_summary": "01 đề nghị đạt, 00 đề nghị không đạt.",
                "closing": ["Biên bản đã được thông qua tại phiên họp./."],
                "secretary": "",
                "chair": "Nguyễn Văn A",
            },
        ),
        Spec(
            "bien-ban-kiem-phieu",
            "Biên bản kiểm phiếu biểu quyết của Hội đồng",
            {
                **_HEAD,
                "opening": ["Thời gian: 14 giờ 00, ngày 05 tháng 3 năm 2026."],
                "ballot_counts": ["Tổng số thành viên Hội đồng: 11."],
                "groups": [{"title": "I. CHIẾN SĨ THI ĐUA CẤP TỈNH", "rows": [_RESULT]}],
                "result_summary": "01 đề nghị đạt, 00 đề nghị không đạt.",
                "closing": ["Biên bản kiểm phiếu lập xong hồi … giờ … cùng ngày./."],
            },
        ),
        Spec(
            "phieu-bau",
            "Phiếu bầu (phiếu biểu quyết) của thành viên Hội đồng",
            {
                **_HEAD,
                "instructions": ["Đánh dấu (X) vào một ô của mỗi dòng."],
                "groups": [
                    {
                        "title": "I. CHIẾN SĨ THI ĐUA CẤP TỈNH",
                        "rows": [{"no": "1", "name": "Ông Lò Văn Minh", "unit": "Sở Tư pháp"}],
                    }
                ],
                "footnote": "Thành viên Hội đồng không ghi tên vào phiếu.",
            },
        ),
        Spec(
            "bang-tong-hop-diem",
            "Bảng tổng hợp điểm thi đua của cụm, khối",
            {
                **_HEAD,
                **_SIGN,
                "issuer": "KHỐI CÁC CƠ QUAN TỔNG HỢP",
                "number": "\u00a0" * 6 + "/BTH-KTĐ",
                "subject": "Khối các cơ quan tổng hợp năm 2026",
                "sign_authority": "TRƯỞNG KHỐI",
                "sign_title": "VĂN PHÒNG UBND TỈNH",
                "intro": ["Bảng điểm: Bảng điểm thi đua Khối các cơ quan tổng hợp năm 2026."],
                "ranking": [
                    {
                        "rank": "1",
                        "unit": "Văn phòng UBND tỉnh",
                        "self_total": "98",
                        "total": "98",
                        "note": "",
                    }
                ],
                "units": [
                    {
                        "title": "1. Văn phòng UBND tỉnh: 98 điểm, xếp thứ 1",
                        "rows": [
                            {
                                "code": "1.1",
                                "name": "Hoàn thành chỉ tiêu, nhiệm vụ được giao",
                                "max_points": "40",
                                "points": "38",
                                "verified": "38",
                                "reason": "",
                            }
                        ],
                    }
                ],
                "closing": ["Bảng tổng hợp gồm 01 đơn vị đã chấm điểm."],
            },
        ),
        Spec(
            "cong-van-tra-ho-so",
            "Công văn trả hồ sơ, yêu cầu bổ sung hồ sơ đề nghị khen thưởng",
            {
                **_HEAD,
                **_SIGN,
                "issuer": "SỞ NỘI VỤ",
                "number": "\u00a0" * 6 + "/SNV-TĐKT",
                "excerpt": "V/v trả hồ sơ đề nghị khen thưởng, yêu cầu bổ sung hồ sơ",
                "addressee": "Sở Tư pháp",
                "body": ["Ngày 02 tháng 3 năm 2026, Sở Nội vụ nhận được hồ sơ HS-2026-0001."],
                "requests": [
                    {
                        "no": "1",
                        "name": "Ông Lò Văn Minh",
                        "papers": "- Báo cáo thành tích",
                        "note": "Có xác nhận của thủ trưởng",
                    }
                ],
                "closing": ["Hồ sơ bổ sung gửi về Sở Nội vụ trước ngày 09 tháng 3 năm 2026."],
            },
        ),
        Spec(
            "du-thao-quyet-dinh",
            "Dự thảo Quyết định khen thưởng của Chủ tịch UBND tỉnh, kèm danh sách và tiền thưởng",
            {
                **_HEAD,
                **_SIGN,
                "issuer_parent": "ỦY BAN NHÂN DÂN",
                "issuer": "TỈNH SƠN LA",
                "number": "\u00a0" * 6 + "/QĐ-UBND",
                "subject": "Về việc tặng thưởng danh hiệu thi đua, hình thức khen thưởng",
                "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA",
                "grounds": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
                "articles": [
                    "Điều 1. Tặng thưởng danh hiệu Chiến sĩ thi đua cấp tỉnh cho 01 cá nhân.",
                    "Điều 2. Tổng số tiền: 7.020.000 đồng.",
                ],
                "sign_authority": "CHỦ TỊCH",
                "list_subtitle": "(Kèm theo Quyết định số      /QĐ-UBND của Chủ tịch UBND tỉnh)",
                "groups": [
                    {
                        "title": "I. CHIẾN SĨ THI ĐUA CẤP TỈNH (01)",
                        "rows": [
                            {
                                "no": "1",
                                "name": "Ông Lò Văn Minh",
                                "unit": "Sở Tư pháp",
                                "factor": "3",
                                "amount": "7.020.000",
                            }
                        ],
                    }
                ],
                "total": "01",
                "total_amount": "7.020.000",
                "notes": ["Hệ số tiền thưởng chưa được Sở Nội vụ xác nhận."],
            },
        ),
        Spec(
            "danh-sach-cong-khai",
            "Thông báo và danh sách công khai các trường hợp đề nghị khen thưởng",
            {
                **_HEAD,
                **_SIGN,
                "issuer": "SỞ NỘI VỤ",
                "number": "\u00a0" * 6 + "/TB-SNV",
                "subject": "Công khai danh sách đề nghị tặng Huân chương Lao động",
                "body": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
                "terms": [
                    "Thời gian công khai: từ ngày 01/12/2026 đến hết ngày 15/12/2026.",
                    "Hình thức công khai: Cổng thông tin điện tử tỉnh Sơn La.",
                    "Nơi nhận ý kiến: Sở Nội vụ tỉnh Sơn La, tdkt@sonla.gov.vn.",
                ],
                "closing": ["Sở Nội vụ thông báo để các cơ quan, đơn vị và Nhân dân biết./."],
                "list_title": "DANH SÁCH CÔNG KHAI CÁC TRƯỜNG HỢP ĐỀ NGHỊ TẶNG HUÂN CHƯƠNG",
                "list_subtitle": "(Kèm theo Thông báo số      /TB-SNV của Sở Nội vụ)",
                "groups": [{"title": "I. HUÂN CHƯƠNG LAO ĐỘNG HẠNG BA (01)", "rows": [_ROW]}],
                "total": "01",
                "period": "Thời gian công khai: từ ngày 01/12/2026 đến hết ngày 15/12/2026.",
                "feedback": "Ý kiến gửi về Sở Nội vụ tỉnh Sơn La, tdkt@sonla.gov.vn trước "
                "hết ngày 15/12/2026.",
            },
        ),
        *(
            Spec(
                f"bao-cao-thanh-tich-{suffix}",
                f"Báo cáo thành tích {label} đề nghị khen thưởng",
                {
                    **_HEAD,
                    "subject": "ĐỀ NGHỊ TẶNG CHIẾN SĨ THI ĐUA CẤP TỈNH",
                    "kind_title": "BÁO CÁO THÀNH TÍCH",
                    "profile": ["Họ và tên: Lò Văn Minh", "Đơn vị công tác: Sở Tư pháp"],
                    "work": ["Chủ trì xây dựng 05 văn bản quy phạm pháp luật."],
                    "initiatives": ["- Số hóa hồ sơ lý lịch tư pháp (2025, cấp tỉnh)"],
                    "titles": [
                        {
                            "year": "2025",
                            "title": "Hoàn thành xuất sắc nhiệm vụ",
                            "decision": "15/QĐ-STP",
                        }
                    ],
                    "left_signer": "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ",
                    "right_signer": "NGƯỜI BÁO CÁO THÀNH TÍCH",
                    "reporter": "Lò Văn Minh",
                },
            )
            for suffix, label in (("ca-nhan", "của cá nhân"), ("tap-the", "của tập thể"))
        ),
    )
}


def spec(name: str) -> Spec | None:
    return SPECS.get(name)
