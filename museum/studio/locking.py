"""Optimistic locking: a save names the version it was based on, and loses to any save that came first.

The version moves with a conditional UPDATE (`WHERE version = :expected`), which PostgreSQL re-checks after a
concurrent writer commits and SQLite serialises with its write lock, so two saves from one version never both win.
"""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import update
from sqlalchemy.orm import Session

from museum.errors import ApiError, PreconditionFailed


def expected_version(data: dict[str, Any] | None) -> int:
    """Return the version a change was based on: the body's `version`, else the If-Match header."""
    value = (data or {}).get("version")
    if value is None:
        header = request.headers.get("If-Match", "").strip()
        if header.startswith("W/"):
            header = header[2:]
        header = header.strip('"')
        value = int(header) if header.isdigit() else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ApiError("Say which version you changed: send `version` in the body or an If-Match header.",
                       code="version_required", pointer="/version", status=428)
    return value


def claim(session: Session, model: Any, row_id: int, expected: int) -> int:
    """Move a row from the expected version to the next, or raise 412 when someone saved in between."""
    result = session.execute(
        update(model).where(model.id == row_id, model.version == expected)
        .values(version=expected + 1).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise PreconditionFailed(
            f"Someone else saved this since you opened it (you had version {expected}). Reload to see their "
            "changes, then make yours again; nothing of theirs or yours was overwritten.",
            code="version_conflict", pointer="/version")
    return expected + 1
