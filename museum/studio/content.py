"""The studio's content services: create, save, delete, move through the workflow, and revert.

Rules of the workflow (draft -> review -> published, and back to draft):
- curators and admins send a draft to review; reviewers and admins publish it or send it back to draft;
- a save by anyone but an admin returns content in review or published to draft, so nothing reaches visitors
  without a reviewer; a change to anything visitors can see bumps the catalogue so caches drop it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.auth import CAN_EDIT, Principal
from museum.errors import Conflict, Forbidden, NotFound, Unprocessable
from museum.http_cache import bump_catalogue
from museum.models import Door, Exhibit, Gallery, Placement, Status, Tour, TourStop
from museum.models.base import utcnow
from museum.studio import audit, locking, placement, revisions
from museum.studio.documents import Kind

PUBLISHERS = frozenset({"admin", "reviewer"})

# (from, to) -> the roles that may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("draft", "review"): CAN_EDIT,
    ("review", "published"): PUBLISHERS,
    ("draft", "published"): frozenset({"admin"}),
    ("review", "draft"): frozenset({"admin", "reviewer", "curator"}),
    ("published", "draft"): PUBLISHERS,
}


def load(session: Session, kind: Kind, row_id: int) -> Any:
    """Return a piece of content by id, or raise 404."""
    row = session.get(kind.model, row_id, populate_existing=True)
    if row is None:
        raise NotFound(f"No {kind.target_type[:-1]} with id {row_id}.", code="not_found")
    return row


def _saved(session: Session, kind: Kind, row: Any, principal: Principal, action: str, message: str,
           was_visible: bool) -> dict[str, Any]:
    session.flush()
    snapshot = kind.snapshot(row)
    revisions.record(session, kind.target_type, row.id, row.version, snapshot, principal, message)
    audit.record(session, action, principal, target_type=kind.target_type, target_id=row.id,
                 detail={"slug": row.slug, "version": row.version, "status": row.status})
    if was_visible or row.status == Status.PUBLISHED.value:
        bump_catalogue(session)
    return kind.dump(row)


def create(session: Session, kind: Kind, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Create a draft from a document."""
    if "slug" not in data:
        raise Unprocessable("Give the new content a slug (its name in links), e.g. heart-model.", code="required",
                            pointer="/slug")
    row = kind.model(status=Status.DRAFT.value, version=1)
    kind.load(session, row, data)
    session.add(row)
    session.flush()
    if isinstance(row, Gallery):
        placement.check_saved(row)
    return _saved(session, kind, row, principal, "create", "created", False)


def save(session: Session, kind: Kind, row_id: int, data: dict[str, Any], principal: Principal,
         message: str = "saved") -> dict[str, Any]:
    """Save changes made to a version of a document, or raise 412 when that version is no longer current."""
    expected = locking.expected_version(data)
    before = load(session, kind, row_id)  # 404 before 412
    if before.version == expected:
        revisions.ensure_baseline(session, kind.target_type, row_id, before.version, kind.snapshot(before))
    locking.claim(session, kind.model, row_id, expected)
    row = load(session, kind, row_id)
    was_visible = row.status == Status.PUBLISHED.value
    kind.load(session, row, data)
    if principal.role != "admin" and row.status != Status.DRAFT.value:
        row.status, row.published_at = Status.DRAFT.value, None
    session.flush()
    if isinstance(row, Gallery):
        session.refresh(row)
        placement.check_saved(row)
    if row.status == Status.PUBLISHED.value:  # an admin's edit goes straight to visitors: check it as a publish
        _check_publishable(row)
    return _saved(session, kind, row, principal, "edit", message, was_visible)


