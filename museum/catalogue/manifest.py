"""Scene manifests: one response with everything the front end needs to build a gallery or follow a tour.

The tier and budget rules are `scenes.tiers` (pure functions); this module reads the catalogue and applies them.
Services take plain values (slug, language, tier, and the rule of which drafts the requester may see): the views
read the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from museum.catalogue import queries, serialize
from museum.catalogue.payloads import (
    DeviceTier,
    GalleryManifest,
    LabelPlate,
    ManifestDoor,
    ManifestExhibit,
    ManifestGallery,
    Mount,
    PlacedModel,
    PlacedPlinth,
    RoomLighting,
    Spawn,
    TierCost,
    TierFallback,
    TierSource,
    TourDetail,
    TourGallery,
    TourStop,
    Transform,
    Walkable,
)
from museum.catalogue.walkable import walkable_json
from museum.core import db
from museum.core.errors import NotFound
from museum.core.i18n import Lang, pick
from museum.models import Asset, AssetTier, Gallery, Tour
from scenes import tiers
from scenes.plinth import Plinth, label_plate

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
ROOM_LIGHTING = {name: RoomLighting.model_validate(value) for name, value in LIGHTING.items()}
MANIFEST_VARY = "Accept-Language, Accept-Encoding, Authorization, Cookie, User-Agent, Sec-CH-UA-Mobile, Save-Data"


# Whether the requester may see the draft of a piece of content, by kind and slug (staff: every draft; a preview
# link: the piece it names).
DraftRule = Callable[[str, str], bool]


def _shows(row: Any, kind: str, may_see_draft: DraftRule) -> bool:
    return bool(row.is_published) or may_see_draft(kind, row.slug)


def tier_files(asset: Asset | None) -> dict[str, AssetTier]:
    """Return a model asset's stored files by tier name (none for a missing asset)."""
    return {t.tier: t for t in asset.tiers} if asset is not None else {}


def pick_tier(asset: Asset | None, tier: str) -> AssetTier | None:
    """Return the asset's file for a tier, falling back along scenes.tiers.TIER_FALLBACK."""
    return tiers.pick_tier(tier_files(asset), tier)


def _model(tier: AssetTier | None) -> PlacedModel | None:
    return serialize.placed_model(tier) if tier is not None else None


def _plinth(value: dict[str, Any] | None) -> PlacedPlinth | None:
    """Return a placement's plinth as the viewer draws it: its size, finish and where its label plate goes."""
    if not value:
        return None
    plinth = Plinth.from_json(value)
    plate = label_plate(plinth)
    return PlacedPlinth(**plinth.as_json(), label_plate=LabelPlate(**plate) if plate is not None else None)


def gallery_manifest(slug: str, lang: Lang, may_see_draft: DraftRule, tier: str, source: str) -> GalleryManifest:
    """Build the scene manifest of a gallery at a tier (`source` says how the tier was chosen)."""
    gallery = queries.by_slug(db.session(), Gallery, slug, may_see_draft("galleries", slug), *queries.gallery_load())
    placed = [p for p in gallery.placements if _shows(p.exhibit, "exhibits", may_see_draft)]
    choice = tiers.choose_tiers(tier, tier_files(gallery.room_asset),
                                {p.id: (p.exhibit.slug, tier_files(p.exhibit.model_asset)) for p in placed})
    room, chosen = choice.room, choice.chosen
    exhibits = []
    for p in placed:
        exhibit = p.exhibit
        exhibits.append(ManifestExhibit(
            placement_id=p.id,
            slug=exhibit.slug,
            title=pick(exhibit.title, lang),
            summary=pick(exhibit.summary, lang),
            label=pick(p.label, lang) or pick(exhibit.title, lang),
            mount=cast(Mount, p.mount),
            transform=Transform(position=p.translation, rotation_deg=p.rotation_deg, scale=p.scale,
                                target_size_m=p.target_size_m),
            plinth=_plinth(p.plinth),
            model=_model(chosen[p.id]),
            film=serialize.exhibit_film_of(exhibit),
            poster_url=serialize.exhibit_poster_url(exhibit),
            hotspots=[serialize.hotspot_of(h, lang) for h in exhibit.hotspots],
            narration=pick(exhibit.narration_text, lang),
            sample=exhibit.sample,
            api_url=f"/api/v1/exhibits/{exhibit.slug}",
            page_url=f"/e/{exhibit.slug}",
        ))
    walkable = walkable_json(gallery, placed)
    return GalleryManifest(
        gallery=ManifestGallery(slug=gallery.slug, title=pick(gallery.title, lang),
                                summary=pick(gallery.summary, lang), size_m=gallery.size_m,
                                page_url=f"/g/{gallery.slug}"),
        lang=lang,
        tier=cast(DeviceTier, tier),
        tier_source=cast(TierSource, source),
        room=_model(room),
        spawns=[Spawn(**spawn) for spawn in gallery.spawns],
        floor=gallery.floor,
        walkable=Walkable(**walkable) if walkable is not None else None,
        doors=[
            ManifestDoor(to=d.to_gallery.slug, title=pick(d.label, lang) or pick(d.to_gallery.title, lang),
                         position=d.translation, yaw_deg=d.yaw_deg, width_m=d.width_m, height_m=d.height_m,
                         manifest_url=f"/api/v1/galleries/{d.to_gallery.slug}/manifest")
            for d in gallery.doors if _shows(d.to_gallery, "galleries", may_see_draft)
        ],
        lighting=ROOM_LIGHTING.get(gallery.lighting, ROOM_LIGHTING["gallery"]),
        sounds=[serialize.sound(z, lang) for z in gallery.sounds],
        exhibits=exhibits,
        totals=TierCost(**choice.totals),
        budget=TierCost(**choice.budget),
        within_budget=choice.within_budget,
        fallbacks=[TierFallback.model_validate(fallback) for fallback in choice.fallbacks],
    )


def tour_manifest(slug: str, lang: Lang, may_see_draft: DraftRule) -> TourDetail:
    """Build a tour's manifest: its stops in order, across galleries."""
    tour = queries.by_slug(db.session(), Tour, slug, may_see_draft("tours", slug), *queries.tour_load())
    stops = [s for s in tour.stops if _shows(s.gallery, "galleries", may_see_draft)]
    if not stops:
        raise NotFound(f"The tour {slug!r} has no visible stops.", code="tours_not_found")
    summary = serialize.tour_summary(tour, lang)
    return TourDetail(
        slug=summary.slug, title=summary.title, summary=summary.summary, status=summary.status,
        stop_count=summary.stop_count,
        galleries=[TourGallery(slug=s, manifest_url=f"/api/v1/galleries/{s}/manifest") for s in summary.galleries],
        url=summary.url, page_url=summary.page_url, lang=lang,
        stops=[TourStop(
            index=index,
            gallery=stop.gallery.slug,
            exhibit=stop.exhibit.slug if stop.exhibit else None,
            hotspot=stop.hotspot.slug if stop.hotspot else None,
            viewpoint=serialize.stop_view(stop.viewpoint),
            title=pick(stop.title, lang),
            text=pick(stop.text, lang),
            narration=pick(stop.narration, lang),
            duration_s=stop.duration_s,
            page_url=f"/t/{stop.tour.slug}/{index + 1}",
            gallery_title=pick(stop.gallery.title, lang),
            manifest_url=f"/api/v1/galleries/{stop.gallery.slug}/manifest",
            exhibit_title=pick(stop.exhibit.title, lang) if stop.exhibit else None,
            anchor=stop.hotspot.anchor if stop.hotspot else None,
        ) for index, stop in enumerate(stops)],
    )
