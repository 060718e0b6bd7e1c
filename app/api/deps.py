"""Dependencies that make route signatures read like sentences.

Every dependency is `async def`, even those that only parse: FastAPI runs a plain `def`
dependency in its thread pool, a trip to another thread and back on every request.
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import WithJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import PreconditionRequired, Unauthorized, Unprocessable
from app.core.listing import Listing, RowSorting, Sorting
from app.core.orm import NO_VERSION
from app.core.principal import Principal
from app.schemas.common import AwareQueryDateTime, Id
from app.schemas.dossiers import DossierFilter, DossierKind, DossierStatus
from app.services import auth as auth_service
from app.services import permissions

TOKEN_URL = "/api/v1/auth/token"
# Two ways to present the same Bearer token, both declared on every protected operation so
# Swagger UI's "Authorize" offers them: paste a token (a service token, or an access token got
# elsewhere), or log in with a username and password through the OAuth2 password flow.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="Mã truy cập (access token) hoặc service token, gửi trong header Authorization.",
)
_password_flow = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    auto_error=False,
    scheme_name="password",
    description="Đăng nhập bằng tên đăng nhập và mật khẩu (OAuth2 password flow).",
)


READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


async def get_session(request: Request) -> AsyncSession:
    """The request's session; `TransactionalRoute` commits or rolls it back. A GET's is
    read-only: on SQLite it does not take the write lock, so readers never queue."""
    session = getattr(request.state, "db_session", None)
    if session is None:
        db = request.app.state.db
        read_only = request.method in READ_ONLY_METHODS
        session = db.read_sessionmaker() if read_only else db.sessionmaker()
        request.state.db_session = session
    return session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _: Annotated[str | None, Depends(_password_flow)],  # the same header, declared for the docs
) -> Principal:
    """The caller, as the OpenAPI document declares it (both security schemes). A request
    runs `principal_from_header` in its place (see `runtime_dependant`)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    return await _authenticated(request, session, credentials.credentials)


async def principal_from_header(request: Request, session: AsyncSession) -> Principal:
    """`get_principal` reading the `Authorization` header itself, as `HTTPBearer` does: the
    same caller and the same 401, without solving the two security schemes as dependencies
    (a sizeable share of a short request's work)."""
    authorization = request.headers.get("authorization")
    scheme, token = get_authorization_scheme_param(authorization)
    if not (authorization and scheme and token) or scheme.lower() != "bearer":
        raise Unauthorized()
    return await _authenticated(request, session, token)


async def _authenticated(request: Request, session: AsyncSession, token: str) -> Principal:
    state = request.app.state
    principal = await auth_service.authenticate(
        session, state.tokens, token, getattr(state, "principals", None)
    )
    request.state.principal = principal
    return principal


_DOCUMENTATION_ONLY = (_bearer, _password_flow)


def runtime_dependant(dependant: Dependant) -> Dependant:
    """The dependencies a request solves: the documented ones, with `get_principal` replaced
    by `principal_from_header` (its security schemes are there for the OpenAPI document, which
    is built from the route's own, unchanged dependant)."""
    if isinstance(dependant.call, ActionGate):
        # The gate, its caller and the caller's session: one step instead of three levels.
        return replace(
            dependant, call=dependant.call.admit, dependencies=[], request_param_name="request"
        )
    below = [runtime_dependant(sub) for sub in dependant.dependencies]
    if dependant.call is get_principal:
        below = [sub for sub in below if sub.call not in _DOCUMENTATION_ONLY]
        return replace(dependant, call=principal_from_header, dependencies=below)
    return replace(dependant, dependencies=below)


