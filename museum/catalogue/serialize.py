"""The catalogue's content in one language as its reply models (museum.catalogue.payloads)."""

from __future__ import annotations

from typing import Any, cast, get_args

from museum.catalogue.payloads import (
    DoorRef,
    EraRef,
    EventExhibit,
    EventRef,
    ExhibitAudio,
    ExhibitDetail,
    ExhibitImage,
    ExhibitSummary,
    Film,
    FilmCaptions,
    FilmSize,
    FilmSource,
    GalleryDetail,
    GalleryRef,
    GallerySummary,
    HotspotImage,
    HotspotKind,
    ModelFile,
    Models,
    PlacedModel,
    Sound,
    SoundKind,
    Status,
    StopView,
    Tier,
    TourSummary,
)
from museum.catalogue.payloads import Era as EraReply
from museum.catalogue.payloads import Event as EventReply
from museum.catalogue.payloads import Hotspot as HotspotReply
from museum.catalogue.payloads import Rights as RightsReply
from museum.core.i18n import pick
from museum.core.media_types import file_url
from museum.models import (
    Asset,
    AssetTier,
    Era,
    Exhibit,
    Gallery,
    Hotspot,
    Rights,
    SoundZone,
    TimelineEvent,
    Tour,
)

TIERS: tuple[Tier, ...] = get_args(Tier)


def asset_url(asset: Asset | None) -> str | None:
    """Return the content-hashed URL of an asset's file."""
    return file_url(asset.sha256, asset.media_type) if asset else None


def _tier_fields(tier: AssetTier) -> dict[str, Any]:
    return {"url": file_url(tier.sha256, tier.media_type), "bytes": tier.bytes, "triangles": tier.triangles,
            "draw_calls": tier.draw_calls, "media_type": tier.media_type}


def model_file(tier: AssetTier) -> ModelFile:
    """Describe one device tier of a model."""
    return ModelFile(**_tier_fields(tier))


def placed_model(tier: AssetTier) -> PlacedModel:
    """Describe the tier of a model a manifest places."""
    return PlacedModel(**_tier_fields(tier), tier=cast(Tier, tier.tier))


def models_of(asset: Asset | None) -> Models:
    """Describe every tier of a model asset, keyed by tier name."""
    if asset is None:
        return Models({})
    return Models({cast(Tier, t.tier): model_file(t) for t in asset.tiers if t.tier in TIERS})


def models_json(asset: Asset | None) -> dict[str, Any]:
    """Return `models_of` as JSON data."""
    return models_of(asset).model_dump(mode="json")


def poster_url(asset: Asset | None) -> str | None:
    """Return the URL of a model's poster image."""
    if asset is None or not asset.poster_sha256:
        return None
    return file_url(asset.poster_sha256, "image/webp")


FILM_SIZES: tuple[FilmSize, ...] = get_args(FilmSize)


def film_of(asset: Asset | None, captions: list[tuple[str | None, Asset]] | None = None) -> Film | None:
    """Describe a ready film: its renditions, poster and captions (by language); None for anything else."""
    if asset is None or asset.kind != "video" or asset.status != "ready":
        return None
    sources = [FilmSource(size=cast(FilmSize, t.tier), url=file_url(t.sha256, t.media_type),
                          media_type=t.media_type, width=int(t.stats.get("width", 0)),
                          height=int(t.stats.get("height", 0)), bytes=t.bytes)
               for t in sorted(asset.tiers, key=lambda t: FILM_SIZES.index(t.tier) if t.tier in FILM_SIZES else 9)
               if t.tier in FILM_SIZES]
    inspection = asset.inspection or {}
    return Film(poster_url=poster_url(asset), seconds=float(inspection.get("seconds", 0.0)),
                width=int(inspection.get("width", 0)), height=int(inspection.get("height", 0)), sources=sources,
                captions=[FilmCaptions(lang=lang, url=file_url(c.sha256, c.media_type))
                          for lang, c in captions or [] if lang])


def film_json(asset: Asset | None, captions: list[tuple[str | None, Asset]] | None = None) -> dict[str, Any] | None:
    """Return `film_of` as JSON data."""
    film = film_of(asset, captions)
    return film.answer() if film is not None else None


