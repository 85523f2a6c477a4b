"""Payloads declared once: a pydantic model is a request's validation, a response's shape and both's OpenAPI schema.

A feature declares each JSON object its routes read (a `Request`) or write (a `Reply`) as a model, reads a request
with `read(Model, code)`, answers with `Model(...).answer()`, and gives the OpenAPI document the models' schemas
with `schemas(...)`, so the three can no longer disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema

from museum.core import jsonbody
from museum.core.bounds import MAX_INT
from museum.core.errors import BadRequest, Unprocessable

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
    # A check of ours raises ValueError("what it must be"); pydantic prefixes it with "Value error, ".
    return f"{where}: {error['msg'].removeprefix('Value error, ')}."


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


# --- query parameters -----------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[+-]?[0-9]{1,12}")


def _whole_number(value: Any) -> Any:
    """Read a query's whole number: ASCII digits only (int() would take "1_000", " 7 " and other scripts' digits)."""
    if isinstance(value, str):
        if not _DIGITS.fullmatch(value):
            raise ValueError("expected a whole number")
        return int(value)
    return value


WholeNumber = BeforeValidator(_whole_number)  # after a whole number's bounds: Annotated[int, Field(...), WholeNumber]
PageNumber = Annotated[int, Field(ge=1, le=MAX_INT, description="Which page (from 1)"), WholeNumber]
PerPage = Annotated[int, Field(ge=1, le=100, description="How many items a page holds"), WholeNumber]


class Query(BaseModel):
    """A route's query parameters declared once: each field is a parameter, read from its text (`read_query`) and
    documented (`query_parameters`). An unknown parameter is ignored (a cache-buster, a campaign tag); a bad one is
    a 400 naming it. (`lang` is negotiated with Accept-Language, so it is read apart: catalogue.params.lang.)"""

    model_config = ConfigDict(extra="ignore", frozen=True, validate_by_alias=True, validate_by_name=True)


class Paged(Query):
    """A page of a list."""

    page: PageNumber = 1
    per_page: PerPage = 20

    @property
    def offset(self) -> int:
        """Return the number of items before this page."""
        return (self.page - 1) * self.per_page


Q = TypeVar("Q", bound=Query)


def _names(model: type[Query]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def read_query(model: type[Q], args: Mapping[str, str]) -> Q:
    """Return a request's query parameters read as a model, or raise a 400 whose pointer names the first bad one."""
    try:
        return model.model_validate({name: args[name] for name in _names(model) if name in args})
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    raise BadRequest(message(first), code="invalid_parameter", pointer=f"/query/{name}")


def query_parameters(model: type[Query]) -> list[dict[str, Any]]:
    """Return a query model's fields as the OpenAPI parameters of a route."""
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if "description" in prop:
            param["description"] = prop.pop("description")
        param["schema"] = prop
        out.append(param)
    return out