def _still_used(session: Session, row: Any) -> str | None:
    if isinstance(row, Exhibit):
        gallery = session.scalar(select(Gallery.slug).join(Placement).where(Placement.exhibit_id == row.id))
        if gallery:
            return f"It is placed in the gallery {gallery!r}; remove it from there first."
    if isinstance(row, Gallery):
        tour = session.scalar(select(Tour.slug).join(TourStop).where(TourStop.gallery_id == row.id))
        if tour:
            return f"The tour {tour!r} stops in it; change the tour first."
        source = session.scalar(select(Gallery.slug).join(Door, Door.gallery_id == Gallery.id)
                                .where(Door.to_gallery_id == row.id))
        if source:
            return f"A door in the gallery {source!r} leads here; remove that door first."
    return None


def delete(session: Session, kind: Kind, row_id: int, data: dict[str, Any] | None, principal: Principal) -> None:
    """Delete a piece of content at a known version; only admins delete what is in review or published."""
    expected = locking.expected_version(data)
    row = load(session, kind, row_id)
    if row.status != Status.DRAFT.value and principal.role != "admin":
        raise Forbidden("Only drafts can be deleted by a curator; ask a reviewer to unpublish it first.",
                        code="not_a_draft")
    reason = _still_used(session, row)
    if reason:
        raise Conflict(reason, code="still_used")
    locking.claim(session, kind.model, row_id, expected)
    row = load(session, kind, row_id)
    was_visible = row.status == Status.PUBLISHED.value
    revisions.record(session, kind.target_type, row.id, row.version, kind.snapshot(row), principal, "deleted")
    audit.record(session, "delete", principal, target_type=kind.target_type, target_id=row.id,
                 detail={"slug": row.slug, "status": row.status})
    session.delete(row)
    if was_visible:
        bump_catalogue(session)


def _check_publishable(row: Any) -> None:
    if isinstance(row, Gallery):
        placement.check_publishable(row)
    if isinstance(row, Tour):
        for i, stop in enumerate(row.stops):
            if not stop.gallery.is_published:
                raise Unprocessable(f"Stop {i + 1} is in the gallery {stop.gallery.slug!r}, which is not "
                                    "published yet.", code="stop_unpublished", pointer=f"/stops/{i}/gallery_id")


def move(session: Session, kind: Kind, row_id: int, to: str, data: dict[str, Any], principal: Principal,
         note: str = "") -> dict[str, Any]:
    """Move content through the workflow (draft, review, published) if the principal's role allows the move."""
    row = load(session, kind, row_id)
    allowed = TRANSITIONS.get((row.status, to))
    if allowed is None:
        raise Conflict(f"Content that is {row.status} cannot move to {to}.", code="invalid_transition",
                       pointer="/status")
    if principal.role not in allowed:
        raise Forbidden(f"The role {principal.role!r} may not move content from {row.status} to {to}.")
    expected = data.get("version", row.version) if isinstance(data.get("version"), int) else row.version
    if row.version == expected:
        revisions.ensure_baseline(session, kind.target_type, row_id, row.version, kind.snapshot(row))
    locking.claim(session, kind.model, row_id, expected)
    row = load(session, kind, row_id)
    if to == Status.PUBLISHED.value:
        _check_publishable(row)
    was_visible = row.status == Status.PUBLISHED.value
    before = row.status
    row.status = to
    row.published_at = utcnow() if to == Status.PUBLISHED.value else None
    action = {"published": "publish", "review": "submit"}.get(to, "unpublish" if was_visible else "reject")
    words = f"{before} -> {to}" + (f": {note[:200]}" if note else "")
    return _saved(session, kind, row, principal, action, words, was_visible)


def revert(session: Session, kind: Kind, row_id: int, revision_id: int, data: dict[str, Any],
           principal: Principal) -> dict[str, Any]:
    """Restore a document's texts and parts as they were at a revision (a new save, so it can be undone too)."""
    revision = revisions.get(session, kind.target_type, row_id, revision_id)
    if revision is None:
        raise NotFound(f"No revision {revision_id} of this {kind.target_type[:-1]}.", code="revision_not_found")
    restored = {k: v for k, v in revision.snapshot.items() if k != "untranslated"}
    restored["version"] = locking.expected_version(data)
    return save(session, kind, row_id, restored, principal, f"reverted to version {revision.version}")
