"""Events arranged directly in the feed, with data of the shape their type declares."""

import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from app.core.event_types import EventType
from app.schemas.events import EVENT_DATA


def _sample(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _sample(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if origin is list:
        return []
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return next(iter(annotation)).value
        if issubclass(annotation, BaseModel):
            return _model_sample(annotation)
        if issubclass(annotation, bool):
            return False
        if issubclass(annotation, int):
            return 1
        if issubclass(annotation, datetime):
            return "2026-12-07T08:00:00+00:00"
        if issubclass(annotation, date):
            return "2026-12-07"
    return "x"


def _model_sample(model: type[BaseModel]) -> dict[str, Any]:
    return {name: _sample(field.annotation) for name, field in model.model_fields.items()}


def event_data(type_: str, **overrides: Any) -> dict[str, Any]:
    """Data of `type_`'s declared shape, with placeholder values, and `overrides` on top."""
    return {**_model_sample(EVENT_DATA[EventType(type_)]), **overrides}
