"""Optimistic locking: a save names the version it was based on, and loses to any save that came first.

The version moves with a conditional UPDATE (`WHERE version = :expected`), which PostgreSQL re-checks after a
concurrent writer commits and SQLite serialises with its write lock, so two saves from one version never both win.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from museum.core.bounds import MAX_INT
from museum.core.errors import ApiError, PreconditionFailed


def expected_version(data: dict[str, Any] | None, if_match: str | None = None) -> int:
    """Return the version a change was based on: the body's `version`, else the If-Match header's value."""
    value = (data or {}).get("version")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one kind of number: 3.0 is the version 3
    if value is None:
        header = (if_match or "").strip()
        if header.startswith("W/"):
            header = header[2:]
        header = header.strip('"')
        value = int(header) if header.isascii() and header.isdigit() and len(header) <= 10 else None
    # A version past the column's range can match no row; refusing it keeps it from overflowing the query.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INT:
        raise ApiError("Say which version you changed: send `version` in the body or an If-Match header.",
                       code="version_required", pointer="/version", status=428)
    return value


def claim(session: Session, model: Any, row_id: int, expected: int) -> int:
    """Move a row from the expected version to the next, or raise 412 when someone saved in between."""
    # No row reaches the column's last version (its next would overflow the update), so that one is always stale.
    result = None if expected >= MAX_INT else session.execute(
        update(model).where(model.id == row_id, model.version == expected)
        .values(version=expected + 1).execution_options(synchronize_session=False)
    )
    if result is None or result.rowcount != 1:  # type: ignore[attr-defined]
        raise PreconditionFailed(
            f"Someone else saved this since you opened it (you had version {expected}). Reload to see their "
            "changes, then make yours again; nothing of theirs or yours was overwritten.",
            code="version_conflict", pointer="/version")
    return expected + 1
