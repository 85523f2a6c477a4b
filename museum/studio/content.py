"""The studio's content services: create, save, delete, move through the workflow, and revert.

Rules of the workflow (draft -> review -> published, and back to draft):
- curators and admins send a draft to review; reviewers and admins publish it or send it back to draft;
- a save by anyone but an admin returns content in review to draft, so nothing reaches visitors without a reviewer;
- a save to published content by anyone but an admin is kept aside as pending changes (draft, then review) while
  visitors keep the published version, and publishing writes the changes into the content; links never break;
- a change to anything visitors can see bumps the catalogue so caches drop it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.bounds import MAX_INT
from museum.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from museum.core.http_cache import bump_catalogue, subjects_of
from museum.identity import audit
from museum.identity.principal import CAN_EDIT, Principal
from museum.models import Door, Exhibit, Gallery, Placement, Status, Tour, TourStop
from museum.models.base import utcnow
from museum.studio import locking, placement, revisions
from museum.studio.document_payloads import Document, LayoutDraft
from museum.studio.documents import KINDS, READ_ONLY, Kind, load_layout

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


# The subject kind a change to each studio kind is recorded under (see museum.core.http_cache.bump_catalogue).
SUBJECT_KIND = {"exhibits": "exhibit", "galleries": "gallery", "eras": "era", "events": "event", "tours": "tour",
                "photo-templates": "template"}


def working_status(row: Any) -> str:
    """Return the workflow state curators work in: that of the pending changes, else the content's own."""
    return str(row.pending_status or row.status)


def document(kind: Kind, row: Any) -> dict[str, Any]:
    """Return the studio's document of a row: its pending changes if any, and `live` when visitors see it."""
    doc = kind.dump(row)
    if row.pending is not None:
        doc.update(row.pending)
        doc["status"] = working_status(row)
    doc["live"] = row.status == Status.PUBLISHED.value
    return doc


def _editable(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in READ_ONLY}


def _part_ids(doc: dict[str, Any]) -> set[tuple[str, Any]]:
    return {(key, item.get("id")) for key, value in doc.items() if isinstance(value, list)
            for item in value if isinstance(item, dict) and "id" in item}


def _stage(session: Session, kind: Kind, row: Any, changes: Document) -> dict[str, Any]:
    """Check changes to published content as a save would, and return them as a document without keeping them.

    The changes are written into the row inside a savepoint (so every check of a real save runs), dumped, and
    rolled back; parts the changes added lose the ids the rolled-back rows had, so publishing creates them anew.
    """
    known = _part_ids(kind.dump(row))
    savepoint = session.begin_nested()
    try:
        if row.pending is not None:
            kind.load(session, row, _editable(row.pending))
        kind.load(session, row, changes)
        session.flush()
        if isinstance(row, Gallery):
            session.refresh(row)
            placement.check_saved(row)
        staged = {k: v for k, v in kind.dump(row).items()
                  if k not in ("id", "kind", "status", "version", "created_at", "updated_at", "published_at")}
    finally:
        savepoint.rollback()
    for key, value in staged.items():
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict) and "id" in item and (key, item["id"]) not in known:
                item["id"] = None
    return staged


def _apply_pending(session: Session, kind: Kind, row: Any) -> None:
    """Write pending changes into the content itself (on publication, or an admin's save)."""
    if row.pending is not None:
        kind.load(session, row, _editable(row.pending))
        row.pending, row.pending_status = None, None


def _saved(session: Session, kind: Kind, row: Any, principal: Principal, action: str, message: str,
           visitors_see_change: bool, old_slug: str | None = None) -> dict[str, Any]:
    session.flush()
    doc = document(kind, row)
    revisions.record(session, kind.target_type, row.id, row.version, _editable(doc), principal, message)
    audit.record(session, action, principal, target_type=kind.target_type, target_id=row.id,
                 detail={"slug": row.slug, "version": row.version, "status": doc["status"]})
    if visitors_see_change:
        bump_catalogue(session, subjects_of(SUBJECT_KIND[kind.name], row.slug, old_slug))
    return doc


