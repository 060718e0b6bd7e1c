"""Liveness and readiness, outside /api/v1 and without authentication."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.api.responses import NO_SECURITY
from app.core.migrations_info import head_revision
from app.schemas.health import Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Check that the process is alive", openapi_extra=NO_SECURITY)
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Check that the database is reachable and migrated",
    responses={
        200: {"model": Readiness, "description": "Ready"},
        503: {"model": Readiness, "description": "Database unreachable or not migrated"},
    },
    openapi_extra=NO_SECURITY,
)
async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers and its schema is at the latest migration."""
    try:
        async with request.app.state.db.engine.connect() as conn:
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    expected = head_revision()
    if current != expected:
        return JSONResponse(
            {"status": "unavailable", "database": "ok", "migration": current, "expected": expected},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": "ok", "migration": current})
