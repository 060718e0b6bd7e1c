"""Every route is the one a request for its own path reaches: no route takes another's path
(a literal `/dossiers/export` behind a `/dossiers/{dossier_id}` of an earlier router would
answer 422 for ever). The routers are ordered by how often they are asked, so this is what
keeps any order safe."""

import re

from app.main import create_app


def _ordered_routes(app):
    for route in app.router.routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        elif getattr(route, "methods", None):
            yield route


def test_each_route_is_reached_by_its_own_path():
    app = create_app(configure_logs=False)
    routes = [r for r in _ordered_routes(app) if r.path.startswith("/api/")]
    assert len(routes) > 100
    taken = []
    for route in routes:
        concrete = re.sub(r"\{[^}]+\}", "1", route.path)
        for method in route.methods:
            first = next(r for r in routes if method in r.methods and r.path_regex.match(concrete))
            if first.path != route.path:
                taken.append(f"{method} {route.path} is taken by {first.path}")
    assert taken == []
