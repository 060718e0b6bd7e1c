"""Every resource router under /api/v1, in one list."""

from fastapi import APIRouter

from app.api import (
    attachments,
    audit,
    auth,
    award_history,
    award_types,
    clusters,
    complaints,
    councils,
    decisions,
    dossier_outputs,
    dossiers,
    events,
    holidays,
    meetings,
    nominations,
    plans,
    reports,
    rounds,
    rule_values,
    tasks,
    units,
    users,
)

api_router = APIRouter(prefix="/api/v1")
for module in (auth, users, units, clusters, councils, audit, plans, tasks, reports):
    api_router.include_router(module.router)
api_router.include_router(dossier_outputs.router)  # before dossiers: /dossiers/export
for module in (award_types, rounds, dossiers, nominations, attachments, holidays, events):
    api_router.include_router(module.router)
for module in (meetings, decisions, complaints, award_history):
    api_router.include_router(module.router)
api_router.include_router(rule_values.router)
