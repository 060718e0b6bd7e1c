"""create_app(): routers, error handlers, middleware, operationIds."""

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.api import health
from app.api.docs import install_docs
from app.api.openapi import install_openapi
from app.api.router import include_api
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.errors import UnexpectedErrorMiddleware, install_error_handlers
from app.core.headers import ResponseHeaders
from app.core.observability import RequestContextMiddleware, configure_logging
from app.core.principal_cache import ChangeListener, PrincipalCache
from app.core.security import TokenCodec
from app.core.transport import install_compression, install_cors
from app.services.dossiers import startup
from app.services.meetings import scrub
from app.services.public.throttle import RequestThrottle

DESCRIPTION = """
API công tác thi đua, khen thưởng tỉnh Sơn La — the API for the emulation and commendation
work of Sơn La province: plan tasks, units, clusters and the council, submission rounds,
commendation dossiers and their review, council meetings with secret ballots, decisions.

Errors are `application/problem+json` (RFC 9457) with a stable `code`. Single resources carry
an `ETag`; `PATCH` needs `If-Match`. Creating `POST`s accept `Idempotency-Key`.
"""


def operation_id(route: APIRoute) -> str:
    """Stable operationIds: the route function's name (`list_units`, `submit_dossier`)."""
    return route.name


def settle_heap() -> None:
    """Move everything alive after start-up out of the garbage collector's sight.

    Imports leave a few hundred thousand long-lived objects; without this, every full
    collection walks them all and a request that triggers one waits for it (the benchmark's
    p95 halves with it).
    """
    gc.collect()
    gc.freeze()


OPENAPI_URL = "/openapi.json"
# FastAPI's own OpenTelemetry spans, metrics and logs, off unless TDKT_OPENTELEMETRY is set:
# without a configured provider they record nothing, yet each request asked for the providers.
NO_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def create_app(settings: Settings | None = None, *, configure_logs: bool = True) -> FastAPI:
    settings = settings or get_settings()
    if configure_logs:
        configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await startup.sweep_attachments(app.state.db, app.state.settings)
        await scrub.scrub_closed_ballots(app.state.db.engine)
        listener = None
        if app.state.db.dialect == "postgresql":
            listener = ChangeListener(app.state.db.url, app.state.principals)
            await listener.start()
        settle_heap()
        yield
        if listener is not None:
            await listener.stop()
        await app.state.db.dispose()

    app = FastAPI(
        title="tdkt — Thi đua, Khen thưởng Sơn La",
        version="1.0.0",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
        telemetry=None if settings.opentelemetry else NO_TELEMETRY,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # /docs, /redoc and /openapi.json, or none of them (TDKT_PUBLIC_DOCS off)
        openapi_url=OPENAPI_URL if settings.docs_published else None,
    )
    app.state.settings = settings
    app.state.db = Database(settings)
    app.state.tokens = TokenCodec(settings)
    # The callers' rows, kept on PostgreSQL while its listener says nothing changed.
    app.state.principals = PrincipalCache()
    app.state.public_throttle = RequestThrottle(limit=settings.public_requests_per_minute)
    install_error_handlers(app)
    # Middleware, innermost first: each answer, a 500 included, passes every later one.
    app.add_middleware(UnexpectedErrorMiddleware)
    install_compression(app)
    # Request id, log line, Cache-Control and security headers: one pass over each answer.
    app.add_middleware(
        RequestContextMiddleware,
        finish_headers=ResponseHeaders(production=settings.env == "production"),
    )
    install_cors(app, settings.cors_origins)
    if settings.docs_published:
        install_docs(app, OPENAPI_URL)
    app.include_router(health.router)
    include_api(app)
    install_openapi(app)
    return app
