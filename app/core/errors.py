"""Domain errors and their one mapping to RFC 9457 problem+json responses.

Services raise these; nothing else in the code builds an error response. `title` and `detail`
are Vietnamese, for the official who reads them; `code` is stable, for programs.
"""

import logging
from enum import StrEnum
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.validation_messages import vietnamese_message

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://tdkt.sonla.gov.vn/problems/"

log = logging.getLogger("tdkt.errors")


class ProblemCode(StrEnum):
    """Every stable `code` a problem answer may carry (a guard test keeps this list complete:
    tests/test_problem_codes.py). Programs branch on it; `title` and `detail` are for people."""

    AGENDA_REFUSED = "agenda_refused"
    ALREADY_VOTED = "already_voted"
    APPRAISAL_INCOMPLETE = "appraisal_incomplete"
    ATTENDANCE_CONFLICT = "attendance_conflict"
    AWARD_HISTORY_LOCKED = "award_history_locked"
    BAD_HEADER = "bad_header"
    BAD_REQUEST = "bad_request"
    BALLOT_INCOMPLETE = "ballot_incomplete"
    BALLOT_NOT_FOUND = "ballot_not_found"
    BALLOT_UNREADABLE = "ballot_unreadable"
    BANG_KHEN_NOT_ELECTED = "bang_khen_not_elected"
    CANCEL_NOT_ALLOWED = "cancel_not_allowed"
    CHECK_NOT_FOUND = "check_not_found"
    CLUSTER_VOTE_OPEN = "cluster_vote_open"
    CLUSTER_VOTE_REQUIRED = "cluster_vote_required"
    CLUSTER_WITHOUT_HEAD = "cluster_without_head"
    CLUSTER_YEAR_MISMATCH = "cluster_year_mismatch"
    CONCURRENT_UPDATE = "concurrent_update"
    CONFLICT = "conflict"
    CORS_REFUSED = "cors_refused"
    CURSOR_BEYOND_HEAD = "cursor_beyond_head"
    DECISION_NOT_PROVINCIAL = "decision_not_provincial"
    DELIVERY_PENDING = "delivery_pending"
    DOSSIER_NOT_DRAFT = "dossier_not_draft"
    DOSSIER_NOT_EDITABLE = "dossier_not_editable"
    DOSSIER_NOT_RETURNED = "dossier_not_returned"
    DUE_IN_PAST = "due_in_past"
    DUPLICATE = "duplicate"
    DUPLICATE_AWARD = "duplicate_award"
    DUPLICATE_CLUSTER = "duplicate_cluster"
    DUPLICATE_CRITERION = "duplicate_criterion"
    DUPLICATE_DECISION_NUMBER = "duplicate_decision_number"
    DUPLICATE_NOMINATION = "duplicate_nomination"
    DUPLICATE_RATING = "duplicate_rating"
    DUPLICATE_ROUND = "duplicate_round"
    DUPLICATE_RULE_VALUE = "duplicate_rule_value"
    DUPLICATE_SCORE_TABLE = "duplicate_score_table"
    DUPLICATE_TASK_CODE = "duplicate_task_code"
    EMPTY_AGENDA = "empty_agenda"
    EMPTY_FILE = "empty_file"
    EMPTY_SCORE_TABLE = "empty_score_table"
    EXPORT_TOO_LARGE = "export_too_large"
    FIELD_TOO_LONG = "field_too_long"
    FILE_REQUIRED = "file_required"
    FORBIDDEN = "forbidden"
    GRANT_ALREADY_HELD = "grant_already_held"
    GRANT_ALREADY_REVOKED = "grant_already_revoked"
    HEAD_IS_DEPUTY = "head_is_deputy"
    HOUSEHOLD_INCOMPLETE = "household_incomplete"
    HTTP_ERROR = "http_error"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IF_MATCH_REQUIRED = "if_match_required"
    IMPORT_ROWS_INVALID = "import_rows_invalid"
    INCOMPLETE_SCORE_SHEET = "incomplete_score_sheet"
    INITIATIVE_ALREADY_USED = "initiative_already_used"
    INITIATIVE_IN_USE = "initiative_in_use"
    INTERNAL_ERROR = "internal_error"
    INVALID_BANG_KHEN_PROPOSAL = "invalid_bang_khen_proposal"
    INVALID_CANDIDATE = "invalid_candidate"
    INVALID_CHECK_REVIEW = "invalid_check_review"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_CRITERION_PARAMETERS = "invalid_criterion_parameters"
    INVALID_EXPIRY = "invalid_expiry"
    INVALID_FIELDS = "invalid_fields"
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    INVALID_IF_MATCH = "invalid_if_match"
    INVALID_MULTIPART = "invalid_multipart"
    INVALID_PERIOD = "invalid_period"
    INVALID_SORT = "invalid_sort"
    INVALID_TEMPLATE = "invalid_template"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_USER_LINK = "invalid_user_link"
    INVALID_WINDOW = "invalid_window"
    LEADER_NOT_ELECTED = "leader_not_elected"
    LEADER_NOT_TOP_SCORER = "leader_not_top_scorer"
    LOGIN_RATE_LIMITED = "login_rate_limited"
    MEETING_NOT_CLOSED = "meeting_not_closed"
    MEETING_NOT_OPEN = "meeting_not_open"
    MEETING_NOT_SCHEDULED = "meeting_not_scheduled"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    MISSING_COLUMNS = "missing_columns"
    MISSING_DOCUMENTS = "missing_documents"
    MISSING_EVIDENCE = "missing_evidence"
    MISSING_LINK = "missing_link"
    MULTIPART_REQUIRED = "multipart_required"
    NOMINATIONS_NOT_DECIDABLE = "nominations_not_decidable"
    NOMINATIONS_NOT_DISCLOSABLE = "nominations_not_disclosable"
    NOMINATION_NOT_ON_LIST = "nomination_not_on_list"
    NOT_AUTHENTICATED = "not_authenticated"
    NOT_A_GRASSROOTS_TITLE = "not_a_grassroots_title"
    NOT_A_PLAN = "not_a_plan"
    NOT_A_VOTING_MEMBER = "not_a_voting_member"
    NOT_CLUSTER_HEAD = "not_cluster_head"
    NOT_CLUSTER_LEADER = "not_cluster_leader"
    NOT_CLUSTER_MEMBERS = "not_cluster_members"
    NOT_COUNCIL_MEMBERS = "not_council_members"
    NOT_DOSSIER_OWNER = "not_dossier_owner"
    NOT_FOUND = "not_found"
    NOT_OWN_UNIT = "not_own_unit"
    NOT_SHEET_OWNER = "not_sheet_owner"
    NOT_TASK_PARTICIPANT = "not_task_participant"
    NO_NOMINATIONS = "no_nominations"
    NO_TASKS = "no_tasks"
    NO_THRESHOLD = "no_threshold"
    ONE_FILE_ONLY = "one_file_only"
    OPEN_COMPLAINT = "open_complaint"
    OVERRIDE_REASON_REQUIRED = "override_reason_required"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    PDF_UNAVAILABLE = "pdf_unavailable"
    PLAN_ALREADY_IMPORTED = "plan_already_imported"
    PLAN_YEAR_MISSING = "plan_year_missing"
    POINTS_OVER_MAXIMUM = "points_over_maximum"
    PROGRESS_MISMATCH = "progress_mismatch"
    PUBLISHED_IN_FUTURE = "published_in_future"
    QUORUM_NOT_MET = "quorum_not_met"
    RANKING_NOT_PUBLISHED = "ranking_not_published"
    RECEIPT_REQUIRED = "receipt_required"
    RECIPIENT_MISMATCH = "recipient_mismatch"
    REPORT_SCOPE_REQUIRED = "report_scope_required"
    RESULT_RECORDED = "result_recorded"
    ROUND_CLOSED = "round_closed"
    ROUND_COMPLETED = "round_completed"
    ROUND_HAS_DOSSIERS = "round_has_dossiers"
    ROUND_NOT_OPEN = "round_not_open"
    ROUND_REQUIRED = "round_required"
    RULE_VALUE_NOT_INTEGER = "rule_value_not_integer"
    RULE_VALUE_OUT_OF_RANGE = "rule_value_out_of_range"
    SCORE_NOT_ADJUSTED = "score_not_adjusted"
    SCORE_TABLE_FROZEN = "score_table_frozen"
    SCORING_CLOSED = "scoring_closed"
    SERVICE_UNAVAILABLE = "service_unavailable"
    SHEETS_NOT_VERIFIED = "sheets_not_verified"
    SIGNING_CAPACITY_INVALID = "signing_capacity_invalid"
    TASK_CANCELLED = "task_cancelled"
    TOO_MANY_CALENDAR_FEEDS = "too_many_calendar_feeds"
    TOO_MANY_NOMINATIONS = "too_many_nominations"
    TOO_MANY_REQUESTS = "too_many_requests"
    TOO_MANY_ROWS = "too_many_rows"
    UNEXPECTED_LINK = "unexpected_link"
    UNIT_ALREADY_IN_CLUSTER = "unit_already_in_cluster"
    UNIT_CODE_TAKEN = "unit_code_taken"
    UNKNOWN_ATTACHMENT = "unknown_attachment"
    UNKNOWN_AWARD_TYPE = "unknown_award_type"
    UNKNOWN_CRITERION = "unknown_criterion"
    UNKNOWN_CRITERION_RULE = "unknown_criterion_rule"
    UNKNOWN_DOCUMENT_TYPE = "unknown_document_type"
    UNKNOWN_GRANT = "unknown_grant"
    UNKNOWN_NOMINATION = "unknown_nomination"
    UNKNOWN_PLACEHOLDERS = "unknown_placeholders"
    UNKNOWN_REFERENCE = "unknown_reference"
    UNKNOWN_RULE_VALUE = "unknown_rule_value"
    UNPROCESSABLE = "unprocessable"
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type"
    UNSUPPORTED_FORMAT = "unsupported_format"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    UNTIL_IN_PAST = "until_in_past"
    USERNAME_TAKEN = "username_taken"
    VALIDATION_ERROR = "validation_error"
    VALUE_OUT_OF_RANGE = "value_out_of_range"
    VERSION_MISMATCH = "version_mismatch"
    WEBHOOK_URL_REFUSED = "webhook_url_refused"


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


