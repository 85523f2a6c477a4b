"""Reading JSON request bodies with errors that point at the field at fault."""

from __future__ import annotations

from typing import Any

from flask import request

from museum.errors import BadRequest, UnsupportedMedia


def body() -> dict[str, Any]:
    """Return the request's JSON object, or raise a 4xx saying what is wrong with it."""
    if not request.is_json:
        raise UnsupportedMedia("Send a JSON object (Content-Type: application/json).", code="json_required")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The body is not a JSON object.", code="invalid_json")
    return data


def text_field(data: dict[str, Any], name: str, max_len: int = 200) -> str:
    """Return a required string field."""
    value = data.get(name)
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise BadRequest(f"{name} is a string of 1-{max_len} characters.", code="invalid_field", pointer=f"/{name}")
    return value
