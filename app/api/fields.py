"""Sparse fieldsets on lists: `GET /dossiers?fields=id,status,title` answers each item with
only those members (and `id`, always), so a mobile client listing dossiers does not download
every nomination.

A list route takes `fields: Fields(ItemModel)` and answers `fields.apply(page)`. Without the
parameter the page is answered as before; with it, every item is serialised by its own model
and cut to the fields asked, and the page says which fields it carries (`fields`). An unknown
or empty name, or more names than the list has, is a 422 `invalid_fields` naming the allowed
ones. The OpenAPI document declares each list's allowed names as an enum and the cut answer as
its own schema (`app.api.openapi`).
"""

from dataclasses import dataclass, is_dataclass
from dataclasses import fields as dataclass_fields
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.core.errors import Unprocessable

ALWAYS = "id"


class FieldSelector:
    """The `fields` query parameter of one list, whose items are `model`."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        # The names a client sees (serialisation aliases) → the model's attribute names.
        self.attributes: dict[str, str] = {
            field.serialization_alias or name: name for name, field in model.model_fields.items()
        }
        self.attributes.update({name: name for name in model.model_computed_fields})
        if ALWAYS not in self.attributes:
            raise ValueError(f"{model.__name__} has no `{ALWAYS}` to keep.")

    @property
    def names(self) -> list[str]:
        return list(self.attributes)

    async def __call__(
        self,
        fields: Annotated[
            list[str] | None,
            Query(
                description="Trả về mỗi mục chỉ với các trường này (cách nhau bởi dấu phẩy); "
                "`id` luôn có. Sparse fieldset: `fields=id,status,title`."
            ),
        ] = None,
    ) -> "Selection":
        if fields is None:
            return Selection(self, None)
        asked = [name.strip() for value in fields for name in value.split(",")]
        unknown = sorted({name for name in asked if name and name not in self.attributes})
        if unknown:
            problem = (
                f"Không có trường {', '.join(repr(name) for name in unknown)} trong danh sách này."
            )
        elif not all(asked):
            problem = "Có tên trường để trống (hai dấu phẩy liền nhau hoặc `fields=` rỗng)."
        elif len(asked) > len(self.attributes):
            problem = f"Chỉ được nêu tối đa {len(self.attributes)} tên trường."
        else:
            problem = None
        if problem:
            raise Unprocessable(
                f"{problem} Các trường được chọn: {', '.join(self.names)}.",
                code="invalid_fields",
                allowed=self.names,
            )
        keep = [ALWAYS, *(name for name in asked if name != ALWAYS)]
        return Selection(self, tuple(dict.fromkeys(keep)))


@dataclass(frozen=True)
class Selection:
    selector: FieldSelector
    keep: tuple[str, ...] | None

    def wants(self, name: str) -> bool:
        """Whether the answer carries the member `name` (every member without `fields`)."""
        return self.keep is None or name in self.keep

    def apply(self, page: Any) -> Any:
        """The page as it is, or, with `fields`, its items cut to those fields."""
        if self.keep is None:
            return page
        members = _members(page)
        model, include = self.selector.model, {self.selector.attributes[n] for n in self.keep}
        items = [
            (item if isinstance(item, model) else model.model_validate(item)).model_dump(
                mode="json", by_alias=True, include=include
            )
            for item in members.pop("items")
        ]
        body = {"items": items, **jsonable_encoder(members), "fields": list(self.keep)}
        return JSONResponse(body)


def _members(page: Any) -> dict[str, Any]:
    """The members of a page: a dict, a Pydantic model or a dataclass (the event feed)."""
    if is_dataclass(page):
        return {field.name: getattr(page, field.name) for field in dataclass_fields(page)}
    return dict(page)


def Fields(model: type[BaseModel]) -> Any:
    """A list route's `fields` parameter for items of `model`: `fields: Fields(TaskRead)`."""
    return Annotated[Selection, Depends(FieldSelector(model))]
