"""Parse glTF JSON strictly: no NaN or Infinity, no duplicate keys, bounded size and depth."""

from __future__ import annotations

import json
from typing import Any

from assets.errors import AssetRejected


def _no_constant(name: str) -> Any:
    raise AssetRejected("JSON_NON_FINITE", f"JSON holds {name}, which glTF does not allow")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise AssetRejected("JSON_DUPLICATE_KEY", f"JSON object repeats the key {key!r}")
        out[key] = value
    return out


def _depth(value: Any) -> int:
    # Iterative so a hostile document cannot exhaust the Python stack here.
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


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
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise AssetRejected("JSON_TOO_DEEP", f"glTF JSON nests deeper than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise AssetRejected("JSON_SYNTAX", f"glTF JSON is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if _depth(doc) > max_depth:
        raise AssetRejected("JSON_TOO_DEEP", f"glTF JSON nests deeper than {max_depth} levels")
    if not isinstance(doc, dict):
        raise AssetRejected("JSON_NOT_OBJECT", "glTF JSON must be an object", "")
    return doc
