"""Checks of the values curators send, each raising a 422 that points at the field at fault."""

from __future__ import annotations

import math
import re
from typing import Any

from museum.core.errors import Unprocessable
from museum.core.i18n import LANGS

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
MAX_COORD_M = 500.0


def fail(pointer: str, message: str, code: str = "invalid_field") -> Unprocessable:
    """Return the 422 for one field."""
    return Unprocessable(message, code=code, pointer=pointer)


def slug(value: Any, pointer: str) -> str:
    """Return a slug: lower-case letters, digits and hyphens."""
    if not isinstance(value, str) or not SLUG.fullmatch(value):  # fullmatch: no newline after
        raise fail(pointer, "A slug is 1-120 lower-case letters, digits or hyphens, e.g. heart-model.")
    return value


def text(value: Any, pointer: str, max_len: int = 20000) -> dict[str, str]:
    """Return a text in the museum's languages: {"zh-Hans": ..., "zh-Hant": ..., "en": ...}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(pointer, f"A text is an object with the languages {', '.join(LANGS)}.")
    out: dict[str, str] = {}
    for lang, item in value.items():
        if lang not in LANGS:
            raise fail(f"{pointer}/{lang}", f"Unknown language {lang!r}; use {', '.join(LANGS)}.")
        if item is None:
            continue
        if not isinstance(item, str) or len(item) > max_len:
            raise fail(f"{pointer}/{lang}", f"A text is a string of at most {max_len} characters.")
        if item.strip():
            out[lang] = item
    return out


def string(value: Any, pointer: str, max_len: int = 300) -> str:
    """Return a plain string of bounded length."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_len:
        raise fail(pointer, f"Expected a string of at most {max_len} characters.")
    return value


def number(value: Any, pointer: str, low: float, high: float) -> float:
    """Return a finite number within bounds."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(pointer, "Expected a number.")
    if not low <= value <= high:
        raise fail(pointer, f"Expected a number between {low:g} and {high:g}.", "out_of_range")
    return float(value)


def optional_number(value: Any, pointer: str, low: float, high: float) -> float | None:
    """Return a number within bounds, or None."""
    return None if value is None else number(value, pointer, low, high)


def integer(value: Any, pointer: str, low: int, high: int) -> int:
    """Return an integer within bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(pointer, "Expected a whole number.")
    if not low <= value <= high:
        raise fail(pointer, f"Expected a whole number between {low} and {high}.", "out_of_range")
    return value


def optional_integer(value: Any, pointer: str, low: int, high: int) -> int | None:
    """Return an integer within bounds, or None."""
    return None if value is None else integer(value, pointer, low, high)


def boolean(value: Any, pointer: str) -> bool:
    """Return a boolean."""
    if not isinstance(value, bool):
        raise fail(pointer, "Expected true or false.")
    return value


def vector(value: Any, pointer: str, size: int = 3, limit: float = MAX_COORD_M) -> list[float]:
    """Return a list of `size` finite numbers, each within +-limit."""
    if not isinstance(value, list) or len(value) != size:
        raise fail(pointer, f"Expected a list of {size} numbers.")
    return [number(v, f"{pointer}/{i}", -limit, limit) for i, v in enumerate(value)]


def choice(value: Any, pointer: str, choices: tuple[str, ...]) -> str:
    """Return one of a few strings."""
    if value not in choices:
        raise fail(pointer, f"Expected one of {', '.join(choices)}.")
    return str(value)


def items(value: Any, pointer: str, max_items: int = 500) -> list[Any]:
    """Return a list of at most max_items elements."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > max_items:
        raise fail(pointer, f"Expected a list of at most {max_items} items.")
    return value


def mapping(value: Any, pointer: str) -> dict[str, Any]:
    """Return a JSON object."""
    if not isinstance(value, dict):
        raise fail(pointer, "Expected an object.")
    return value
