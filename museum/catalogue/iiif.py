"""Open formats other museum systems read: IIIF Presentation 3 (exhibits), IIIF Presentation 4 scenes (galleries)
and schema.org JSON-LD.

The IIIF 3D group's Presentation 4 drafts place models in a Scene with painting annotations whose targets carry
a PointSelector and whose bodies carry transforms; hotspots are commenting annotations on the same Scene.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Flask, current_app, request
from sqlalchemy import select

from museum.catalogue import queries
from museum.core import db, openapi
from museum.core.http_cache import cached_json, depends_on
from museum.core.i18n import LANGS, pick
from museum.core.media_types import file_url
from museum.identity.principal import can_see_drafts
from museum.models import Exhibit, Gallery, TimelineEvent, event_exhibits

bp = Blueprint("opendata", __name__, url_prefix="/iiif")

P3_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
P4_CONTEXT = "http://iiif.io/api/presentation/4/context.json"
POSTER_SIZE = 512
_CC = {
    "CC-BY-4.0": "http://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "http://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-SA-4.0": "http://creativecommons.org/licenses/by-sa/4.0/",
}


def base_url() -> str:
    """Return the museum's public origin (MUSEUM_BASE_URL, else the request's)."""
    configured = current_app.config.get("MUSEUM_BASE_URL") or ""
    return (configured or request.host_url).rstrip("/")


def lang_map(text: dict[str, str] | None) -> dict[str, list[str]]:
    """Return a IIIF language map of every language a text has."""
    return {lang: [text[lang]] for lang in LANGS if text and text.get(lang)} or {"none": [""]}


def _rights_uri(licence: str | None) -> str | None:
    return _CC.get(licence or "")


def exhibit_manifest(exhibit: Exhibit, base: str) -> dict[str, Any]:
    """Describe an exhibit as a IIIF Presentation 3 manifest: poster canvas, the GLB as a rendering."""
    me = f"{base}/iiif/exhibits/{exhibit.slug}/manifest.json"
    asset = exhibit.model_asset
    poster = f"{base}{file_url(asset.poster_sha256, 'image/webp')}" if asset and asset.poster_sha256 else None
    canvas_id = f"{base}/iiif/exhibits/{exhibit.slug}/canvas/1"
    canvas: dict[str, Any] = {"id": canvas_id, "type": "Canvas", "label": lang_map(exhibit.title),
                              "width": POSTER_SIZE, "height": POSTER_SIZE, "items": []}
    if poster:
        canvas["items"] = [{
            "id": f"{canvas_id}/page/1", "type": "AnnotationPage",
            "items": [{"id": f"{canvas_id}/page/1/poster", "type": "Annotation", "motivation": "painting",
                       "body": {"id": poster, "type": "Image", "format": "image/webp",
                                "width": POSTER_SIZE, "height": POSTER_SIZE},
                       "target": canvas_id}],
        }]
    renderings = []
    if asset is not None:
        for tier in sorted(asset.tiers, key=lambda t: t.tier):
            renderings.append({"id": f"{base}{file_url(tier.sha256, tier.media_type)}", "type": "Model",
                               "label": {"en": [f"glTF binary, {tier.tier} tier ({tier.bytes} bytes)"]},
                               "format": tier.media_type})
    manifest: dict[str, Any] = {
        "@context": P3_CONTEXT, "id": me, "type": "Manifest",
        "label": lang_map(exhibit.title), "summary": lang_map(exhibit.summary),
        "metadata": [{"label": {"en": ["Date"], "zh-Hans": ["年代"], "zh-Hant": ["年代"]},
                      "value": lang_map(exhibit.object_date)}] if exhibit.object_date else [],
        "homepage": [{"id": f"{base}/e/{exhibit.slug}", "type": "Text", "label": lang_map(exhibit.title),
                      "format": "text/html"}],
        "rendering": renderings,
        "items": [canvas],
    }
    if poster:
        manifest["thumbnail"] = [{"id": poster, "type": "Image", "format": "image/webp"}]
    rights = exhibit.rights
    if rights is not None:
        uri = _rights_uri(rights.licence)
        if uri:
            manifest["rights"] = uri
        manifest["requiredStatement"] = {
            "label": {"en": ["Attribution"], "zh-Hans": ["署名"], "zh-Hant": ["署名"]},
            "value": {lang: [f"{pick(rights.credit, lang)} {rights.copyright}".strip()] for lang in LANGS},
        }
    return manifest


def _euler_transforms(rotation_deg: list[float], scale: float, position: list[float]) -> list[dict[str, Any]]:
    return [
        {"type": "ScaleTransform", "x": scale, "y": scale, "z": scale},
        {"type": "RotateTransform", "x": rotation_deg[0], "y": rotation_deg[1], "z": rotation_deg[2]},
        {"type": "TranslateTransform", "x": position[0], "y": position[1], "z": position[2]},
    ]


def gallery_scene(gallery: Gallery, base: str, drafts: bool) -> dict[str, Any]:
    """Describe a gallery as a IIIF Presentation 4 (draft) Scene manifest: room and exhibits placed, hotspots."""
    me = f"{base}/iiif/galleries/{gallery.slug}/manifest.json"
    scene_id = f"{base}/iiif/galleries/{gallery.slug}/scene/1"
    painting: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    room = gallery.room_asset.tier("desktop") or gallery.room_asset.tier("original") if gallery.room_asset else None
    if room is not None:
        painting.append({"id": f"{scene_id}/room", "type": "Annotation", "motivation": ["painting"],
                         "body": {"id": f"{base}{file_url(room.sha256, room.media_type)}", "type": "Model",
                                  "format": room.media_type},
                         "target": scene_id})
    for placement in gallery.placements:
        exhibit = placement.exhibit
        if not (drafts or exhibit.is_published) or exhibit.model_asset is None:
            continue
        tier = exhibit.model_asset.tier("desktop") or exhibit.model_asset.tier("original")
        if tier is None:
            continue
        x, y, z = placement.translation
        painting.append({
            "id": f"{scene_id}/placement/{placement.id}", "type": "Annotation", "motivation": ["painting"],
            "label": lang_map(exhibit.title),
            "body": {"type": "SpecificResource",
                     "source": {"id": f"{base}{file_url(tier.sha256, tier.media_type)}", "type": "Model",
                                "format": tier.media_type},
                     "transform": _euler_transforms(placement.rotation_deg, placement.scale, [0.0, 0.0, 0.0])},
            "target": {"type": "SpecificResource", "source": {"id": scene_id, "type": "Scene"},
                       "selector": [{"type": "PointSelector", "x": x, "y": y, "z": z}]},
        })
        yaw = math.radians(placement.rotation_deg[1])
        for hotspot in exhibit.hotspots:
            hx, hy, hz = (hotspot.anchor + [0.0, 0.0, 0.0])[:3]
            s = placement.scale
            wx = x + s * (hx * math.cos(yaw) + hz * math.sin(yaw))
            wz = z + s * (-hx * math.sin(yaw) + hz * math.cos(yaw))
            comments.append({
                "id": f"{scene_id}/hotspot/{hotspot.id}", "type": "Annotation", "motivation": ["commenting"],
                "body": [{"type": "TextualBody", "value": pick(hotspot.text, lang) or pick(hotspot.title, lang),
                          "language": lang, "format": "text/plain"} for lang in LANGS],
                "target": {"type": "SpecificResource", "source": {"id": scene_id, "type": "Scene"},
                           "selector": [{"type": "PointSelector", "x": round(wx, 4), "y": round(y + s * hy, 4),
                                         "z": round(wz, 4)}]},
            })
    scene: dict[str, Any] = {"id": scene_id, "type": "Scene", "label": lang_map(gallery.title),
                             "items": [{"id": f"{scene_id}/page/1", "type": "AnnotationPage", "items": painting}]}
    if comments:
        scene["annotations"] = [{"id": f"{scene_id}/comments", "type": "AnnotationPage", "items": comments}]
    return {"@context": P4_CONTEXT, "id": me, "type": "Manifest", "label": lang_map(gallery.title),
            "summary": lang_map(gallery.summary), "items": [scene]}


def exhibit_jsonld(exhibit: Exhibit, base: str, events: list[TimelineEvent], lang: str) -> dict[str, Any]:
    """Describe an exhibit as schema.org JSON-LD: a 3DModel, with the events it belongs to."""
    asset = exhibit.model_asset
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "3DModel", "@id": f"{base}/e/{exhibit.slug}",
        "name": pick(exhibit.title, lang), "description": pick(exhibit.summary, lang), "inLanguage": lang,
        "url": f"{base}/e/{exhibit.slug}",
        "encoding": [{"@type": "MediaObject", "contentUrl": f"{base}{file_url(t.sha256, t.media_type)}",
                      "encodingFormat": t.media_type, "contentSize": str(t.bytes), "name": t.tier}
                     for t in (asset.tiers if asset else [])],
        "subjectOf": [{"@type": "ExhibitionEvent", "name": pick(e.title, lang), "startDate": e.date_iso,
                       "description": pick(e.body, lang)} for e in events],
    }
    if asset is not None and asset.poster_sha256:
        data["image"] = f"{base}{file_url(asset.poster_sha256, 'image/webp')}"
    if exhibit.rights is not None:
        data["license"] = _rights_uri(exhibit.rights.licence) or exhibit.rights.licence
        data["copyrightNotice"] = exhibit.rights.copyright
        data["creditText"] = pick(exhibit.rights.credit, lang)
    return data


def linked_events(session: Any, exhibit: Exhibit, drafts: bool) -> list[TimelineEvent]:
    """Return the visible timeline events linked to an exhibit."""
    stmt = select(TimelineEvent).join(event_exhibits).where(event_exhibits.c.exhibit_id == exhibit.id)
    return list(session.scalars(queries.visible(stmt, TimelineEvent, drafts).order_by(TimelineEvent.year)))


def _base_key(environ: dict[str, Any]) -> str:
    """Return what a IIIF manifest depends on beyond its URL: the origin its links are written for."""
    return environ.get("wsgi.url_scheme", "http") + "://" + environ.get("HTTP_HOST", "").lower()


@bp.get("/exhibits/<slug>/manifest.json")
@cached_json(_base_key, media_type="application/ld+json", vary="Accept-Encoding, Authorization, Cookie, Host")
def exhibit_iiif(slug: str) -> dict[str, Any]:
    """Serve an exhibit as a IIIF Presentation 3 manifest."""
    exhibit = queries.by_slug(db.session(), Exhibit, slug, can_see_drafts("exhibits", slug),
                              *queries.EXHIBIT_DETAIL_LOAD)
    depends_on(*queries.exhibit_subjects(slug))
    return exhibit_manifest(exhibit, base_url())


@bp.get("/galleries/<slug>/manifest.json")
@cached_json(_base_key, media_type="application/ld+json", vary="Accept-Encoding, Authorization, Cookie, Host")
def gallery_iiif(slug: str) -> dict[str, Any]:
    """Serve a gallery as a IIIF Presentation 4 Scene manifest."""
    drafts = can_see_drafts("galleries", slug)
    gallery = queries.by_slug(db.session(), Gallery, slug, drafts, *queries.gallery_load())
    depends_on(*queries.gallery_subjects(db.session(), slug))
    return gallery_scene(gallery, base_url(), drafts)


OPENAPI_PATHS = {
    "/iiif/exhibits/{slug}/manifest.json": {"get": {
        "summary": "An exhibit as a IIIF Presentation 3 manifest (poster canvas; GLB tiers as renderings)",
        "parameters": [openapi.SLUG_PARAM],
        "responses": {"200": {"description": "IIIF Presentation 3 manifest",
                              "content": {"application/ld+json": {"schema": {"type": "object"}}}},
                      "404": openapi.ERRORS["404"]}}},
    "/iiif/galleries/{slug}/manifest.json": {"get": {
        "summary": "A gallery as a IIIF Presentation 4 (draft) Scene manifest",
        "parameters": [openapi.SLUG_PARAM],
        "responses": {"200": {"description": "IIIF Presentation 4 Scene manifest",
                              "content": {"application/ld+json": {"schema": {"type": "object"}}}},
                      "404": openapi.ERRORS["404"]}}},
}


def init_app(app: Flask) -> None:
    """Register the open-format routes and document them."""
    app.register_blueprint(bp)
    openapi.add_paths(app, OPENAPI_PATHS)



