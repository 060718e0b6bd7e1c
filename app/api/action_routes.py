"""Workflow action routes (`POST /dossiers/{id}/receive`, `/rounds/{id}/open`, ...), made by
one helper: each is the same route — the action's gate, the object's id, an optional If-Match,
perhaps a body — around one service call, so it is written once here instead of once a verb.
"""

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import Allowed, OptionalIfMatch, SessionDep
from app.core.principal import Principal
from app.schemas.common import Id


@dataclass(frozen=True)
class ActionCall:
    """What an action route hands its handler: the request's parts, already validated."""

    session: AsyncSession
    principal: Principal
    id: int
    expected: int | None
    response: Response
    body: Any = None
    extras: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[ActionCall], Awaitable[Any]]


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _id_name(path: str) -> str:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if len(names) != 1:
        raise ValueError(f"An action route acts on one object: {path}")
    return names[0]


def add_action_route(
    router: APIRouter,
    path: str,
    handle: Handler,
    *,
    name: str,
    summary: str,
    action: str,
    doc: str,
    body: type[BaseModel] | None = None,
    body_required: bool = False,
    extras: Mapping[str, Any] | None = None,
    method: str = "POST",
    **route: Any,
) -> None:
    """Add `method path` as the route `name` (its operationId) bound to `action` of the
    permissions table, with `summary` as its short title. The endpoint takes the session, the
    gated caller, the path's id, any `extras` (name → Annotated dependency), an optional
    If-Match and the `body` (optional unless `body_required`), and answers what `handle`
    returns; `doc` is its description and `route` the rest of `add_api_route`'s arguments
    (response model, responses...)."""
    id_name, extras = _id_name(path), dict(extras or {})
    params = [
        _param("session", SessionDep),
        _param("principal", Allowed(action)),
        _param(id_name, Id),
        *(_param(key, annotation) for key, annotation in extras.items()),
        _param("expected", OptionalIfMatch),
        _param("response", Response),
    ]
    if body is not None:
        params.append(_param("body", body) if body_required else _param("body", body | None, None))

    async def endpoint(**values: Any) -> Any:
        return await handle(
            ActionCall(
                session=values["session"],
                principal=values["principal"],
                id=values[id_name],
                expected=values["expected"],
                response=values["response"],
                body=values.get("body"),
                extras={key: values[key] for key in extras},
            )
        )

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    router.add_api_route(path, endpoint, methods=[method], summary=summary, **route)