def exhibit_film_of(exhibit: Exhibit) -> Film | None:
    """Describe the film an exhibit shows (its `film` media, with its `film_captions`), if it has a ready one."""
    film = next((m for m in exhibit.media if m.role == "film"), None)
    if film is None:
        return None
    return film_of(film.asset, [(m.lang, m.asset) for m in exhibit.media if m.role == "film_captions"])


def exhibit_film(exhibit: Exhibit) -> dict[str, Any] | None:
    """Return `exhibit_film_of` as JSON data."""
    film = exhibit_film_of(exhibit)
    return film.answer() if film is not None else None


def exhibit_poster_url(exhibit: Exhibit) -> str | None:
    """Return the exhibit's poster: its model's, else its film's."""
    if exhibit.model_asset is not None and exhibit.model_asset.poster_sha256:
        return poster_url(exhibit.model_asset)
    film = next((m for m in exhibit.media if m.role == "film"), None)
    return poster_url(film.asset) if film is not None else None


def sound(zone: SoundZone, lang: str) -> Sound:
    """Describe a gallery's sound zone: its file, kind, where it sounds from, how far it carries and how loud."""
    return Sound(kind=cast(SoundKind, zone.kind), url=file_url(zone.asset.sha256, zone.asset.media_type),
                 media_type=zone.asset.media_type, position=zone.translation, radius_m=zone.radius_m,
                 volume=zone.volume, title=pick(zone.title, lang))


def rights_of(rights: Rights | None, lang: str) -> RightsReply | None:
    """Describe licence, credit and copyright."""
    if rights is None:
        return None
    return RightsReply(licence=rights.licence, licence_url=rights.licence_url, credit=pick(rights.credit, lang),
                       copyright=rights.copyright, source_url=rights.source_url)


def era_ref(era: Era | None, lang: str) -> EraRef | None:
    """Describe an era briefly."""
    if era is None:
        return None
    return EraRef(slug=era.slug, title=pick(era.title, lang))


def _summary_fields(exhibit: Exhibit, lang: str) -> dict[str, Any]:
    return {
        "slug": exhibit.slug,
        "title": pick(exhibit.title, lang),
        "summary": pick(exhibit.summary, lang),
        "status": exhibit.status,
        "sample": exhibit.sample,
        "era": era_ref(exhibit.era, lang),
        "tags": [t.tag for t in exhibit.tags],
        "poster_url": exhibit_poster_url(exhibit),
        "models": models_of(exhibit.model_asset),
        "url": f"/api/v1/exhibits/{exhibit.slug}",
        "page_url": f"/e/{exhibit.slug}",
    }


def exhibit_summary(exhibit: Exhibit, lang: str) -> ExhibitSummary:
    """Describe an exhibit for lists and cards."""
    return ExhibitSummary(**_summary_fields(exhibit, lang))


def hotspot_of(hotspot: Hotspot, lang: str) -> HotspotReply:
    """Describe a hotspot on an exhibit's model."""
    image = None
    if hotspot.image_asset is not None:
        image = HotspotImage(url=file_url(hotspot.image_asset.sha256, hotspot.image_asset.media_type),
                             alt=pick(hotspot.image_alt, lang), credit=pick(hotspot.image_credit, lang))
    return HotspotReply(slug=hotspot.slug, kind=cast(HotspotKind, hotspot.kind), anchor=hotspot.anchor,
                        radius_m=hotspot.radius_m, title=pick(hotspot.title, lang), text=pick(hotspot.text, lang),
                        image=image, audio_url=asset_url(hotspot.audio_asset),
                        captions_url=asset_url(hotspot.captions_asset))


def _event_ref_fields(event: TimelineEvent, lang: str) -> dict[str, Any]:
    return {"slug": event.slug, "title": pick(event.title, lang), "date": event.date_iso,
            "precision": event.precision, "sample": event.sample}


def event_ref(event: TimelineEvent, lang: str) -> EventRef:
    """Describe a timeline event briefly."""
    return EventRef(**_event_ref_fields(event, lang))


