"""Domain errors and their one mapping to RFC 9457 problem+json responses.

Services raise these; nothing else in the code builds an error response. `title` and `detail`
are Vietnamese, for the official who reads them; `code` is stable, for programs.
"""

import logging
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://tdkt.sonla.gov.vn/problems/"

log = logging.getLogger("tdkt.errors")


class DomainError(Exception):
    """Base of every error a service may raise; each subclass is one HTTP status."""

    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Yêu cầu không hợp lệ"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        persist: bool = False,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        # persist=True: the request's changes so far are committed although the answer is an
        # error (a failed login must still count against the throttle).
        self.persist = persist
        self.detail = detail
        self.code = code or self.default_code
        self.headers = headers or {}
        self.extra = extra


class BadRequest(DomainError):
    pass


class Unauthorized(DomainError):
    status = 401
    default_code = "not_authenticated"
    title = "Chưa xác thực"

    def __init__(self, detail: str = "Cần đăng nhập bằng mã truy cập hợp lệ.", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(DomainError):
    status = 403
    default_code = "forbidden"
    title = "Không có quyền"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"
    title = "Không tìm thấy"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"
    title = "Xung đột dữ liệu"


class InvalidTransition(Conflict):
    default_code = "invalid_transition"
    title = "Thao tác không hợp lệ ở trạng thái hiện tại"


class PreconditionFailed(DomainError):
    status = 412
    default_code = "version_mismatch"
    title = "Dữ liệu đã bị thay đổi"


class PreconditionRequired(DomainError):
    status = 428
    default_code = "if_match_required"
    title = "Thiếu phiên bản (If-Match)"


class PayloadTooLarge(DomainError):
    status = 413
    default_code = "payload_too_large"
    title = "Tệp quá lớn"


class UnsupportedMediaType(DomainError):
    status = 415
    default_code = "unsupported_media_type"
    title = "Định dạng tệp không được chấp nhận"


class Unprocessable(DomainError):
    status = 422
    default_code = "unprocessable"
    title = "Dữ liệu không hợp lệ"


class ServiceUnavailable(DomainError):
    status = 503
    default_code = "service_unavailable"
    title = "Dịch vụ tạm thời không sẵn sàng"


class TooManyRequests(DomainError):
    status = 429
    default_code = "too_many_requests"
    title = "Quá nhiều yêu cầu"


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


_HTTP_CODES = {
    400: ("bad_request", "Yêu cầu không hợp lệ", "Yêu cầu không đúng định dạng."),
    401: ("not_authenticated", "Chưa xác thực", "Cần đăng nhập bằng mã truy cập hợp lệ."),
    403: ("forbidden", "Không có quyền", "Tài khoản không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy", "Không tìm thấy địa chỉ hoặc đối tượng được yêu cầu."),
    405: (
        "method_not_allowed",
        "Phương thức không được hỗ trợ",
        "Địa chỉ này không hỗ trợ phương thức HTTP đã dùng.",
    ),
    413: ("payload_too_large", "Dữ liệu quá lớn", "Nội dung gửi lên vượt quá giới hạn cho phép."),
}


def _loc(loc: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [part for part in loc]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            request,
            status=exc.status,
            code=exc.code,
            title=exc.title,
            detail=exc.detail,
            headers=exc.headers,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": _loc(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type")}
            for err in exc.errors()
        ]
        return problem_response(
            request,
            status=422,
            code="validation_error",
            title="Dữ liệu không hợp lệ",
            detail="Dữ liệu gửi lên có trường sai, thiếu hoặc không được phép; xem `errors`.",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, title, detail = _HTTP_CODES.get(
            exc.status_code,
            ("http_error", HTTPStatus(exc.status_code).phrase, HTTPStatus(exc.status_code).phrase),
        )
        return problem_response(
            request,
            status=exc.status_code,
            code=code,
            title=title,
            detail=detail,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        # Two writers read the same version; the database let only the first one through.
        if request.headers.get("if-match"):
            return problem_response(
                request,
                status=412,
                code="version_mismatch",
                title=PreconditionFailed.title,
                detail="Bản ghi vừa được người khác sửa. Tải lại rồi thực hiện lại thay đổi.",
            )
        return problem_response(
            request,
            status=409,
            code="concurrent_update",
            title=Conflict.title,
            detail="Bản ghi đang được người khác sửa cùng lúc. Tải lại rồi thử lại.",
        )

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return _out_of_range(request)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        # Values the schemas let through but the column cannot hold (a number past its range,
        # a text past its length) are the caller's to fix; anything else is our bug.
        if _is_data_error(exc):
            return _out_of_range(request)
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(
            request,
            status=500,
            code="internal_error",
            title="Lỗi hệ thống",
            detail="Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại. Vui lòng thử lại sau.",
        )


def _is_data_error(exc: DBAPIError) -> bool:
    if isinstance(exc, DataError):
        return True
    # Drivers wrap their own errors: look down the chain for a data or overflow error.
    seen: BaseException | None = exc.orig
    for _ in range(5):
        if seen is None:
            return False
        names = {t.__name__ for t in type(seen).__mro__}
        if names & {"DataError", "OverflowError"}:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _out_of_range(request: Request) -> JSONResponse:
    return problem_response(
        request,
        status=422,
        code="value_out_of_range",
        title="Dữ liệu không hợp lệ",
        detail="Một giá trị gửi lên vượt quá giới hạn cho phép (số quá lớn hoặc chuỗi quá dài).",
    )