class ActionGate:
    """Admits the roles the permissions table gives one action; every route under /api/v1 is
    bound to exactly one action (a test checks)."""

    def __init__(self, name: str) -> None:
        self.action = permissions.action(name)

    async def __call__(self, principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        permissions.require(principal, self.action.name)
        return principal

    async def admit(self, request: Request) -> Principal:
        """What a request runs in place of `__call__` (see `runtime_dependant`): the caller,
        read from the header with the request's session, admitted by the gate."""
        principal = await principal_from_header(request, await get_session(request))
        permissions.require(principal, self.action.name)
        return principal


class PublicGate:
    """Binds a route called before signing in (log in, refresh) to its public action."""

    def __init__(self, name: str) -> None:
        self.action = permissions.action(name)
        if not self.action.public:
            raise ValueError(f"{name} is not a public action.")

    async def __call__(self) -> None:
        return None


def Allowed(name: str) -> type[Principal]:
    """The caller, admitted by the role gate of action `name`: a route's
    `principal: Allowed("dossier.receive")` reads as the sentence it is."""
    return Annotated[Principal, Depends(ActionGate(name))]  # type: ignore[return-value]


def Public(name: str) -> Any:
    """The route dependency binding a public route to its action of the permissions table."""
    return Depends(PublicGate(name))


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


async def page_params(
    limit: Annotated[
        int, Query(ge=1, le=200, description="Số bản ghi mỗi trang (tối đa 200)")
    ] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


PageDep = Annotated[Page, Depends(page_params)]


MAX_SORT_VALUES = 10


def Listed(sorting: Sorting | RowSorting) -> type[Listing]:
    """`sort=` and `updated_since=` of one list, its sort keys declared as an enum."""
    allowed = sorting.allowed()

    async def listing_params(
        sort: Annotated[
            list[str] | None,
            Query(
                max_length=MAX_SORT_VALUES,
                description="Thứ tự sắp xếp: một hay nhiều trường, cách nhau bằng dấu phẩy "
                f"(`{sorting.default}` là mặc định); dấu - phía trước để sắp giảm dần. Cùng giá "
                "trị thì sắp theo mã số (id), nên phân trang bằng offset không bỏ sót, không "
                "lặp bản ghi.",
            ),
            WithJsonSchema(
                {
                    "type": "array",
                    "items": {"type": "string", "enum": allowed},
                    "maxItems": MAX_SORT_VALUES,
                }
            ),
        ] = None,
        updated_since: Annotated[
            AwareQueryDateTime | None,
            Query(
                description="Chỉ các bản ghi thay đổi từ thời điểm này trở đi (updated_at >= "
                "updated_since), ISO 8601 kèm múi giờ, ví dụ 2026-12-01T08:00:00+07:00. Dùng "
                "để đồng bộ gia tăng.",
            ),
        ] = None,
    ) -> Listing:
        listing = Listing(sort=tuple(sort or ()), updated_since=updated_since)
        sorting.order_by(listing.sort)  # an unknown key is a 422 before any query runs
        return listing

    return Annotated[Listing, Depends(listing_params)]  # type: ignore[return-value]


# RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE. An unquoted number is also
# taken, as clients have always sent it.
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"|([0-9]+)')
_VERSION = re.compile(r"([0-9]{1,9})(?:-[0-9a-f]{16})?")


def parse_etag(value: str) -> int | None:
    """`"3"` → 3; `*` → None (any version); a well-formed tag this server never gave out
    (`"stale"`, the weak `W/"3"`, several tags) → NO_VERSION, which no row has, so the write
    is refused with 412 like any stale one. Only a malformed header is 422."""
    value = value.strip()
    if value == "*":
        return None
    tags = [_ENTITY_TAG.fullmatch(part.strip()) for part in value.split(",")]
    if not value or not all(tags):
        raise Unprocessable(
            'If-Match phải là ETag nhận được từ máy chủ, ví dụ "3".', code="invalid_if_match"
        )
    if len(tags) > 1:
        return NO_VERSION
    weak, quoted, bare = tags[0].groups()
    # The tag handed out is "<version>-<digest of the representation>" (app/api/conditional);
    # a write compares the version alone. A bare "<version>" is taken as well.
    found = _VERSION.fullmatch(bare if bare is not None else quoted)
    # If-Match compares strongly: a weak tag never matches (RFC 9110 §13.1.1).
    if weak or found is None:
        return NO_VERSION
    return int(found.group(1))


async def if_match_required(request: Request) -> int | None:
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired(
            "Cần gửi header If-Match với ETag của bản ghi (lấy bằng GET) để tránh ghi đè "
            "thay đổi của người khác."
        )
    return parse_etag(header)


async def if_match_optional(request: Request) -> int | None:
    header = request.headers.get("if-match")
    return parse_etag(header) if header is not None else None


IfMatch = Annotated[int | None, Depends(if_match_required)]
OptionalIfMatch = Annotated[int | None, Depends(if_match_optional)]


async def dossier_filters(
    round_id: Id | None = None,
    status: DossierStatus | None = None,
    submitting_unit_id: Id | None = None,
    cluster_id: Id | None = None,
    award_type_code: Annotated[str | None, Query(max_length=80)] = None,
    kind: DossierKind | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    overdue: Literal["appraisal", "supplement"] | None = None,
    as_of: date | None = None,
) -> DossierFilter:
    """The filters of `GET /dossiers`, shared by the list and its export."""
    return DossierFilter(
        round_id=round_id, status=status, submitting_unit_id=submitting_unit_id,
        cluster_id=cluster_id, award_type_code=award_type_code, kind=kind, q=q,
        overdue=overdue, as_of=as_of,
    )  # fmt: skip


DossierFilters = Annotated[DossierFilter, Depends(dossier_filters)]
