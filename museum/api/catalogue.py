"""Public read API v1: museum info, exhibits, galleries, tours, timeline, search."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from sqlalchemy import func, select

from museum import db
from museum.api import params
from museum.auth import can_see_drafts
from museum.catalogue import queries, serialize
from museum.catalogue.manifest import MANIFEST_VARY, gallery_manifest, manifest_cache_key, tour_manifest
from museum.catalogue.search_service import run_search
from museum.catalogue.timeline import timeline_json, timelinejs
from museum.http_cache import cached_json
from museum.i18n import LANGS, pick
from museum.models import (
    Era,
    Exhibit,
    ExhibitTag,
    Gallery,
    Placement,
    Setting,
    TimelineEvent,
    Tour,
    event_exhibits,
)

bp = Blueprint("catalogue", __name__, url_prefix="/api/v1")


def _list(items: list[dict[str, Any]], total: int, page: params.Page) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page.page, "per_page": page.per_page}


def _page_of(stmt: Any, page: params.Page, order: tuple[Any, ...], options: tuple[Any, ...]) -> tuple[int, list[Any]]:
    """Return the total count of a query and the rows of one page of it."""
    session = db.session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(*order).offset(page.offset).limit(page.per_page).options(*options)).all()
    return total, list(rows)


@bp.get("")
@cached_json(params.cache_key)
def museum_info() -> dict[str, Any]:
    """Describe the museum: name, texts, languages and what it holds."""
    lang = params.lang()
    session = db.session()
    info = session.get(Setting, "museum")
    texts = info.value if info else {}
    counts = {
        name: session.scalar(select(func.count()).select_from(model).where(model.status == "published")) or 0
        for name, model in (("exhibits", Exhibit), ("galleries", Gallery), ("tours", Tour),
                            ("events", TimelineEvent))
    }
    return {
        "name": pick(texts.get("name"), lang),
        "tagline": pick(texts.get("tagline"), lang),
        "description": pick(texts.get("description"), lang),
        "hospital": pick(texts.get("hospital"), lang),
        "lang": lang,
        "languages": list(LANGS),
        "counts": counts,
        "links": {
            "exhibits": "/api/v1/exhibits", "galleries": "/api/v1/galleries", "tours": "/api/v1/tours",
            "timeline": "/api/v1/timeline", "search": "/api/v1/search", "openapi": "/api/openapi.json",
        },
    }


@bp.get("/exhibits")
@cached_json(params.cache_key)
def list_exhibits() -> dict[str, Any]:
    """List exhibits, filtered by gallery, era or tag, a page at a time."""
    lang, page = params.lang(), params.page()
    drafts = can_see_drafts()
    stmt = queries.visible(select(Exhibit), Exhibit, drafts)
    if gallery := request.args.get("gallery"):
        stmt = stmt.where(Exhibit.id.in_(
            select(Placement.exhibit_id).join(Gallery).where(Gallery.slug == gallery)))
    if era := request.args.get("era"):
        stmt = stmt.where(Exhibit.era_id.in_(select(Era.id).where(Era.slug == era)))
    if tag := request.args.get("tag"):
        stmt = stmt.where(Exhibit.id.in_(select(ExhibitTag.exhibit_id).where(ExhibitTag.tag == tag)))
    total, rows = _page_of(stmt, page, (Exhibit.id,), queries.EXHIBIT_LOAD)
    return _list([serialize.exhibit_summary(e, lang) for e in rows], total, page)


@bp.get("/exhibits/<slug>")
@cached_json(params.cache_key)
def get_exhibit(slug: str) -> dict[str, Any]:
    """Describe one exhibit with its models, media, hotspots, events and rights."""
    lang, drafts = params.lang(), can_see_drafts()
    session = db.session()
    exhibit = queries.by_slug(session, Exhibit, slug, drafts, *queries.EXHIBIT_DETAIL_LOAD)
    events = session.scalars(queries.visible(
        select(TimelineEvent).join(event_exhibits).where(event_exhibits.c.exhibit_id == exhibit.id),
        TimelineEvent, drafts).order_by(TimelineEvent.year, TimelineEvent.month, TimelineEvent.day)).all()
    galleries = session.scalars(queries.visible(
        select(Gallery).where(Gallery.id.in_(select(Placement.gallery_id).where(Placement.exhibit_id == exhibit.id))),
        Gallery, drafts).order_by(Gallery.position)).all()
    return serialize.exhibit_detail(exhibit, lang, list(events), list(galleries))


@bp.get("/galleries")
@cached_json(params.cache_key)
def list_galleries() -> dict[str, Any]:
    """List the galleries in visiting order."""
    lang, page, drafts = params.lang(), params.page(), can_see_drafts()
    stmt = queries.visible(select(Gallery), Gallery, drafts)
    total, rows = _page_of(stmt, page, (Gallery.position, Gallery.id), queries.gallery_load())
    items = [serialize.gallery_summary(g, lang, sum(1 for p in g.placements
                                                    if drafts or p.exhibit.is_published)) for g in rows]
    return _list(items, total, page)


@bp.get("/galleries/<slug>")
@cached_json(params.cache_key)
def get_gallery(slug: str) -> dict[str, Any]:
    """Describe one gallery with the exhibits placed in it."""
    lang, drafts = params.lang(), can_see_drafts()
    gallery = queries.by_slug(db.session(), Gallery, slug, drafts, *queries.gallery_load())
    exhibits = [p.exhibit for p in gallery.placements if drafts or p.exhibit.is_published]
    data = serialize.gallery_summary(gallery, lang, len(exhibits))
    data["exhibits"] = [serialize.exhibit_summary(e, lang) for e in exhibits]
    data["doors"] = [{"to": d.to_gallery.slug, "title": pick(d.to_gallery.title, lang)} for d in gallery.doors
                     if drafts or d.to_gallery.is_published]
    return data


@bp.get("/galleries/<slug>/manifest")
@cached_json(manifest_cache_key, vary=MANIFEST_VARY)
def get_gallery_manifest(slug: str) -> dict[str, Any]:
    """Return everything the front end needs to build a gallery at a device tier."""
    return gallery_manifest(slug)


@bp.get("/tours")
@cached_json(params.cache_key)
def list_tours() -> dict[str, Any]:
    """List the guided tours."""
    lang, page, drafts = params.lang(), params.page(), can_see_drafts()
    stmt = queries.visible(select(Tour), Tour, drafts)
    total, rows = _page_of(stmt, page, (Tour.id,), queries.tour_load())
    return _list([serialize.tour_summary(t, lang) for t in rows], total, page)


@bp.get("/tours/<slug>")
@cached_json(params.cache_key)
def get_tour(slug: str) -> dict[str, Any]:
    """Return a tour with all its stops across galleries."""
    return tour_manifest(slug)


@bp.get("/timeline")
@cached_json(params.cache_key)
def get_timeline() -> dict[str, Any]:
    """Return eras and events (or TimelineJS JSON with ?format=timelinejs)."""
    fmt = params.choice_arg("format", ("json", "timelinejs"), "json")
    return timelinejs() if fmt == "timelinejs" else timeline_json()


@bp.get("/search")
@cached_json(params.cache_key)
def search() -> dict[str, Any]:
    """Search exhibits, events, galleries and tours; results ranked best first."""
    return run_search()
