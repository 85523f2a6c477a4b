"""Parse glTF JSON strictly: no NaN or Infinity, no duplicate keys, bounded size and depth."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from assets.errors import AssetRejected


def _no_constant(name: str) -> Any:
    raise AssetRejected("JSON_NON_FINITE", f"JSON holds {name}, which glTF does not allow")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity, which glTF (and its validator) cannot take
        raise AssetRejected("JSON_NON_FINITE", f"JSON holds the number {text[:40]}, too large for a float")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 309:  # larger than any float: no glTF reader could hold it
        raise AssetRejected("JSON_NON_FINITE", f"JSON holds an integer of {len(text)} digits, too large for a float")
    return int(text)


# A UTF-16 surrogate on its own (written as a \ud800 escape) is valid JSON but no Unicode text: it cannot be
# written back as UTF-8, so a model holding one would fail later, in the job, instead of now.
# Only a document whose text holds such an escape is walked for one (the depth check is the one walk of the rest).
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def unique_pairs(refuse: Callable[[str], Exception]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """An `object_pairs_hook` that raises `refuse(key)` for a key repeated in one object.

    Parsers disagree on which of two equal keys wins, so a repeated key could smuggle a value past a check.
    """

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise refuse(key)
            out[key] = value
        return out

    return hook


_no_duplicates = unique_pairs(lambda key: AssetRejected("JSON_DUPLICATE_KEY", f"JSON object repeats the key {key!r}"))


def nesting_depth(value: Any) -> int:
    """How deeply a parsed JSON value nests; iterative, so a hostile document cannot exhaust the stack here."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _lone_surrogate(value: Any) -> str | None:
    """The first string (key or value) holding a lone UTF-16 surrogate, if any."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                return item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def loads_strict(data: bytes, max_bytes: int, max_depth: int) -> dict[str, Any]:
    """Parse a glTF JSON document or raise AssetRejected naming what is wrong."""
    if len(data) > max_bytes:
        raise AssetRejected("JSON_TOO_LARGE", f"glTF JSON is {len(data)} bytes; the limit is {max_bytes}", status=413)
    if data.startswith(b"\xef\xbb\xbf"):
        raise AssetRejected("JSON_BOM", "glTF JSON must not start with a byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AssetRejected("JSON_NOT_UTF8", f"glTF JSON is not UTF-8 ({exc.reason})") from None
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant,
                         parse_float=_finite_float, parse_int=_bounded_int)
    except RecursionError:
        raise AssetRejected("JSON_TOO_DEEP", f"glTF JSON nests deeper than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise AssetRejected("JSON_SYNTAX", f"glTF JSON is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if nesting_depth(doc) > max_depth:
        raise AssetRejected("JSON_TOO_DEEP", f"glTF JSON nests deeper than {max_depth} levels")
    if not isinstance(doc, dict):
        raise AssetRejected("JSON_NOT_OBJECT", "glTF JSON must be an object", "")
    if _SURROGATE_ESCAPE.search(text) and _lone_surrogate(doc) is not None:
        raise AssetRejected("JSON_NOT_UNICODE", "glTF JSON holds a \\u escape of half a UTF-16 pair (a lone "
                            "surrogate), which is not text")
    return doc
