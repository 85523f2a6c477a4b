"""Bounds on integers from clients: row ids in URLs and bodies, versions, page numbers.

Row ids are INTEGER columns, 32-bit on PostgreSQL: a larger id names nothing and must never reach the database,
where it overflows the query's parameter (a 500). Page numbers share the bound, which keeps every OFFSET in 64 bits.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, ValidationError

MAX_INT = 2**31 - 1


def digits_up_to(top: int) -> str:
    """Return a regular expression of the decimal numbers 0..top (no sign; leading zeros only within its length)."""
    text = str(top)
    # Any number with fewer digits, then those of the same length below top digit by digit, then top itself.
    branches = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        low = 1 if i == 0 and len(text) > 1 else 0
        if int(digit) > low:
            rest = len(text) - i - 1
            branches.append(f"{text[:i]}[{low}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    branches.append(text)
    return "(?:" + "|".join(branches) + ")"


class IdConverter(IntegerConverter):
    """The `<int:...>` URL converter: ASCII digits naming a row id up to MAX_INT; anything larger matches no route."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, MAX_INT if max is None else max, signed)
        if not signed and not fixed_digits and self.max is not None:
            # A larger number must not match the route at all: werkzeug checks a rule's methods before its
            # converters, so a number refused only by to_python left other rules of the path answering 405 with
            # their methods in Allow, instead of 404.
            self.regex = digits_up_to(self.max)

    def to_python(self, value: str) -> int:
        """Return the id, refusing numbers too long to be one before converting them."""
        if len(value) > len(str(MAX_INT)) + 1:
            raise ValidationError()
        return super().to_python(value)
