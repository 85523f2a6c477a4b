"""Scene manifests: one response with everything the front end needs to build a gallery or follow a tour.

Per-gallery budgets by device tier (everything the manifest lists, room included):

| tier    | bytes  | triangles | draw calls | why                                                              |
|---------|--------|-----------|------------|------------------------------------------------------------------|
| phone   | 8 MB   | 300 000   | 150        | a mid-range phone on 4G: a few seconds to load, 30-60 fps        |
| desktop | 40 MB  | 1 500 000 | 500        | a laptop GPU on broadband                                        |
| vr      | 24 MB  | 750 000   | 250        | a standalone headset (Quest-class) at 72-90 fps, two eye views  |

When the asked-for tier is over budget, exhibits fall back to their phone tier, largest first, until the gallery
fits; each fallback is listed in the manifest. A tier an asset lacks falls back along TIER_FALLBACK.
"""

from __future__ import annotations

from typing import Any

from flask import request

from museum import db
from museum.api import params
from museum.auth import can_see_drafts
from museum.catalogue import queries, serialize
from museum.errors import NotFound
from museum.i18n import pick
from museum.models import Asset, AssetTier, Gallery, Tour

TIERS = ("phone", "desktop", "vr")
BUDGETS: dict[str, dict[str, int]] = {
    "phone": {"bytes": 8_000_000, "triangles": 300_000, "draw_calls": 150},
    "desktop": {"bytes": 40_000_000, "triangles": 1_500_000, "draw_calls": 500},
    "vr": {"bytes": 24_000_000, "triangles": 750_000, "draw_calls": 250},
}
TIER_FALLBACK: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "desktop", "original"),
    "desktop": ("desktop", "original", "phone"),
    "vr": ("vr", "phone", "desktop", "original"),
}
LIGHTING: dict[str, dict[str, Any]] = {
    "warm": {"preset": "warm", "ambient": {"color": "#fff1dc", "intensity": 0.55},
             "key": {"color": "#ffd9a8", "intensity": 2.2, "direction": [-0.4, -1.0, -0.3]},
             "exposure": 1.0, "background": "#2b2118"},
    "gallery": {"preset": "gallery", "ambient": {"color": "#ffffff", "intensity": 0.6},
                "key": {"color": "#fff6ea", "intensity": 2.0, "direction": [-0.3, -1.0, -0.2]},
                "exposure": 1.0, "background": "#1e1e22"},
    "cool": {"preset": "cool", "ambient": {"color": "#e6f0ff", "intensity": 0.6},
             "key": {"color": "#dfeaff", "intensity": 2.2, "direction": [0.3, -1.0, -0.3]},
             "exposure": 1.05, "background": "#0d1624"},
}
MANIFEST_VARY = "Accept-Language, Authorization, Cookie, User-Agent, Sec-CH-UA-Mobile, Save-Data"

_VR_AGENTS = ("oculusbrowser", "quest", "pico", "wolvic", "vive", "mobile vr")
_PHONE_AGENTS = ("mobile", "android", "iphone", "ipod", "harmonyos", "micromessenger")


def suggest_tier() -> tuple[str, str]:
    """Return the tier for this request and where it came from: ?tier=, device hints, or the default."""
    asked = params.choice_arg("tier", TIERS)
    if asked:
        return asked, "query"
    agent = request.headers.get("User-Agent", "").lower()
    if any(a in agent for a in _VR_AGENTS):
        return "vr", "hints"
    if request.headers.get("Save-Data", "").lower() == "on" or request.headers.get("Sec-CH-UA-Mobile") == "?1":
        return "phone", "hints"
    if any(a in agent for a in _PHONE_AGENTS):
        return "phone", "hints"
    return "desktop", "default"


def manifest_cache_key() -> str:
    """Return what a manifest depends on beyond its URL: language and the resolved tier."""
    return params.lang() + "|" + suggest_tier()[0]


def pick_tier(asset: Asset | None, tier: str) -> AssetTier | None:
    """Return the asset's file for a tier, falling back along TIER_FALLBACK."""
    if asset is None:
        return None
    for name in TIER_FALLBACK[tier]:
        found = asset.tier(name)
        if found is not None:
            return found
    return None


def _model(tier: AssetTier | None) -> dict[str, Any] | None:
    return serialize.tier_json(tier) | {"tier": tier.tier} if tier is not None else None


