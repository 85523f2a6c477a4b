"""Revisions: a snapshot of a document at every save, the differences between them, and what a revert restores."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.identity.principal import Principal
from museum.models import Revision, User
from museum.studio import payloads

MAX_CHANGES = 200


def record(session: Session, target_type: str, target_id: int, version: int, snapshot: dict[str, Any],
           principal: Principal | None, message: str) -> Revision:
    """Add the revision of a document at a version to the caller's transaction."""
    revision = Revision(target_type=target_type, target_id=target_id, version=version, snapshot=snapshot,
                        author_id=principal.user_id if principal else None, message=message[:300])
    session.add(revision)
    return revision


def ensure_baseline(session: Session, target_type: str, target_id: int, version: int,
                    snapshot: dict[str, Any]) -> None:
    """Keep the state of content made outside the studio (seeded, imported) before its first studio save."""
    exists = session.scalar(select(Revision.id).where(Revision.target_type == target_type,
                                                      Revision.target_id == target_id).limit(1))
    if exists is None:
        record(session, target_type, target_id, version, snapshot, None, "as it was before the first studio edit")


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """List the changes from one JSON value to another as {path, before, after} (JSON Pointer paths)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in list(before) + [k for k in after if k not in before]:
            changes += diff(before.get(key), after.get(key), f"{path}/{key}")
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        changes = []
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            changes += diff(old, new, f"{path}/{i}")
        return changes
    return [] if before == after else [{"path": path or "/", "before": before, "after": after}]


def history(session: Session, target_type: str, target_id: int) -> list[payloads.Revision]:
    """Return the revisions of a document, newest first, each with its differences from the one before."""
    rows = session.execute(
        select(Revision, User.name).outerjoin(User, Revision.author_id == User.id)
        .where(Revision.target_type == target_type, Revision.target_id == target_id).order_by(Revision.id)
    ).all()
    out: list[payloads.Revision] = []
    previous: dict[str, Any] = {}
    for revision, author in rows:
        changes = diff(previous, revision.snapshot)
        out.append(payloads.Revision(
            id=revision.id, version=revision.version, at=revision.at.isoformat(), author=author,
            message=revision.message, changes=[payloads.FieldChange(**c) for c in changes[:MAX_CHANGES]],
            more_changes=max(0, len(changes) - MAX_CHANGES)))
        previous = revision.snapshot
    return out[::-1]


def get(session: Session, target_type: str, target_id: int, revision_id: int) -> Revision | None:
    """Return one revision of a document."""
    revision = session.get(Revision, revision_id)
    if revision is None or revision.target_type != target_type or revision.target_id != target_id:
        return None
    return revision
