"""The route class every router uses: one transaction per request, committed here.

Routers are made by `feature_router`, so none can forget the route class (a test checks).
This is the one visible commit point. A request's session is opened on first use (see
`deps.get_session`); when the endpoint returns, the session commits — with the Idempotency-Key
record in the same transaction — and on any error it rolls back.
"""

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute, _effective_route_context_var, _IncludedRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import Match
from starlette.types import Scope

from app.api import conditional, deps, idempotency, openapi
from app.api.responses import PROBLEMS
from app.core import after_commit
from app.core.db import READ_ONLY
from app.core.errors import DomainError, PayloadTooLarge, Unprocessable
from app.core.validation_messages import UNKNOWN_FIELD

IDEMPOTENCY_HEADER = "idempotency-key"
_REPLAYED_HEADERS = ("location", "etag", "content-type")


async def read_body_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Nội dung gửi lên vượt quá {limit // (1024 * 1024)} MiB.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Nội dung gửi lên vượt quá {limit // (1024 * 1024)} MiB.")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Starlette reads this cache in request.body()
    return body


async def end_reads(session: AsyncSession) -> None:
    """End a request's transaction that has written nothing, before a long wait (a streamed
    upload): the one other place, beside the route class, where a transaction ends."""
    await session.rollback()


def _query_names(route: APIRoute) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included (by their alias)."""
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(field.alias for field in dependant.query_params)
        pending.extend(dependant.dependencies)
    return frozenset(names)


def refuse_unknown_query(request: Request, known: frozenset[str]) -> None:
    """A query parameter the route does not declare is a 422, like an unknown body field: a
    misspelt or unsupported filter must not silently return everything."""
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        raise Unprocessable(
            f"Tham số truy vấn không được hỗ trợ: {', '.join(unknown)}.",
            code="validation_error",
            errors=[
                {"loc": ["query", name], "msg": UNKNOWN_FIELD, "type": "extra_forbidden"}
                for name in unknown
            ],
        )


class TransactionalRoute(APIRoute):
    # A signed-in caller's POST sent again with its Idempotency-Key gets the stored answer.
    honours_idempotency_key = True

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        # The route's own path pattern, unanchored at the start: a request path that does not
        # end with it cannot be this route, whatever prefix the route is included under.
        self._path_tail = re.compile(self.path_regex.pattern.removeprefix("^"))

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette's match, after a quick refusal of paths that cannot be this route: the
        router asks every route in turn, and a full match costs several microseconds each."""
        if scope["type"] == "http" and self._path_tail.search(scope["path"]) is None:
            return Match.NONE, {}
        return super().matches(scope)

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        # FastAPI builds the handler from the route, or from the route as included under a
        # prefix (its "effective context"); the handler solves the runtime dependencies, the
        # OpenAPI document reads the declared ones.
        included = _effective_route_context_var.get()
        target = included if included is not None and included.original_route is self else self
        declared = target.dependant
        target.dependant = deps.runtime_dependant(declared)
        try:
            inner = super().get_route_handler()
        finally:
            target.dependant = declared
        creates = self.honours_idempotency_key and "POST" in self.methods
        known_query = _query_names(self)

        async def handler(request: Request) -> Response:
            refuse_unknown_query(request, known_query)
            claim = None
            key = request.headers.get(IDEMPOTENCY_HEADER) if creates else None
            caller = await idempotency.verified_caller(request) if key is not None else None
            if key is not None and caller is not None:
                outcome = await self._claim(request, key, caller)
                if isinstance(outcome, idempotency.Replay):
                    return Response(
                        outcome.body,
                        status_code=outcome.status_code,
                        headers={**outcome.headers, "idempotent-replayed": "true"},
                    )
                claim = outcome
            try:
                response = await inner(request)
                conditional.tag_representation(response)
                if openapi.check_sent_headers_enabled:
                    openapi.check_sent_headers(request.app.openapi(), self, response)
                session = getattr(request.state, "db_session", None)
                if claim is not None and session is not None and response.status_code < 400:
                    await idempotency.complete(
                        session, claim, response.status_code, _replayable(response),
                        getattr(request.state, "idempotent_replay_body", None) or _text(response),
                    )  # fmt: skip
                # A read-only request has nothing to commit: closing its session (below) ends
                # its snapshot, without the commit's round of the session's machinery.
                if session is not None and not session.info.get(READ_ONLY):
                    await session.commit()
                    await after_commit.run(session)
                return conditional.not_modified(request, response)
            except BaseException as exc:
                session = getattr(request.state, "db_session", None)
                if session is not None:
                    if isinstance(exc, DomainError) and exc.persist:
                        await session.commit()
                    else:
                        await session.rollback()
                if claim is not None:
                    await idempotency.release(request.app.state.db.sessionmaker, claim)
                raise
            finally:
                session = getattr(request.state, "db_session", None)
                if session is not None:
                    request.state.db_session = None
                    await session.close()

        return handler

    async def _claim(
        self, request: Request, key: str, caller: str
    ) -> idempotency.Claim | idempotency.Replay:
        settings = request.app.state.settings
        body = await read_body_capped(request, settings.attachment_max_bytes + 1024 * 1024)
        fp = idempotency.fingerprint(
            request.method, request.url.path, request.url.query, _canonical(request, body)
        )
        return await idempotency.claim(
            request.app.state.db.sessionmaker, caller, key, fp, settings.idempotency_lock_seconds
        )


def _canonical(request: Request, body: bytes) -> bytes:
    """The body as it matters for a retry: a multipart boundary is random per attempt."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/") and "boundary=" in content_type:
        boundary = content_type.split("boundary=", 1)[1].split(";", 1)[0].strip().strip('"')
        if boundary:
            return body.replace(boundary.encode("latin-1"), b"<boundary>")
    return body


def _replayable(response: Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() in _REPLAYED_HEADERS}


def _text(response: Response) -> str:
    body = getattr(response, "body", b"")
    return body.decode("utf-8") if isinstance(body, bytes) else json.dumps(body)


class QuickRouter(APIRouter):
    """A router that refuses, with one set operation, a path none of its routes can match.

    FastAPI keeps included routers nested and, for each request, asks every router in turn
    and every route of each, with several microseconds of bookkeeping per route: a path near
    the end of the list paid hundreds of microseconds before its route was found. A route's
    path starts with a literal segment (`/dossiers/{dossier_id}` with `dossiers`), which must
    be one of the request path's segments whatever prefix the router is included under; a
    router none of whose first segments is in the path cannot match it.
    """

    _heads: frozenset[str] | None = None
    _heads_version: int = -1
    # Bumped whenever any QuickRouter's routes change (see `_get_routes_version`).
    _generation: int = 0
    _version_memo: tuple[int, int] | None = None  # (generation, version)

    def _mark_routes_changed(self) -> None:
        super()._mark_routes_changed()
        QuickRouter._generation += 1

    def _get_routes_version(self, seen: set[int] | None = None) -> int:
        """FastAPI's version of this router's routes, remembered until a route changes.

        FastAPI asks for it several times per request (each included router checks that its
        resolved routes are still current), and each answer walks every router below this
        one: ≈ 100 calls per request on this API. A tree made only of QuickRouters bumps
        `_generation` on any change, so the sum can be kept until then.
        """
        memo = self._version_memo
        if seen is None and memo is not None and memo[0] == QuickRouter._generation:
            return memo[1]
        version = super()._get_routes_version(seen)
        if seen is None and _only_quick_routers(self):
            self._version_memo = (QuickRouter._generation, version)
        return version

    def _first_segments(self) -> frozenset[str] | None:
        version = self._get_routes_version()
        if version != self._heads_version:
            self._heads = _first_segments(self)
            self._heads_version = version
        return self._heads

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            heads = self._first_segments()
            if heads is not None and heads.isdisjoint(scope["path"].split("/")):
                return Match.NONE, {}
        return super().matches(scope)


def _only_quick_routers(router: APIRouter) -> bool:
    """Whether every router included below `router`, at any depth, is a QuickRouter (whose
    changes bump `QuickRouter._generation`)."""
    for route in router.routes:
        if isinstance(route, _IncludedRouter):
            below = route.original_router
            if not isinstance(below, QuickRouter) or not _only_quick_routers(below):
                return False
    return True


def _first_segments(router: APIRouter) -> frozenset[str] | None:
    """The first segments of every route of `router` and of the routers it includes; None
    when a route's path starts with a parameter (any path may then match)."""
    heads: set[str] = set()
    for route in router.routes:
        if isinstance(route, _IncludedRouter):
            found = _first_segments(route.original_router)
            if found is None:
                return None
            heads |= found
            continue
        path = getattr(route, "path", None)
        head = path.split("/")[1] if isinstance(path, str) and path.startswith("/") else "{"
        if not head or "{" in head:
            return None
        heads.add(head)
    return frozenset(heads)


def feature_router(
    *, tags: list[str] | None = None, route_class: type[TransactionalRoute] = TransactionalRoute
) -> APIRouter:
    """A resource's router: every route commits through `TransactionalRoute` (or a subclass
    of it, such as the meetings' `SecretBallotRoute`) and documents the shared problems."""
    if not issubclass(route_class, TransactionalRoute):
        raise TypeError(f"{route_class.__name__} does not commit through TransactionalRoute.")
    return QuickRouter(route_class=route_class, responses=PROBLEMS, tags=tags)
