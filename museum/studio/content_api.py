"""`/api/v1/studio/...`: the write API for curated content, its workflow, history, revert and preview links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Blueprint, request
from sqlalchemy import and_, func, or_, select

from museum.catalogue.payloads import Models
from museum.catalogue.serialize import models_json, poster_url
from museum.core import db, payloads
from museum.core.errors import NotFound
from museum.core.i18n import missing_langs
from museum.core.jsonbody import body, optional_body
from museum.core.media_types import file_url
from museum.core.payloads import Paged, read_query
from museum.identity import audit, preview
from museum.identity.principal import CAN_EDIT, CAN_REVIEW, Principal, current_principal, require_role
from museum.models import Asset, Status
from museum.studio import changes, content, revisions
from museum.studio.document_payloads import LayoutDraft, Versioned
from museum.studio.documents import KINDS, Kind
from museum.studio.payloads import (
    ContentFilter,
    History,
    LayoutCheck,
    LayoutProblem,
    MissingTranslation,
    PreviewLinkCreated,
    PreviewLinkInfo,
    StatusMove,
    StudioAsset,
    StudioSummary,
)
from museum.studio.translations import untranslated

bp = Blueprint("studio_content", __name__, url_prefix="/api/v1/studio")

_NO_STORE = {"Cache-Control": "no-store"}


V = TypeVar("V", bound=Callable[..., Any])


def each_kind(rule: str, methods: list[str]) -> Callable[[V], V]:
    """Route a view at /api/v1/studio/<kind><rule> for each kind of content, the kind's name passed as `kind`.

    One rule per kind, not a `<kind>` variable: the URL map (and so the OpenAPI document, and Allow headers) then
    holds each kind's own routes, whose bodies are that kind's document.
    """

    def register(view: V) -> V:
        for name in KINDS:
            bp.add_url_rule(f"/{name}{rule}", endpoint=f"{view.__name__}_{name.replace('-', '_')}", view_func=view,
                            methods=methods, defaults={"kind": name})
        return view

    return register


def _kind(name: str) -> Kind:
    return KINDS[name]


def _me() -> Principal:
    principal = current_principal()
    assert principal is not None  # require_role ran first
    return principal


def summary(kind: Kind, row: Any) -> dict[str, Any]:
    """Describe a piece of content in a list: id, slug, title in every language, state, untranslated fields."""
    pending = row.pending or {}
    texts = {n: pending.get(n, getattr(row, n)) for n in kind.texts}
    return StudioSummary(
        id=row.id, kind=kind.name, slug=pending.get("slug", row.slug), title=texts["title"],
        status=cast(Any, content.working_status(row)), live=row.status == Status.PUBLISHED.value,
        version=row.version, updated_at=row.updated_at.isoformat() if row.updated_at else None,
        untranslated={n: m for n, text in texts.items() if (m := missing_langs(text))}).answer()


def _in_state(model: Any, status: str) -> Any:
    """Select content whose working state (that of its pending changes, else its own) is this one."""
    return or_(model.pending_status == status, and_(model.pending_status.is_(None), model.status == status))


@each_kind("", ["GET"])
@require_role(CAN_REVIEW)
def list_content(kind: str) -> Any:
    """List content of a kind, drafts included (?status=, ?q= in slug, ?page=, ?per_page=)."""
    k, page = _kind(kind), read_query(ContentFilter, request.args)
    stmt = select(k.model)
    if page.status:
        stmt = stmt.where(_in_state(k.model, page.status))
    if q := (page.q or "").strip()[:100]:
        stmt = stmt.where(or_(k.model.slug.contains(q.lower())))
    session = db.session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(k.model.updated_at.desc(), k.model.id.desc())
                           .offset(page.offset).limit(page.per_page)).all()
    return {"items": [summary(k, r) for r in rows], "total": total, "page": page.page,
            "per_page": page.per_page}, 200, _NO_STORE


@each_kind("", ["POST"])
@require_role(CAN_EDIT)
def create_content(kind: str) -> Any:
    """Create a draft from a document; answers 201 with the document."""
    k = _kind(kind)
    session = db.session()
    doc = content.create(session, k, body(), _me())
    session.commit()
    return doc, 201, {**_NO_STORE, "ETag": f'"{doc["version"]}"',
                      "Location": f"/api/v1/studio/{kind}/{doc['id']}"}


@each_kind("/<int:item_id>", ["GET"])
@require_role(CAN_REVIEW)
def get_content(kind: str, item_id: int) -> Any:
    """Return the full document, with its version (also as the ETag) and untranslated fields."""
    k = _kind(kind)
    doc = content.document(k, content.load(db.session(), k, item_id))
    return doc, 200, {**_NO_STORE, "ETag": f'"{doc["version"]}"'}


@each_kind("/<int:item_id>", ["PUT", "PATCH"])
@require_role(CAN_EDIT)
def save_content(kind: str, item_id: int) -> Any:
    """Save fields of a document based on a version (`version` or If-Match); 412 if someone saved first."""
    k = _kind(kind)
    session = db.session()
    doc = content.save(session, k, item_id, body(), _me(), if_match=request.headers.get("If-Match"))
    session.commit()
    return doc, 200, {**_NO_STORE, "ETag": f'"{doc["version"]}"'}


@each_kind("/<int:item_id>", ["DELETE"])
@require_role(CAN_EDIT)
def delete_content(kind: str, item_id: int) -> Any:
    """Delete content at a version (If-Match or `version`); curators delete drafts only."""
    k = _kind(kind)
    data = optional_body()
    if data is not None:
        payloads.validate(Versioned, data, "invalid_field")
    session = db.session()
    content.delete(session, k, item_id, data, _me(), if_match=request.headers.get("If-Match"))
    session.commit()
    return "", 204


@bp.post("/galleries/<int:item_id>/layout-check")
@require_role(CAN_EDIT)
def check_gallery_layout(item_id: int) -> Any:
    """Check a gallery's layout as the placement editor has it now ({placements, doors, spawns, sounds}); saves
    nothing."""
    draft = payloads.read(LayoutDraft, "invalid_field")
    problems = content.check_layout(db.session(), item_id, draft)
    checked = LayoutCheck(problems=[LayoutProblem(**p) for p in problems], total=len(problems))
    return checked.answer(), 200, _NO_STORE


@each_kind("/<int:item_id>/status", ["POST"])
@require_role(CAN_REVIEW)
def move_content(kind: str, item_id: int) -> Any:
    """Move content to review, published or draft ({status, version?, note?}), as the role allows."""
    k = _kind(kind)
    sent = payloads.read(StatusMove, "invalid_field")
    session = db.session()
    doc = content.move(session, k, item_id, sent.status, sent.model_dump(exclude_none=True), _me(), sent.note or "")
    session.commit()
    return doc, 200, {**_NO_STORE, "ETag": f'"{doc["version"]}"'}


@each_kind("/<int:item_id>/history", ["GET"])
@require_role(CAN_REVIEW)
def content_history(kind: str, item_id: int) -> Any:
    """List the revisions of a document, newest first, each with its differences from the one before."""
    k = _kind(kind)
    session = db.session()
    row = content.load(session, k, item_id)
    found = History(id=row.id, version=row.version, revisions=revisions.history(session, k.target_type, item_id))
    return found.answer(), 200, _NO_STORE


@each_kind("/<int:item_id>/changes", ["GET"])
@require_role(CAN_REVIEW)
def content_changes(kind: str, item_id: int) -> Any:
    """Return what changed against the published version (or the previous revision): texts, placements, fields."""
    k = _kind(kind)
    session = db.session()
    return changes.changes(session, k, content.load(session, k, item_id)).answer(), 200, _NO_STORE


@each_kind("/<int:item_id>/revert/<int:revision_id>", ["POST"])
@require_role(CAN_EDIT)
def revert_content(kind: str, item_id: int, revision_id: int) -> Any:
    """Restore texts and parts as they were at a revision ({version} of the current document)."""
    k = _kind(kind)
    session = db.session()
    data = body()
    payloads.validate(Versioned, data, "invalid_field")
    doc = content.revert(session, k, item_id, revision_id, data, _me(), if_match=request.headers.get("If-Match"))
    session.commit()
    return doc, 200, {**_NO_STORE, "ETag": f'"{doc["version"]}"'}


@each_kind("/<int:item_id>/preview", ["POST"])
@require_role(CAN_REVIEW)
def preview_link(kind: str, item_id: int) -> Any:
    """Make an expiring, revocable link that shows this content (and only it) exactly as visitors will see it."""
    k = _kind(kind)
    session = db.session()
    row = content.load(session, k, item_id)
    token, link = preview.create(session, k.name, row.id, _me().user_id)
    audit.record(session, "preview_created", _me(), target_type=k.target_type, target_id=row.id,
                 detail={"link": link.id})
    session.commit()
    made = PreviewLinkCreated(**preview.link_json(link), url=f"{request.host_url.rstrip('/')}/studio/preview/{token}",
                              visitor_path=preview.visitor_url(k.name, row.slug))
    return made.answer(), 201, _NO_STORE


@each_kind("/<int:item_id>/previews", ["GET"])
@require_role(CAN_REVIEW)
def list_preview_links(kind: str, item_id: int) -> Any:
    """List the preview links of this content that still work (to revoke one that went too far)."""
    k = _kind(kind)
    session = db.session()
    row = content.load(session, k, item_id)
    links = preview.active_links(session, k.name, row.id)
    items = [PreviewLinkInfo(**preview.link_json(link)).answer() for link in links]
    return {"items": items, "total": len(items)}, 200, _NO_STORE


@bp.delete("/previews/<int:link_id>")
@require_role(CAN_REVIEW)
def revoke_preview_link(link_id: int) -> Any:
    """Revoke a preview link: every device that opened it stops seeing the draft at once."""
    session = db.session()
    link = preview.revoke(session, link_id)
    if link is None:
        raise NotFound("No preview link has this id.", code="preview_not_found")
    audit.record(session, "preview_revoked", _me(), target_type=link.kind, target_id=link.row_id,
                 detail={"link": link.id})
    session.commit()
    return "", 204


@bp.get("/review")
@require_role(CAN_REVIEW)
def review_queue() -> Any:
    """List everything waiting in review, oldest first."""
    session = db.session()
    items: list[dict[str, Any]] = []
    for k in KINDS.values():
        rows = session.scalars(select(k.model).where(_in_state(k.model, Status.REVIEW.value))).all()
        items += [summary(k, r) for r in rows]
    items.sort(key=lambda item: item["updated_at"] or "")
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}, 200, _NO_STORE


@bp.get("/translations/missing")
@require_role(CAN_REVIEW)
def missing_translations() -> Any:
    """List every visitor-facing text still missing a language."""
    items = [MissingTranslation(**row).answer() for row in untranslated(db.session())]
    return {"items": items, "total": len(items)}, 200, _NO_STORE


@bp.get("/assets")
@require_role(CAN_REVIEW)
def list_assets() -> Any:
    """List uploaded assets, newest first, with their processing status, tiers, poster and problems."""
    page = read_query(Paged, request.args)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(Asset)) or 0
    rows = session.scalars(select(Asset).order_by(Asset.id.desc()).offset(page.offset).limit(page.per_page)).all()
    items = [StudioAsset(id=a.id, kind=a.kind, status=a.status, original_name=a.original_name, bytes=a.bytes,
                         poster_url=poster_url(a), tiers=Models.model_validate(models_json(a)), problems=a.problems,
                         triangles=(a.inspection or {}).get("triangles"), status_url=f"/api/v1/assets/{a.id}",
                         url=file_url(a.sha256, a.media_type) if a.kind != "model" else None).answer()
             for a in rows]
    return {"items": items, "total": total, "page": page.page, "per_page": page.per_page}, 200, _NO_STORE
