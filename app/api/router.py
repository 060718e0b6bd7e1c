"""Every resource router under /api/v1, in one list."""

from fastapi import APIRouter

from app.api import audit, auth, clusters, councils, plans, reports, tasks, units, users

api_router = APIRouter(prefix="/api/v1")
for module in (auth, users, units, clusters, councils, audit, plans, tasks, reports):
    api_router.include_router(module.router)
