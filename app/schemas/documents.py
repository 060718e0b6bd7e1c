"""Documents (văn bản): the Word templates Sở Nội vụ keeps, and their versions."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.schemas.common import ReadModel, StrictModel

TemplateName = Annotated[str, Field(max_length=60, pattern=r"^[a-z0-9-]+$")]


class DocumentTemplateRead(ReadModel):
    name: str = Field(description="Tên mẫu, ví dụ `to-trinh-don-vi`")
    title: str = Field(description="Văn bản in từ mẫu")
    version: int = Field(description="Phiên bản đang dùng; 0 là mẫu đi kèm phần mềm")
    placeholders: list[str] = Field(description="Các trường trộn mẫu được phép dùng")
    updated_at: datetime | None
    updated_by: str | None


class DocumentTemplateVersionRead(ReadModel):
    version: int
    sha256: str
    size: int
    reverted_from: int | None = Field(
        description="Phiên bản được khôi phục (0: mẫu đi kèm); null nếu là bản tải lên"
    )
    note: str
    created_by_name: str | None
    created_at: datetime


class DocumentTemplateRevert(StrictModel):
    version: int = Field(ge=0, le=1_000_000, description="Phiên bản cần dùng lại (0: mẫu gốc)")