def check_layout(session: Session, row_id: int, draft: LayoutDraft) -> list[dict[str, Any]]:
    """Return the problems a gallery's layout would have with these placements, doors, spawns and sounds; save
    nothing.

    The placement editor asks while a curator drags, so a fault shows on the object before Save is pressed. A
    value a save would refuse raises the 422 a save would.
    """
    row = load(session, KINDS["galleries"], row_id)
    if not isinstance(row, Gallery):
        raise NotFound("Only galleries have a layout to check.", code="not_found")
    try:
        load_layout(session, row, draft)
        session.flush()
        session.refresh(row)
        return [{**problem, "blocks_save": problem["code"] in placement.SAVE_BLOCKING}
                for problem in placement.geometric_problems(row)]
    finally:
        session.rollback()


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
         message: str = "saved", if_match: str | None = None) -> dict[str, Any]:
    """Save changes made to a version of a document, or raise 412 when that version is no longer current."""
    expected = locking.expected_version(data, if_match)
    changes = kind.read(data)  # a change its document refuses is refused whatever version it names
    before = load(session, kind, row_id)  # 404 before 412
    if before.version == expected:
        revisions.ensure_baseline(session, kind.target_type, row_id, before.version, kind.snapshot(before))
    locking.claim(session, kind.model, row_id, expected)
    row = load(session, kind, row_id)
    was_visible = row.status == Status.PUBLISHED.value
    old_slug = row.slug
    if was_visible and principal.role != "admin":
        staged = _stage(session, kind, row, changes)
        row = load(session, kind, row_id)
        row.pending, row.pending_status = staged, Status.DRAFT.value
        return _saved(session, kind, row, principal, "edit", message, False)
    _apply_pending(session, kind, row)
    kind.load(session, row, changes)
    if principal.role != "admin" and row.status != Status.DRAFT.value:
        row.status, row.published_at = Status.DRAFT.value, None
    session.flush()
    if isinstance(row, Gallery):
        session.refresh(row)
        placement.check_saved(row)
    if row.status == Status.PUBLISHED.value:  # an admin's edit goes straight to visitors: check it as a publish
        _check_publishable(row)
    return _saved(session, kind, row, principal, "edit", message, was_visible, old_slug)


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


def delete(session: Session, kind: Kind, row_id: int, data: dict[str, Any] | None, principal: Principal,
           if_match: str | None = None) -> None:
    """Delete a piece of content at a known version; only admins delete what is in review or published."""
    expected = locking.expected_version(data, if_match)
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
    slug = row.slug
    session.delete(row)
    if was_visible:
        bump_catalogue(session, subjects_of(SUBJECT_KIND[kind.name], slug))


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
    current = working_status(row)
    allowed = TRANSITIONS.get((current, to))
    if allowed is None:
        raise Conflict(f"Content that is {current} cannot move to {to}.", code="invalid_transition",
                       pointer="/status")
    if principal.role not in allowed:
        raise Forbidden(f"The role {principal.role!r} may not move content from {current} to {to}.")
    expected = data.get("version", row.version) if isinstance(data.get("version"), int) else row.version
    if not 0 <= expected <= MAX_INT:
        expected = 0  # no row has it (versions start at 1): a 412 without overflowing the query's parameter
    if row.version == expected:
        revisions.ensure_baseline(session, kind.target_type, row_id, row.version, kind.snapshot(row))
    locking.claim(session, kind.model, row_id, expected)
    row = load(session, kind, row_id)
    action = {"published": "publish", "review": "submit"}.get(to, "reject")
    words = f"{current} -> {to}" + (f": {note[:200]}" if note else "")
    if row.pending is not None and to != Status.PUBLISHED.value:  # the published version stays as it is
        row.pending_status = to
        return _saved(session, kind, row, principal, action, words, False)
    old_slug = row.slug
    if to == Status.PUBLISHED.value:
        _apply_pending(session, kind, row)
        session.flush()
        if isinstance(row, Gallery):
            session.refresh(row)
        _check_publishable(row)
    was_visible = row.status == Status.PUBLISHED.value
    row.status = to
    row.published_at = utcnow() if to == Status.PUBLISHED.value else None
    if was_visible and to == Status.DRAFT.value:
        action = "unpublish"
    return _saved(session, kind, row, principal, action, words, was_visible or to == Status.PUBLISHED.value,
                  old_slug)


def revert(session: Session, kind: Kind, row_id: int, revision_id: int, data: dict[str, Any],
           principal: Principal, if_match: str | None = None) -> dict[str, Any]:
    """Restore a document's texts and parts as they were at a revision (a new save, so it can be undone too)."""
    revision = revisions.get(session, kind.target_type, row_id, revision_id)
    if revision is None:
        raise NotFound(f"No revision {revision_id} of this {kind.target_type[:-1]}.", code="revision_not_found")
    restored = {k: v for k, v in revision.snapshot.items() if k != "untranslated"}
    restored["version"] = locking.expected_version(data, if_match)
    return save(session, kind, row_id, restored, principal, f"reverted to version {revision.version}")
