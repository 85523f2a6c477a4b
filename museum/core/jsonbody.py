"""Reading JSON from clients: the one reader, with limits on size, nesting and numbers, and errors that point.

Every JSON the museum takes from outside (request bodies, the kiosk's `props` field) goes through `parse`, so a
body nested 100,000 deep, a 400-digit number or a repeated key is a 400 naming the problem, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request

from assets.strictjson import nesting_depth, unique_pairs
from museum.core.errors import BadRequest, PayloadTooLarge, UnsupportedMedia

MAX_JSON_BYTES = 1024 * 1024
MAX_DEPTH = 32
# I-JSON (RFC 7493): integers beyond 2^53 do not survive a JavaScript client, and none of ours need them.
MAX_INT = 2**53 - 1
_MAX_INT_DIGITS = len(str(MAX_INT))


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _int(text: str) -> int:
    # Checked on the digits first: converting a 100,000-digit integer is itself slow.
    if len(text.lstrip("-")) > _MAX_INT_DIGITS or abs(int(text)) > MAX_INT:
        shown = text if len(text) <= 24 else f"{text[:20]}… ({len(text)} digits)"
        raise _Refused("json_number_out_of_range", f"The integer {shown} is outside ±2^53.")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused("json_number_out_of_range", f"The number {text[:24]} is too large for a double.")
    return value


def _constant(text: str) -> Any:
    raise _Refused("invalid_json", f"{text} is not JSON (only finite numbers are).")


_UNIQUE_PAIRS = unique_pairs(
    lambda key: _Refused("json_duplicate_key", f"The key {key!r} appears twice in one object."))


def parse(raw: str | bytes, pointer: str = "", max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse JSON text from a client within the limits, or raise a 400/413 naming the problem and where it is."""
    where = pointer or "/"
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"The JSON is larger than {max_bytes} bytes.", code="json_too_large", pointer=where)
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant,
                           object_pairs_hook=_UNIQUE_PAIRS)
    except _Refused as exc:
        raise BadRequest(str(exc), code=exc.code, pointer=where) from None
    except RecursionError:
        raise BadRequest(f"The JSON nests deeper than {MAX_DEPTH} levels.", code="json_too_deep",
                         pointer=where) from None
    except (ValueError, UnicodeDecodeError) as exc:
        # ValueError covers JSONDecodeError and integers past Python's digit limit.
        raise BadRequest(f"The JSON is not valid: {exc}", code="invalid_json", pointer=where) from None
    if nesting_depth(value) > MAX_DEPTH:
        raise BadRequest(f"The JSON nests deeper than {MAX_DEPTH} levels.", code="json_too_deep", pointer=where)
    return value


def _read_limited() -> bytes:
    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        raise PayloadTooLarge(f"A JSON body is at most {MAX_JSON_BYTES} bytes.", code="json_too_large")
    data = request.stream.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise PayloadTooLarge(f"A JSON body is at most {MAX_JSON_BYTES} bytes.", code="json_too_large")
    return data


def value() -> Any:
    """Return the request's JSON value of any type, or raise a 4xx saying what is wrong with it."""
    if not request.is_json:
        raise UnsupportedMedia("Send a JSON object (Content-Type: application/json).", code="json_required")
    return parse(_read_limited())


def body() -> dict[str, Any]:
    """Return the request's JSON object, or raise a 4xx saying what is wrong with it."""
    data = value()
    if not isinstance(data, dict):
        raise BadRequest("The body is not a JSON object.", code="invalid_json")
    return data


def optional_body() -> dict[str, Any] | None:
    """Return the request's JSON object when it sent one (None for no body), checked like `body`."""
    if not request.is_json or request.content_length == 0:
        return None
    data = _read_limited()
    return body_of(data) if data.strip() else None


def body_of(raw: bytes) -> dict[str, Any]:
    """Return raw JSON bytes as an object, or raise the 400 that `body` would."""
    data = parse(raw)
    if not isinstance(data, dict):
        raise BadRequest("The body is not a JSON object.", code="invalid_json")
    return data
