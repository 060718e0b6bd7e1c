"""Every resource router under /api/v1, in one list."""

from app.api import (
    accounts,
    audit,
    auth,
    award_history,
    award_types,
    calendar_feeds,
    decisions,
    directory,
    disclosures,
    documents,
    dossiers,
    emulation,
    emulation_votes,
    events,
    holidays,
    meetings,
    nominees,
    plans,
    public,
    rounds,
    rule_values,
    tasks,
    webhooks,
)
from app.api.routing import QuickRouter

api_router = QuickRouter(prefix="/api/v1")
for module in (auth, accounts, directory, audit, plans, tasks, award_types, rounds, dossiers):
    api_router.include_router(module.router)
for module in (holidays, events, webhooks, meetings, decisions, award_history, rule_values):
    api_router.include_router(module.router)
for module in (documents, disclosures, public):
    api_router.include_router(module.router)
api_router.include_router(nominees.router)
api_router.include_router(calendar_feeds.router)
api_router.include_router(emulation.router)
api_router.include_router(emulation_votes.router)
api_router.include_router(emulation_votes.ballot_router)
