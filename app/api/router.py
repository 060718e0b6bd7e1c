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

API_PREFIX = "/api/v1"
# In order: a path two routers could take goes to the first (no path is taken by two, a test
# checks), and each router passed over costs a request a little: the most requested first.
RESOURCE_ROUTERS = (
    auth.router,
    dossiers.router,
    *(m.router for m in (accounts, directory, audit, plans, tasks, award_types, rounds)),
    *(m.router for m in (holidays, events, webhooks, meetings, decisions, award_history)),
    rule_values.router,
    *(m.router for m in (documents, disclosures, public, nominees, calendar_feeds, emulation)),
    emulation_votes.router,
    emulation_votes.ballot_router,
)


def include_api(app) -> None:
    """Each resource router straight under the app at /api/v1: FastAPI matches an included
    router level by level, and a level of its own for /api/v1 cost every request a walk."""
    for router in RESOURCE_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
