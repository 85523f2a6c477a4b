"""The search endpoint's work: an index of the published catalogue per worker, updated as the catalogue changes."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable
from typing import Any, get_args

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from museum.catalogue.payloads import FoundEvent, FoundItem, SearchResults, SearchType
from museum.catalogue.search import Document, SearchIndex, joined
from museum.core import db
from museum.core.http_cache import cache, changes_between
from museum.core.i18n import Lang, pick
from museum.models import Exhibit, Gallery, Status, TimelineEvent, Tour

TYPES: tuple[str, ...] = get_args(SearchType)  # what can be searched for, as ?type= names it
MODELS: dict[str, Any] = {"exhibit": Exhibit, "event": TimelineEvent, "gallery": Gallery, "tour": Tour}
_lock = threading.Lock()


def documents(session: Session, kind: str, drafts: bool = False,
              slugs: Iterable[str] | None = None) -> list[Document]:
    """Return the search documents of one kind (published only unless drafts; only these slugs if given)."""
    model = MODELS[kind]
    stmt = select(model)
    if kind == "exhibit":
        stmt = stmt.options(selectinload(Exhibit.tags), selectinload(Exhibit.hotspots))
    if not drafts:
        stmt = stmt.where(model.status == Status.PUBLISHED.value)
    if slugs is not None:
        stmt = stmt.where(model.slug.in_(list(slugs)))
    docs: list[Document] = []
    for row in session.scalars(stmt):
        if kind == "exhibit":
            docs.append(Document("exhibit", row.slug, {
                "title": joined(row.title),
                "tags": " ".join(t.tag.replace("-", " ") for t in row.tags),
                "summary": joined(row.summary),
                "body": joined(row.body, row.object_date, *[h.title for h in row.hotspots],
                               *[h.text for h in row.hotspots]),
            }))
        elif kind == "event":
            docs.append(Document("event", row.slug, {"title": joined(row.title), "body": joined(row.body)}))
        else:
            docs.append(Document(kind, row.slug, {"title": joined(row.title), "summary": joined(row.summary)}))
    return docs


def build_index(session: Session, drafts: bool = False) -> SearchIndex:
    """Index the catalogue (published content only unless drafts)."""
    return SearchIndex(doc for kind in TYPES for doc in documents(session, kind, drafts))


def update_index(session: Session, index: SearchIndex, changed: set[str]) -> None:
    """Re-index the pieces of content named by change subjects ("exhibit:heart-model"), and nothing else."""
    by_kind: dict[str, set[str]] = {}
    for subject in changed:
        kind, _, slug = subject.partition(":")
        if slug and kind in MODELS:
            by_kind.setdefault(kind, set()).add(slug)
    for kind, slugs in by_kind.items():
        for slug in slugs:
            index.remove(kind, slug)
        for doc in documents(session, kind, slugs=slugs):
            index.put(doc)


def warm_index(app: Flask) -> None:
    """Build the published index now (before serving), so no visitor's search waits for it."""
    with app.app_context():
        _published_index()
        app.extensions["museum.db"].dispose()


def _published_index() -> SearchIndex:
    version = cache().version()
    holder = current_app.extensions.setdefault("museum.search", {})
    with _lock:
        if holder.get("version") != version:
            with db.get_db().read() as session:
                changed = changes_between(session, holder["version"], version) if "index" in holder else None
                if changed is None:
                    holder["index"] = build_index(session)
                    # A whole index lives until the next one: out of the cyclic collector's walks (see serve).
                    gc.freeze()
                else:
                    update_index(session, holder["index"], changed)
            holder["version"] = version
        return holder["index"]


def _drafts_index(session: Session) -> SearchIndex:
    """Return the index of every piece of content, drafts included, rebuilt only when some content changed.

    Every save moves a row's updated_at (an indexed column) and a deletion lowers a count, so the newest time and
    the count of each kind tell, in four index reads, whether the index of the last curator's search still holds.
    """
    stamp = tuple(tuple(session.execute(select(func.max(model.updated_at), func.count()).select_from(model)).one())
                  for model in MODELS.values())
    holder = current_app.extensions.setdefault("museum.search.drafts", {})
    with _lock:
        if holder.get("stamp") != stamp:
            holder["index"], holder["stamp"] = build_index(session, drafts=True), stamp
        return holder["index"]


def _urls(kind: str, slug: str) -> tuple[str, str]:
    """Return where a search hit is in the API and its page."""
    if kind == "exhibit":
        return f"/api/v1/exhibits/{slug}", f"/e/{slug}"
    if kind == "event":
        return f"/api/v1/timeline#{slug}", f"/timeline#{slug}"
    if kind == "gallery":
        return f"/api/v1/galleries/{slug}", f"/g/{slug}"
    return f"/api/v1/tours/{slug}", f"/t/{slug}"


def _describe(session: Session, hits: list[Any], lang: str) -> list[FoundItem | FoundEvent]:
    models: dict[str, Any] = {"exhibit": Exhibit, "event": TimelineEvent, "gallery": Gallery, "tour": Tour}
    by_type: dict[str, dict[str, Any]] = {}
    for kind, model in models.items():
        slugs = [h.slug for h in hits if h.type == kind]
        if slugs:
            by_type[kind] = {r.slug: r for r in session.scalars(select(model).where(model.slug.in_(slugs)))}
    items: list[FoundItem | FoundEvent] = []
    for hit in hits:
        row = by_type.get(hit.type, {}).get(hit.slug)
        if row is None:
            continue
        summary = getattr(row, "summary", None) or getattr(row, "body", None)
        url, page_url = _urls(hit.type, hit.slug)
        found = {"slug": hit.slug, "title": pick(row.title, lang), "summary": pick(summary, lang)[:200],
                 "score": hit.score, "url": url, "page_url": page_url}
        if hit.type == "event":
            items.append(FoundEvent(type="event", **found, date=row.date_iso))
        else:
            items.append(FoundItem(type=hit.type, **found))
    return items


def run_search(session: Session, query: str, kind: str | None, limit: int, lang: Lang,
               drafts: bool) -> SearchResults:
    """Return what a search finds, ranked best first, in a language (drafts too for staff who see them)."""
    index = _drafts_index(session) if drafts else _published_index()
    hits = index.search(query, {kind} if kind else None, limit)
    return SearchResults(query=query, lang=lang, items=_describe(session, hits, lang), total=len(hits))