def exhibit_detail(exhibit: Exhibit, lang: str, events: list[TimelineEvent],
                   galleries: list[Gallery]) -> ExhibitDetail:
    """Describe an exhibit fully: texts, model tiers, media, hotspots, linked events, rights."""
    images, audio = [], []
    for media in exhibit.media:
        if media.role == "image":
            images.append(ExhibitImage(url=file_url(media.asset.sha256, media.asset.media_type),
                                       alt=pick(media.alt, lang), caption=pick(media.caption, lang),
                                       credit=pick(media.credit, lang)))
        elif media.role == "audio":
            captions = next((m for m in exhibit.media if m.role == "captions" and m.lang == media.lang), None)
            audio.append(ExhibitAudio(lang=media.lang, url=file_url(media.asset.sha256, media.asset.media_type),
                                      captions_url=asset_url(captions.asset) if captions else None,
                                      synthetic=media.synthetic))
    return ExhibitDetail(
        **_summary_fields(exhibit, lang),
        body=pick(exhibit.body, lang),
        object_date=pick(exhibit.object_date, lang),
        narration=pick(exhibit.narration_text, lang),
        real_height_m=exhibit.real_height_m,
        inspection=exhibit.model_asset.inspection if exhibit.model_asset else None,
        images=images,
        audio=audio,
        film=exhibit_film_of(exhibit),
        hotspots=[hotspot_of(h, lang) for h in exhibit.hotspots],
        events=[event_ref(e, lang) for e in events],
        galleries=[GalleryRef(slug=g.slug, title=pick(g.title, lang)) for g in galleries],
        rights=rights_of(exhibit.rights, lang),
        updated_at=exhibit.updated_at.isoformat(),
    )


def _gallery_fields(gallery: Gallery, lang: str, exhibit_count: int) -> dict[str, Any]:
    return {
        "slug": gallery.slug,
        "title": pick(gallery.title, lang),
        "summary": pick(gallery.summary, lang),
        "status": gallery.status,
        "lighting": gallery.lighting,
        "exhibit_count": exhibit_count,
        "poster_url": poster_url(gallery.room_asset),
        "manifest_url": f"/api/v1/galleries/{gallery.slug}/manifest",
        "page_url": f"/g/{gallery.slug}",
    }


def gallery_summary(gallery: Gallery, lang: str, exhibit_count: int) -> GallerySummary:
    """Describe a gallery for lists."""
    return GallerySummary(**_gallery_fields(gallery, lang, exhibit_count))


def gallery_detail(gallery: Gallery, lang: str, exhibits: list[Exhibit], doors: list[Gallery]) -> GalleryDetail:
    """Describe a gallery with these exhibits placed in it and doors to these galleries."""
    return GalleryDetail(**_gallery_fields(gallery, lang, len(exhibits)),
                         exhibits=[exhibit_summary(e, lang) for e in exhibits],
                         doors=[DoorRef(to=g.slug, title=pick(g.title, lang)) for g in doors])


def tour_summary(tour: Tour, lang: str) -> TourSummary:
    """Describe a tour for lists."""
    return TourSummary(slug=tour.slug, title=pick(tour.title, lang), summary=pick(tour.summary, lang),
                       status=cast(Status, tour.status), stop_count=len(tour.stops),
                       galleries=list(dict.fromkeys(s.gallery.slug for s in tour.stops)),
                       url=f"/api/v1/tours/{tour.slug}", page_url=f"/t/{tour.slug}")


def stop_view(viewpoint: dict[str, Any] | None) -> StopView | None:
    """Describe where the camera stands at a tour's stop (None when the stop gives no viewpoint)."""
    return StopView(**viewpoint) if viewpoint else None


def era_of(era: Era, lang: str) -> EraReply:
    """Describe an era of the timeline."""
    return EraReply(slug=era.slug, title=pick(era.title, lang), summary=pick(era.summary, lang),
                    start_year=era.start_year, end_year=era.end_year, sample=era.sample)


def event_of(event: TimelineEvent, lang: str, exhibits: list[Exhibit]) -> EventReply:
    """Describe a timeline event with its linked (visible) exhibits."""
    return EventReply(
        **_event_ref_fields(event, lang),
        year=event.year,
        month=event.month,
        day=event.day,
        era=event.era.slug if event.era else None,
        body=pick(event.body, lang),
        image_url=asset_url(event.image_asset),
        exhibits=[EventExhibit(slug=e.slug, title=pick(e.title, lang), page_url=f"/e/{e.slug}") for e in exhibits],
        page_url=f"/timeline#{event.slug}",
    )