def gallery_manifest(slug: str) -> dict[str, Any]:
    """Build the scene manifest of a gallery at the requested or suggested tier."""
    lang, drafts = params.lang(), can_see_drafts()
    tier, source = suggest_tier()
    gallery = queries.by_slug(db.session(), Gallery, slug, drafts, *queries.gallery_load())
    room = pick_tier(gallery.room_asset, tier)
    placed = [p for p in gallery.placements if drafts or p.exhibit.is_published]
    chosen = {p.id: pick_tier(p.exhibit.model_asset, tier) for p in placed}
    fallbacks: list[dict[str, Any]] = []
    for p in placed:
        used = chosen[p.id]
        if used is not None and used.tier != tier:
            fallbacks.append({"exhibit": p.exhibit.slug, "wanted": tier, "used": used.tier,
                              "reason": "tier_missing"})

    def totals() -> dict[str, int]:
        files = [room, *chosen.values()]
        return {
            "bytes": sum(f.bytes for f in files if f is not None),
            "triangles": sum(f.triangles for f in files if f is not None),
            "draw_calls": sum(f.draw_calls for f in files if f is not None),
        }

    budget = BUDGETS[tier]

    def over(t: dict[str, int]) -> bool:
        return any(t[k] > budget[k] for k in budget)

    if over(totals()):
        def size(p: Any) -> int:
            used = chosen[p.id]
            return used.bytes if used is not None else 0

        for p in sorted(placed, key=lambda x: -size(x)):
            lighter = p.exhibit.model_asset.tier("phone") if p.exhibit.model_asset else None
            current = chosen[p.id]
            if lighter is not None and current is not None and lighter.bytes < current.bytes:
                chosen[p.id] = lighter
                fallbacks.append({"exhibit": p.exhibit.slug, "wanted": tier, "used": "phone",
                                  "reason": "over_budget"})
                if not over(totals()):
                    break
    total = totals()
    exhibits = []
    for p in placed:
        exhibit = p.exhibit
        exhibits.append({
            "placement_id": p.id,
            "slug": exhibit.slug,
            "title": pick(exhibit.title, lang),
            "summary": pick(exhibit.summary, lang),
            "label": pick(p.label, lang) or pick(exhibit.title, lang),
            "mount": p.mount,
            "transform": {"position": p.translation, "rotation_deg": p.rotation_deg, "scale": p.scale,
                          "target_size_m": p.target_size_m},
            "model": _model(chosen[p.id]),
            "poster_url": serialize.poster_url(exhibit.model_asset),
            "hotspots": [serialize.hotspot_json(h, lang) for h in exhibit.hotspots],
            "narration": pick(exhibit.narration_text, lang),
            "sample": exhibit.sample,
            "api_url": f"/api/v1/exhibits/{exhibit.slug}",
            "page_url": f"/e/{exhibit.slug}",
        })
    return {
        "gallery": {
            "slug": gallery.slug,
            "title": pick(gallery.title, lang),
            "summary": pick(gallery.summary, lang),
            "size_m": gallery.size_m,
            "page_url": f"/g/{gallery.slug}",
        },
        "lang": lang,
        "tier": tier,
        "tier_source": source,
        "room": _model(room),
        "spawns": gallery.spawns,
        "floor": gallery.floor,
        "doors": [
            {"to": d.to_gallery.slug, "title": pick(d.label, lang) or pick(d.to_gallery.title, lang),
             "position": d.translation, "yaw_deg": d.yaw_deg, "width_m": d.width_m, "height_m": d.height_m,
             "manifest_url": f"/api/v1/galleries/{d.to_gallery.slug}/manifest"}
            for d in gallery.doors if drafts or d.to_gallery.is_published
        ],
        "lighting": LIGHTING.get(gallery.lighting, LIGHTING["gallery"]),
        "exhibits": exhibits,
        "totals": total,
        "budget": budget,
        "within_budget": not over(total),
        "fallbacks": fallbacks,
    }


def tour_manifest(slug: str) -> dict[str, Any]:
    """Build a tour's manifest: its stops in order, across galleries."""
    lang, drafts = params.lang(), can_see_drafts()
    tour = queries.by_slug(db.session(), Tour, slug, drafts, *queries.tour_load())
    stops = [s for s in tour.stops if drafts or s.gallery.is_published]
    if not stops:
        raise NotFound(f"The tour {slug!r} has no visible stops.", code="tours_not_found")
    out_stops = []
    for index, stop in enumerate(stops):
        item = serialize.stop_json(stop, lang, index)
        item["gallery_title"] = pick(stop.gallery.title, lang)
        item["manifest_url"] = f"/api/v1/galleries/{stop.gallery.slug}/manifest"
        item["exhibit_title"] = pick(stop.exhibit.title, lang) if stop.exhibit else None
        item["anchor"] = stop.hotspot.anchor if stop.hotspot else None
        out_stops.append(item)
    data = serialize.tour_summary(tour, lang)
    data.update({
        "lang": lang,
        "stops": out_stops,
        "galleries": [{"slug": s, "manifest_url": f"/api/v1/galleries/{s}/manifest"} for s in data["galleries"]],
    })
    return data
