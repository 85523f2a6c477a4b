"""The search endpoint's work: an index of the published catalogue per worker, kept in step with its version."""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from museum import db
from museum.api import params
from museum.auth import can_see_drafts
from museum.catalogue.search import Document, SearchIndex, joined
from museum.errors import BadRequest
from museum.http_cache import cache
from museum.i18n import pick
from museum.models import Exhibit, Gallery, Status, TimelineEvent, Tour

TYPES = ("exhibit", "event", "gallery", "tour")
MAX_QUERY = 200
_lock = threading.Lock()


def build_index(session: Session, drafts: bool = False) -> SearchIndex:
    """Index the catalogue (published content only unless drafts)."""

    def rows(model: Any, *options: Any) -> list[Any]:
        stmt = select(model).options(*options)
        if not drafts:
            stmt = stmt.where(model.status == Status.PUBLISHED.value)
        return list(session.scalars(stmt))

    docs: list[Document] = []
    for e in rows(Exhibit, selectinload(Exhibit.tags), selectinload(Exhibit.hotspots)):
        docs.append(Document("exhibit", e.slug, {
            "title": joined(e.title),
            "tags": " ".join(t.tag.replace("-", " ") for t in e.tags),
            "summary": joined(e.summary),
            "body": joined(e.body, e.object_date, *[h.title for h in e.hotspots], *[h.text for h in e.hotspots]),
        }))
    for ev in rows(TimelineEvent):
        docs.append(Document("event", ev.slug, {"title": joined(ev.title), "body": joined(ev.body)}))
    for g in rows(Gallery):
        docs.append(Document("gallery", g.slug, {"title": joined(g.title), "summary": joined(g.summary)}))
    for t in rows(Tour):
        docs.append(Document("tour", t.slug, {"title": joined(t.title), "summary": joined(t.summary)}))
    return SearchIndex(docs)


def _published_index() -> SearchIndex:
    store = cache()
    version = store.version()
    holder = current_app.extensions.setdefault("museum.search", {})
    with _lock:
        if holder.get("version") != version:
            with db.get_db().read() as session:
                holder["index"] = build_index(session)
            holder["version"] = version
        return holder["index"]


def _describe(session: Session, hits: list[Any], lang: str) -> list[dict[str, Any]]:
    models: dict[str, Any] = {"exhibit": Exhibit, "event": TimelineEvent, "gallery": Gallery, "tour": Tour}
    by_type: dict[str, dict[str, Any]] = {}
    for kind, model in models.items():
        slugs = [h.slug for h in hits if h.type == kind]
        if slugs:
            by_type[kind] = {r.slug: r for r in session.scalars(select(model).where(model.slug.in_(slugs)))}
    items = []
    for hit in hits:
        row = by_type.get(hit.type, {}).get(hit.slug)
        if row is None:
            continue
        summary = getattr(row, "summary", None) or getattr(row, "body", None)
        item = {"type": hit.type, "slug": hit.slug, "title": pick(row.title, lang),
                "summary": pick(summary, lang)[:200], "score": hit.score}
        if hit.type == "exhibit":
            item.update(url=f"/api/v1/exhibits/{hit.slug}", page_url=f"/e/{hit.slug}")
        elif hit.type == "event":
            item.update(url=f"/api/v1/timeline#{hit.slug}", page_url=f"/timeline#{hit.slug}",
                        date=row.date_iso)
        elif hit.type == "gallery":
            item.update(url=f"/api/v1/galleries/{hit.slug}", page_url=f"/g/{hit.slug}")
        else:
            item.update(url=f"/api/v1/tours/{hit.slug}", page_url=f"/t/{hit.slug}")
        items.append(item)
    return items


def run_search() -> dict[str, Any]:
    """Answer ?q= (and optional ?type=) with ranked results in the requested language."""
    lang = params.lang()
    query = (request.args.get("q") or "").strip()
    if not query:
        raise BadRequest("Give something to search for in q.", code="invalid_parameter", pointer="/query/q")
    if len(query) > MAX_QUERY:
        raise BadRequest(f"q is longer than {MAX_QUERY} characters.", code="invalid_parameter",
                         pointer="/query/q")
    kind = params.choice_arg("type", TYPES)
    limit = params.int_arg("limit", 20, 1, 100)
    drafts = can_see_drafts()
    session = db.session()
    index = build_index(session, drafts=True) if drafts else _published_index()
    hits = index.search(query, {kind} if kind else None, limit)
    return {"query": query, "lang": lang, "items": _describe(session, hits, lang), "total": len(hits)}