def problem_document(
    *, status: int, code: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The RFC 9457 body every error answer carries."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": title, "status": status}
    body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    return {**body, "code": code, **extra}


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
    body = problem_document(
        status=status, code=code, title=title, detail=detail, instance=request.url.path, **extra
    )
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


# Any other status the framework answers with (406, ...) keeps its English reason phrase.
HTTP_ERROR = "http_error"
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
            {
                "loc": _loc(err.get("loc", ())),
                "msg": vietnamese_message(err),
                "type": err.get("type"),
            }
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
        phrase = HTTPStatus(exc.status_code).phrase
        code, title, detail = _HTTP_CODES.get(exc.status_code, (HTTP_ERROR, phrase, phrase))
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
        # PostgreSQL gave up one of two transactions that waited on each other (a deadlock) or
        # could not serialise them: the request's transaction is rolled back whole (by
        # `TransactionalRoute`, audit entries with it), so sending it again is safe.
        sqlstate = _sqlstate(exc)
        if sqlstate in RETRYABLE_SQLSTATES:
            log.warning(
                "transaction aborted by the database, answered 409",
                extra={"path": request.url.path, "sqlstate": sqlstate},
            )
            return problem_response(
                request,
                status=409,
                code="concurrent_update",
                title=Conflict.title,
                detail=CONCURRENT_RETRY,
                headers={"Retry-After": str(CONCURRENT_RETRY_AFTER_SECONDS)},
            )
        return internal_error(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(request, exc)


def internal_error(request: Request, exc: BaseException) -> JSONResponse:
    log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
    return problem_response(
        request,
        status=500,
        code="internal_error",
        title="Lỗi hệ thống",
        detail="Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại. Vui lòng thử lại sau.",
    )


class UnexpectedErrorMiddleware:
    """Answers an unexpected exception with the 500 problem from inside the middleware stack.

    Starlette runs the handler of `Exception` outside every middleware, so its answer would
    miss the CORS headers (a browser page would see a network error instead of the problem),
    the security headers and `X-Request-ID`. Installed innermost, this turns the exception into
    the same answer before those middlewares see it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:  # too late for another answer: let the server end the connection
                raise
            await internal_error(Request(scope), exc)(scope, receive, send)


# SQLSTATEs after which the same request, sent again, can succeed: deadlock_detected and
# serialization_failure (PostgreSQL, Appendix A). SQLite has neither: a writer waits for the
# lock (busy timeout) instead.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
CONCURRENT_RETRY = "Dữ liệu vừa được người khác thay đổi, vui lòng thử lại"
CONCURRENT_RETRY_AFTER_SECONDS = 1


def _sqlstate(exc: DBAPIError) -> str | None:
    """The SQLSTATE of the driver's error (asyncpg's `sqlstate`, psycopg's `pgcode`), looked for
    down the chain of wrapped errors."""
    seen: BaseException | None = exc.orig
    for _ in range(5):
        if seen is None:
            return None
        for attribute in ("sqlstate", "pgcode"):
            code = getattr(seen, attribute, None)
            if isinstance(code, str) and code:
                return code
        seen = seen.__cause__ or seen.__context__
    return None


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
