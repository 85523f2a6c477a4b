"""Public read API v1: museum info, exhibits, galleries, tours, timeline, search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, get_args

from flask import Blueprint, Flask, request
from sqlalchemy import func, select

from museum.catalogue import docs, params, queries, serialize
from museum.catalogue.manifest import MANIFEST_VARY, gallery_manifest, tour_manifest
from museum.catalogue.payloads import (
    MODELS,
    ExhibitFilter,
    MuseumCounts,
    MuseumInfo,
    MuseumLinks,
    SearchQuery,
    TimelineQuery,
)
from museum.catalogue.search_service import run_search
from museum.catalogue.timeline import timeline_of, timelinejs
from museum.core import db, openapi, payloads
from museum.core.errors import BadRequest
from museum.core.http_cache import cached_json, depends_on
from museum.core.i18n import Lang, pick
from museum.core.payloads import Paged, Reply, read_query
from museum.identity.principal import can_see_drafts, shows
from museum.models import (
    Era,
    Exhibit,
    ExhibitTag,
    Gallery,
    Placement,
    Setting,
    TimelineEvent,
    Tour,
)
from scenes.tiers import TIERS, tier_for_device

bp = Blueprint("catalogue", __name__, url_prefix="/api/v1")
LINKS = MuseumLinks(exhibits="/api/v1/exhibits", galleries="/api/v1/galleries", tours="/api/v1/tours",
                    timeline="/api/v1/timeline", search="/api/v1/search", openapi="/api/openapi.json")


def _list(items: Sequence[Reply], total: int, page: Paged) -> dict[str, Any]:
    return {"items": [item.answer() for item in items], "total": total, "page": page.page,
            "per_page": page.per_page}


def _page_of(stmt: Any, page: Paged, order: tuple[Any, ...], options: tuple[Any, ...]) -> tuple[int, list[Any]]:
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
    return MuseumInfo(
        name=pick(texts.get("name"), lang),
        tagline=pick(texts.get("tagline"), lang),
        description=pick(texts.get("description"), lang),
        hospital=pick(texts.get("hospital"), lang),
        lang=lang,
        languages=list(get_args(Lang)),
        counts=MuseumCounts(**counts),
        links=LINKS,
    ).answer()


@bp.get("/exhibits")
@cached_json(params.cache_key)
def list_exhibits() -> dict[str, Any]:
    """List exhibits, filtered by gallery, era or tag, a page at a time."""
    lang, page = params.lang(), read_query(ExhibitFilter, request.args)
    drafts = can_see_drafts()
    stmt = queries.visible(select(Exhibit), Exhibit, drafts)
    if page.gallery:
        stmt = stmt.where(Exhibit.id.in_(
            select(Placement.exhibit_id).join(Gallery).where(Gallery.slug == page.gallery)))
    if page.era:
        stmt = stmt.where(Exhibit.era_id.in_(select(Era.id).where(Era.slug == page.era)))
    if page.tag:
        stmt = stmt.where(Exhibit.id.in_(select(ExhibitTag.exhibit_id).where(ExhibitTag.tag == page.tag)))
    total, rows = _page_of(stmt, page, (Exhibit.id,), queries.EXHIBIT_LOAD)
    return _list([serialize.exhibit_summary(e, lang) for e in rows], total, page)


@bp.get("/exhibits/<slug>")
@cached_json(params.cache_key)
def get_exhibit(slug: str) -> dict[str, Any]:
    """Describe one exhibit with its models, media, hotspots, events and rights."""
    lang, drafts = params.lang(), can_see_drafts()
    session = db.session()
    exhibit = queries.by_slug(session, Exhibit, slug, can_see_drafts("exhibits", slug), *queries.EXHIBIT_DETAIL_LOAD)
    depends_on(*queries.exhibit_subjects(slug))
    events, galleries = queries.exhibit_context(session, exhibit, drafts)
    return serialize.exhibit_detail(exhibit, lang, events, galleries).answer()


@bp.get("/galleries")
@cached_json(params.cache_key)
def list_galleries() -> dict[str, Any]:
    """List the galleries in visiting order."""
    lang, page, drafts = params.lang(), read_query(Paged, request.args), can_see_drafts()
    stmt = queries.visible(select(Gallery), Gallery, drafts)
    total, rows = _page_of(stmt, page, (Gallery.position, Gallery.id), queries.gallery_load())
    items = [serialize.gallery_summary(g, lang, sum(1 for p in g.placements
                                                    if drafts or p.exhibit.is_published)) for g in rows]
    return _list(items, total, page)


@bp.get("/galleries/<slug>")
@cached_json(params.cache_key)
def get_gallery(slug: str) -> dict[str, Any]:
    """Describe one gallery with the exhibits placed in it."""
    lang = params.lang()
    gallery = queries.by_slug(db.session(), Gallery, slug, can_see_drafts("galleries", slug), *queries.gallery_load())
    depends_on(*queries.gallery_subjects(db.session(), slug))
    exhibits = [p.exhibit for p in gallery.placements if shows(p.exhibit, "exhibits")]
    doors = [d.to_gallery for d in gallery.doors if shows(d.to_gallery, "galleries")]
    return serialize.gallery_detail(gallery, lang, exhibits, doors).answer()


def _device_tier(asked: str | None, environ: dict[str, Any]) -> tuple[str, str]:
    """Return the tier a request asks for (?tier=) or its device hints suggest, and how it was chosen."""
    if asked is not None and asked not in TIERS:
        raise BadRequest(f"tier must be one of {', '.join(TIERS)}.", code="invalid_parameter", pointer="/query/tier")
    return tier_for_device(asked or None, environ.get("HTTP_USER_AGENT", ""),
                           save_data=environ.get("HTTP_SAVE_DATA", "").lower() == "on",
                           mobile_hint=environ.get("HTTP_SEC_CH_UA_MOBILE", "") == "?1")


def _manifest_cache_key(environ: dict[str, Any]) -> str:
    """Return what a manifest depends on beyond its URL: the negotiated language and tier (and the tier's source)."""
    tier, source = _device_tier(params.query_value(environ, "tier"), environ)
    return params.cache_key(environ) + "|" + tier + "|" + source


@bp.get("/galleries/<slug>/manifest")
@cached_json(_manifest_cache_key, vary=MANIFEST_VARY)
def get_gallery_manifest(slug: str) -> dict[str, Any]:
    """Return everything the front end needs to build a gallery at a device tier."""
    tier, source = _device_tier(request.args.get("tier"), request.environ)
    data = gallery_manifest(slug, params.lang(), can_see_drafts, tier, source)
    depends_on(*queries.gallery_subjects(db.session(), slug))
    return data.answer()


@bp.get("/tours")
@cached_json(params.cache_key)
def list_tours() -> dict[str, Any]:
    """List the guided tours."""
    lang, page, drafts = params.lang(), read_query(Paged, request.args), can_see_drafts()
    stmt = queries.visible(select(Tour), Tour, drafts)
    total, rows = _page_of(stmt, page, (Tour.id,), queries.tour_load())
    return _list([serialize.tour_summary(t, lang) for t in rows], total, page)


@bp.get("/tours/<slug>")
@cached_json(params.cache_key)
def get_tour(slug: str) -> dict[str, Any]:
    """Return a tour with all its stops across galleries."""
    return tour_manifest(slug, params.lang(), can_see_drafts).answer()


@bp.get("/timeline")
@cached_json(params.cache_key)
def get_timeline() -> dict[str, Any]:
    """Return eras and events (or TimelineJS JSON with ?format=timelinejs)."""
    lang, asked = params.lang(), read_query(TimelineQuery, request.args)
    return (timelinejs(lang) if asked.format == "timelinejs" else timeline_of(lang, asked.era)).answer()


@bp.get("/search")
@cached_json(params.cache_key)
def search() -> dict[str, Any]:
    """Search exhibits, events, galleries and tours (?q=, ?type=, ?limit=); results ranked best first."""
    lang, asked = params.lang(), read_query(SearchQuery, request.args)
    return run_search(db.session(), asked.q.strip(), asked.type, asked.limit, lang, can_see_drafts()).answer()


def init_app(app: Flask) -> None:
    """Register the catalogue's API and document its replies (model tiers and films are other features' too)."""
    app.register_blueprint(bp)
    openapi.add_paths(app, docs.PATHS, payloads.schemas(*MODELS))
