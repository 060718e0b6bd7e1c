"""The statuses of every state machine, each code with its Vietnamese name, in one place.

Models take their CHECK constraints and defaults from these enums, and the services and the
transition table of `app.services.workflow` their codes. The schemas use the enums themselves:
each is one named schema in the document, on requests, reads and list filters alike.
A status is stored as its plain code in a String column; a member compares equal to that code.
"""

from enum import StrEnum
from typing import Self


class Status(StrEnum):
    """A closed list of codes, each with the Vietnamese name an official reads."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @property
    def display(self) -> str:
        """The name as a cell or a line starts it: the first letter in upper case."""
        return self.label[:1].upper() + self.label[1:]

    @classmethod
    def display_of(cls, code: str | None) -> str | None:
        """The display name of `code`; an unknown code (or None) as it is."""
        return cls(code).display if code in cls._value2member_map_ else code

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The codes in their declared order, as plain strings (for SQL and `Literal`)."""
        return tuple(member.value for member in cls)


class RoundStatus(Status):
    """Đợt xét khen thưởng."""

    DRAFT = "draft", "dự thảo"
    OPEN = "open", "đang nhận hồ sơ"
    CLOSED = "closed", "đã hết hạn nộp"
    COMPLETED = "completed", "đã kết thúc"


class DossierStatus(Status):
    """Hồ sơ đề nghị khen thưởng."""

    DRAFT = "draft", "dự thảo"
    SUBMITTED = "submitted", "đã nộp"
    RETURNED = "returned", "đã trả lại để bổ sung"
    UNDER_APPRAISAL = "under_appraisal", "đang thẩm định"
    APPRAISED = "appraised", "đã thẩm định"
    WITHDRAWN = "withdrawn", "đã rút"


class NominationStatus(Status):
    """One nominee's proposal, through appraisal, the council's vote and the decisions."""

    DRAFT = "draft", "dự thảo"
    SUBMITTED = "submitted", "đã nộp"
    ELIGIBLE = "eligible", "đủ điều kiện"
    INELIGIBLE = "ineligible", "không đủ điều kiện"
    APPROVED = "approved", "được Hội đồng thông qua"
    REJECTED = "rejected", "không được khen thưởng"
    AWARDED = "awarded", "đã được khen thưởng"
    SUBMITTED_TO_STATE = "submitted_to_state", "đã trình cấp Nhà nước"
    WITHDRAWN = "withdrawn", "đã rút"


class MeetingStatus(Status):
    """Phiên họp Hội đồng TĐKT tỉnh."""

    SCHEDULED = "scheduled", "chờ khai mạc"
    OPEN = "open", "đang họp"
    CLOSED = "closed", "đã bế mạc"


class ComplaintStatus(Status):
    """Đơn thư khiếu nại, tố cáo."""

    OPEN = "open", "đang giải quyết"
    RESOLVED = "resolved", "đã giải quyết"


class TaskStatus(Status):
    """Nhiệm vụ trọng tâm, and what a progress report says of it."""

    NOT_STARTED = "not_started", "chưa thực hiện"
    IN_PROGRESS = "in_progress", "đang thực hiện"
    DONE = "done", "hoàn thành"
    CANCELLED = "cancelled", "hủy"


class ScoreTableStatus(Status):
    """Bảng điểm thi đua của một cụm, khối trong năm."""

    DRAFT = "draft", "dự thảo"
    SCORING = "scoring", "đang chấm điểm"
    PUBLISHED = "published", "đã công bố xếp hạng"
    DECIDED = "decided", "đã có kết quả bình xét"
    SUPERSEDED = "superseded", "đã thay bằng phiên bản mới"


class ScoreSheetStatus(Status):
    """Bản tự chấm điểm của một đơn vị."""

    DRAFT = "draft", "đang tự chấm"
    SUBMITTED = "submitted", "đã nộp"
    VERIFIED = "verified", "đã được Trưởng khối thẩm tra"


class ClusterVoteStatus(Status):
    """Cuộc bỏ phiếu kín của hội nghị cụm, khối."""

    OPEN = "open", "đang bỏ phiếu"
    CLOSED = "closed", "đã kiểm phiếu"


class DeliveryStatus(Status):
    """One webhook delivery (một lần gửi sự kiện tới địa chỉ đăng ký)."""

    PENDING = "pending", "đang chờ gửi"
    DELIVERED = "delivered", "đã gửi thành công"
    FAILED = "failed", "gửi thất bại"


MACHINE_STATUSES: dict[str, type[Status]] = {
    "round": RoundStatus,
    "dossier": DossierStatus,
    "nomination": NominationStatus,
    "meeting": MeetingStatus,
    "complaint": ComplaintStatus,
    "task": TaskStatus,
    "score_table": ScoreTableStatus,
    "score_sheet": ScoreSheetStatus,
    "cluster_vote": ClusterVoteStatus,
    "webhook_delivery": DeliveryStatus,
}

# The appraisal's conclusion is the nomination status it leads to; so is the centre's answer.
CONCLUSIONS = (NominationStatus.ELIGIBLE, NominationStatus.INELIGIBLE)
STATE_OUTCOMES = (NominationStatus.AWARDED, NominationStatus.REJECTED)
