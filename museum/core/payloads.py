"""Payloads declared once: a pydantic model is a request's validation, a response's shape and both's OpenAPI schema.

A feature declares each JSON object its routes read (a `Request`) or write (a `Reply`) as a model, reads a request
with `read(Model, code)`, answers with `Model(...).answer()`, and gives the OpenAPI document the models' schemas
with `schemas(...)`, so the three can no longer disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema

from museum.core import jsonbody
from museum.core.errors import Unprocessable

REF = "#/components/schemas/{model}"


class Request(BaseModel):
    """A JSON object a client sends: unknown fields are refused and nothing is coerced (a "5" is not 5, nor true 1).

    A refusal's code is `unknown_field` for a field the object does not have, the code `error_codes` gives for the
    (innermost) field in error (e.g. "password": "weak_password") or else for the kind of error (a pydantic error
    type, e.g. "missing": "required"), or else the code the route passes to `validate`.
    """

    model_config = ConfigDict(extra="forbid", strict=True)
    error_codes: ClassVar[dict[str, str]] = {}


class Reply(BaseModel):
    """A JSON object the API answers with. `answer()` is what a view returns for it."""

    # Every field is always written, so the document says each is required (a default only saves typing).
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    def answer(self) -> dict[str, Any]:
        """Return the reply as JSON-ready data."""
        return self.model_dump(mode="json")


R = TypeVar("R", bound=Request)


class Accepted(Reply):
    """What was sent is recorded."""

    accepted: int = Field(description="How many records were taken in")


def listing(items: list[Reply]) -> dict[str, Any]:
    """Return a whole list as one page of the API's list shape (`openapi.list_of`)."""
    return {"items": [item.answer() for item in items], "total": len(items), "page": 1,
            "per_page": max(1, len(items))}


def pointer(loc: tuple[int | str, ...]) -> str:
    """Return the JSON pointer of a pydantic error's location ("" for the whole value)."""
    # A dict key in error is located as (..., key, "[key]"): the pointer names the key.
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc if part != "[key]")


def message(error: Any, loc: tuple[int | str, ...] | None = None) -> str:
    """Return a client's reading of a pydantic error: the field's name and what it must be."""
    where = ".".join(str(part) for part in (error["loc"] if loc is None else loc) if part != "[key]") or "The body"
    if error["type"] == "extra_forbidden":
        return f"There is no field {where!r} here."
    if error["type"] == "missing":
        return f"{where} is required."
    return f"{where}: {error['msg']}."


def validate(model: type[R], data: Any, code: str) -> R:
    """Return `data` read as a model, or raise a 422 whose pointer names the first field in error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
    loc = first["loc"]
    if first["type"] == "extra_forbidden":
        code = "unknown_field"
    else:
        names = [part for part in loc if isinstance(part, str) and part != "[key]"]
        code = model.error_codes.get(names[-1] if names else "", model.error_codes.get(first["type"], code))
    raise Unprocessable(message(first), code=code, pointer=pointer(loc) or None)


def read(model: type[R], code: str) -> R:
    """Return the request's JSON object read as a model (4xx for a body that is not one, 422 for a bad field)."""
    return validate(model, jsonbody.body(), code)


def schemas(*models: type[BaseModel]) -> dict[str, Any]:
    """Return the OpenAPI components of models and of the models they use, by name.

    A `Reply` is described as it is written, any other model (a `Request`) as it is read.
    """
    modes: dict[bool, Literal["validation", "serialization"]] = {True: "serialization", False: "validation"}
    _, top = models_json_schema([(m, modes[issubclass(m, Reply)]) for m in models], ref_template=REF)
    return dict(top.get("$defs", {}))
