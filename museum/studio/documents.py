"""Each kind of curated content as one JSON document: what the studio reads, saves, snapshots and reverts.

A document holds the content's own fields and its parts (an exhibit's hotspots, a gallery's placements, doors and
spawn points, a tour's stops), so one version number guards all of it and one revision restores all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core import payloads
from museum.core.errors import Conflict, Unprocessable
from museum.core.i18n import missing_langs
from museum.models import (
    Asset,
    Door,
    Era,
    Exhibit,
    ExhibitMedia,
    ExhibitTag,
    Gallery,
    Hotspot,
    PhotoTemplate,
    Placement,
    Rights,
    SoundZone,
    TimelineEvent,
    Tour,
    TourStop,
)
from museum.studio import document_payloads as dp
from museum.studio.document_payloads import Document

# Fields every document carries that the server alone sets; a client may send them back and they are ignored.
READ_ONLY = frozenset({"id", "kind", "status", "version", "created_at", "updated_at", "published_at", "untranslated",
                       "live"})
FIELD_CODE = "invalid_field"  # the code of a value the document's model refuses (unless the model names another)


def fail(pointer: str, message: str, code: str = FIELD_CODE) -> Unprocessable:
    """Return the 422 for one field."""
    return Unprocessable(message, code=code, pointer=pointer)


def _ref(session: Session, model: Any, ident: int | None, pointer: str) -> int | None:
    """Return the id of an existing row, or None; refuse an id that names nothing."""
    if ident is not None and session.get(model, ident) is None:
        raise fail(pointer, f"No {model.__name__.lower()} with id {ident}.", "unknown_reference")
    return ident


def _asset(session: Session, ident: int | None, pointer: str, kind: str) -> int | None:
    """Return the id of an existing asset of one kind (model, image, audio, captions), or None."""
    if _ref(session, Asset, ident, pointer) is not None:
        asset = session.get(Asset, ident)
        if asset is not None and asset.kind != kind:
            raise fail(pointer, f"Asset {ident} is a {asset.kind} file; a {kind} file is needed here.", "wrong_kind")
    return ident


def _text(value: Mapping[Any, str | None] | None) -> dict[str, str]:
    """Return a text as stored: the languages that say something."""
    return {lang: text for lang, text in (value or {}).items() if text}


def _copy(row: Any, doc: Document, *names: str) -> None:
    """Write the fields a document gives that need no more checking than its model's into the row."""
    for name in names:
        if name in doc.model_fields_set:
            setattr(row, name, getattr(doc, name))


def _untranslated(row: Any, names: tuple[str, ...]) -> dict[str, list[str]]:
    return {name: missing for name in names if (missing := missing_langs(getattr(row, name)))}


@dataclass(frozen=True)
class Kind:
    """One kind of curated content: its model, URL name, text fields, document, and how to read and write it."""

    name: str  # in URLs: /api/v1/studio/<name>
    model: Any
    texts: tuple[str, ...]
    document: type[Document]
    dump_fields: Callable[[Any], dict[str, Any]]
    load_fields: Callable[[Session, Any, Any], None]
    parts_untranslated: Callable[[Any], dict[str, Any]] = lambda row: {}

    @property
    def target_type(self) -> str:
        """Return the name used in revisions and the audit log."""
        return str(self.model.__tablename__)

    def dump(self, row: Any) -> dict[str, Any]:
        """Return the full document of a row."""
        doc = {"id": row.id, "kind": self.name, "slug": row.slug, "status": row.status, "version": row.version,
               "updated_at": row.updated_at.isoformat() if row.updated_at else None,
               "published_at": row.published_at.isoformat() if row.published_at else None}
        doc.update(self.dump_fields(row))
        doc["untranslated"] = {**_untranslated(row, self.texts), **self.parts_untranslated(row)}
        return doc

    def snapshot(self, row: Any) -> dict[str, Any]:
        """Return what a revision keeps: the document without the server's bookkeeping."""
        return {k: v for k, v in self.dump(row).items() if k not in READ_ONLY}

    def read(self, data: Any) -> Document:
        """Return a document (or part of one) as its model reads it, or raise the 422 naming the field at fault."""
        return payloads.validate(self.document, data, FIELD_CODE)

    def load(self, session: Session, row: Any, data: Any) -> None:
        """Check a document (or part of one) and write what it gives into a row; fields left out are kept."""
        doc = data if isinstance(data, Document) else self.read(data)
        given = doc.model_fields_set
        if "slug" in given:
            if doc.slug is None:
                raise fail("/slug", "A slug is 1-120 lower-case letters, digits or hyphens, e.g. heart-model.")
            clash = session.scalar(select(self.model).where(self.model.slug == doc.slug, self.model.id != row.id))
            if clash is not None:
                raise Conflict(f"Another {self.target_type[:-1]} has the slug {doc.slug!r}.", code="slug_taken",
                               pointer="/slug")
            row.slug = doc.slug
        for name in self.texts:
            if name in given:
                setattr(row, name, _text(getattr(doc, name)))
        self.load_fields(session, row, doc)


# --- exhibits -------------------------------------------------------------------------------------------------

def _dump_hotspot(h: Hotspot) -> dict[str, Any]:
    return {"id": h.id, "slug": h.slug, "kind": h.kind, "anchor": list(h.anchor), "radius_m": h.radius_m,
            "title": h.title, "text": h.text, "image_asset_id": h.image_asset_id, "image_alt": h.image_alt,
            "image_credit": h.image_credit, "audio_asset_id": h.audio_asset_id,
            "captions_asset_id": h.captions_asset_id}


def _dump_exhibit(e: Exhibit) -> dict[str, Any]:
    return {"title": e.title, "summary": e.summary, "body": e.body, "object_date": e.object_date,
            "narration_text": e.narration_text, "sample": e.sample, "model_asset_id": e.model_asset_id,
            "era_id": e.era_id, "rights_id": e.rights_id, "real_height_m": e.real_height_m,
            "triangle_budget": e.triangle_budget, "tags": [t.tag for t in e.tags],
            "hotspots": [_dump_hotspot(h) for h in e.hotspots],
            "media": [{"id": m.id, "asset_id": m.asset_id, "role": m.role, "lang": m.lang, "caption": m.caption,
                       "alt": m.alt, "credit": m.credit, "synthetic": m.synthetic} for m in e.media]}


# What each role of an exhibit's media is (the kind of file it takes): `captions` go with the narration of their
# language, `film_captions` with the film.
MEDIA_ROLES = {"image": "image", "audio": "audio", "captions": "captions", "film": "video",
               "film_captions": "captions"}
_MEDIA_ROLE_OF_KIND = {"video": "film"}


def _load_media(session: Session, e: Exhibit, parts: list[dp.MediaPart]) -> None:
    """Replace the exhibit's pictures, audio, captions and film (a role must match its asset's kind)."""
    existing = {m.id: m for m in e.media}
    kept: list[ExhibitMedia] = []
    seen: set[tuple[str, str | None]] = set()
    for i, item in enumerate(parts):
        at = f"/media/{i}"
        media = existing.get(item.id or 0) or ExhibitMedia()
        asset_id = _ref(session, Asset, item.asset_id, f"{at}/asset_id")
        asset = session.get(Asset, asset_id) if asset_id is not None else None
        if asset is None:
            raise fail(f"{at}/asset_id", "Choose or upload the file.", "required")
        media.role = item.role or _MEDIA_ROLE_OF_KIND.get(asset.kind, asset.kind)
        if media.role not in MEDIA_ROLES:
            raise fail(f"{at}/role", f"Expected one of {', '.join(MEDIA_ROLES)}.")
        if MEDIA_ROLES[media.role] != asset.kind:
            raise fail(f"{at}/asset_id", f"Asset {asset_id} is a {asset.kind} file; {media.role} takes a "
                                         f"{MEDIA_ROLES[media.role]} file.", "wrong_kind")
        media.asset_id = asset.id
        media.lang = item.lang or None
        if media.role == "film_captions" and media.lang is None:
            raise fail(f"{at}/lang", "Say which language these film captions are in.", "required")
        once = (media.role, media.lang if media.role == "film_captions" else None)
        if media.role in ("film", "film_captions") and once in seen:
            raise fail(f"{at}/role", "An exhibit shows one film, with one caption track per language.", "duplicate")
        seen.add(once)
        media.caption, media.alt, media.credit = _text(item.caption), _text(item.alt), _text(item.credit)
        media.synthetic = item.synthetic
        media.position = i
        kept.append(media)
    e.media = kept


def _load_hotspots(session: Session, e: Exhibit, parts: list[dp.HotspotPart]) -> None:
    existing = {h.id: h for h in e.hotspots}
    kept: list[Hotspot] = []
    seen: set[str] = set()
    for i, item in enumerate(parts):
        at = f"/hotspots/{i}"
        hotspot = existing.get(item.id or 0) or Hotspot()
        if item.slug in seen:
            raise fail(f"{at}/slug", f"Two hotspots are called {item.slug!r}.", "duplicate")
        seen.add(item.slug)
        hotspot.slug, hotspot.kind, hotspot.anchor, hotspot.radius_m = item.slug, item.kind, item.anchor, item.radius_m
        hotspot.title, hotspot.text = _text(item.title), _text(item.text)
        hotspot.image_asset_id = _asset(session, item.image_asset_id, f"{at}/image_asset_id", "image")
        hotspot.image_alt, hotspot.image_credit = _text(item.image_alt), _text(item.image_credit)
        hotspot.audio_asset_id = _asset(session, item.audio_asset_id, f"{at}/audio_asset_id", "audio")
        hotspot.captions_asset_id = _asset(session, item.captions_asset_id, f"{at}/captions_asset_id", "captions")
        hotspot.position = i
        kept.append(hotspot)
    e.hotspots = kept


def _load_exhibit(session: Session, e: Exhibit, doc: dp.ExhibitDocument) -> None:
    given = doc.model_fields_set
    for name in ("object_date", "narration_text"):
        if name in given:
            setattr(e, name, _text(getattr(doc, name)))
    _copy(e, doc, "sample", "real_height_m", "triangle_budget")
    if "model_asset_id" in given:
        e.model_asset_id = _asset(session, doc.model_asset_id, "/model_asset_id", "model")
    if "era_id" in given:
        e.era_id = _ref(session, Era, doc.era_id, "/era_id")
    if "rights_id" in given:
        e.rights_id = _ref(session, Rights, doc.rights_id, "/rights_id")
    if "tags" in given:
        current = {t.tag: t for t in e.tags}
        tags = {tag.strip().lower() for tag in doc.tags or []}
        e.tags = [current.get(tag) or ExhibitTag(tag=tag) for tag in sorted(tags) if tag]
    if "hotspots" in given:
        _load_hotspots(session, e, doc.hotspots or [])
    if "media" in given:
        _load_media(session, e, doc.media or [])


def _exhibit_parts(e: Exhibit) -> dict[str, Any]:
    return {f"hotspots/{i}/{name}": missing for i, h in enumerate(e.hotspots)
            for name in ("title", "text") if (missing := missing_langs(getattr(h, name)))}


# --- galleries ------------------------------------------------------------------------------------------------

def _dump_gallery(g: Gallery) -> dict[str, Any]:
    return {
        "title": g.title, "summary": g.summary, "room_asset_id": g.room_asset_id, "lighting": g.lighting,
        "size_m": list(g.size_m or []), "floor": [list(p) for p in g.floor or []], "spawns": list(g.spawns or []),
        "position": g.position,
        "placements": [{"id": p.id, "exhibit_id": p.exhibit_id, "translation": list(p.translation),
                        "rotation_deg": list(p.rotation_deg), "scale": p.scale, "target_size_m": p.target_size_m,
                        "mount": p.mount, "label": p.label, "plinth": p.plinth} for p in g.placements],
        "doors": [{"id": d.id, "to_gallery_id": d.to_gallery_id, "translation": list(d.translation),
                   "yaw_deg": d.yaw_deg, "width_m": d.width_m, "height_m": d.height_m, "label": d.label}
                  for d in g.doors],
        "sounds": [{"id": z.id, "kind": z.kind, "asset_id": z.asset_id, "translation": list(z.translation),
                    "radius_m": z.radius_m, "volume": z.volume, "title": z.title} for z in g.sounds],
    }


def _load_placements(session: Session, g: Gallery, parts: list[dp.PlacementPart]) -> None:
    existing = {p.id: p for p in g.placements}
    kept: list[Placement] = []
    for i, item in enumerate(parts):
        at = f"/placements/{i}"
        placement = existing.get(item.id or 0) or Placement()
        exhibit_id = _ref(session, Exhibit, item.exhibit_id, f"{at}/exhibit_id")
        if exhibit_id is None:
            raise fail(f"{at}/exhibit_id", "A placement names the exhibit it shows.", "required")
        placement.exhibit_id = exhibit_id
        placement.translation, placement.rotation_deg = item.translation, item.rotation_deg
        placement.scale, placement.target_size_m, placement.mount = item.scale, item.target_size_m, item.mount
        placement.label = _text(item.label)
        placement.plinth = _plinth(item.plinth)
        placement.position = i
        kept.append(placement)
    g.placements = kept


def _plinth(plinth: dp.Plinth | None) -> dict[str, Any] | None:
    """Return a placement's plinth as stored ({width_m, depth_m, height_m, case_height_m, finish}), or None."""
    if plinth is None:
        return None
    return {"width_m": plinth.width_m, "depth_m": plinth.depth_m, "height_m": plinth.height_m,
            "case_height_m": plinth.case_height_m or 0.0, "finish": plinth.finish}


def _load_doors(session: Session, g: Gallery, parts: list[dp.DoorPart]) -> None:
    existing = {d.id: d for d in g.doors}
    kept: list[Door] = []
    for i, item in enumerate(parts):
        at = f"/doors/{i}"
        door = existing.get(item.id or 0) or Door()
        target = _ref(session, Gallery, item.to_gallery_id, f"{at}/to_gallery_id")
        if target is None or target == g.id:
            raise fail(f"{at}/to_gallery_id", "A door leads to another gallery.", "required")
        door.to_gallery_id = target
        door.translation, door.yaw_deg = item.translation, item.yaw_deg
        door.width_m, door.height_m, door.label = item.width_m, item.height_m, _text(item.label)
        kept.append(door)
    g.doors = kept


def _load_sounds(session: Session, g: Gallery, parts: list[dp.SoundPart]) -> None:
    """Replace the gallery's sound zones: each an audio file, where it sounds from and how far it carries."""
    existing = {z.id: z for z in g.sounds}
    kept: list[SoundZone] = []
    for i, item in enumerate(parts):
        at = f"/sounds/{i}"
        zone = existing.get(item.id or 0) or SoundZone()
        asset_id = _asset(session, item.asset_id, f"{at}/asset_id", "audio")
        if asset_id is None:
            raise fail(f"{at}/asset_id", "Choose or upload the sound (.mp3, .ogg, .m4a or .wav).", "required")
        zone.asset_id, zone.kind, zone.translation = asset_id, item.kind, item.translation
        zone.radius_m, zone.volume, zone.title = item.radius_m, item.volume, _text(item.title)
        zone.position = i
        kept.append(zone)
    g.sounds = kept


def _load_gallery(session: Session, g: Gallery, doc: dp.GalleryDocument | dp.LayoutDraft) -> None:
    given = doc.model_fields_set
    if isinstance(doc, dp.GalleryDocument):
        if "room_asset_id" in given:
            g.room_asset_id = _asset(session, doc.room_asset_id, "/room_asset_id", "model")
        _copy(g, doc, "lighting", "position")
        if "size_m" in given:
            g.size_m = doc.size_m or []
        if "floor" in given:
            g.floor = doc.floor or []
    if "spawns" in given:
        g.spawns = [spawn.model_dump(exclude_none=True) for spawn in doc.spawns or []]
    if not g.floor and g.size_m:
        # A curator who gives only the room's size gets a walkable floor filling it (centred on the origin).
        half_w, half_d = g.size_m[0] / 2, g.size_m[2] / 2
        g.floor = [[-half_w, -half_d], [half_w, -half_d], [half_w, half_d], [-half_w, half_d]]
    if "placements" in given:
        _load_placements(session, g, doc.placements or [])
    if "doors" in given:
        _load_doors(session, g, doc.doors or [])
    if "sounds" in given:
        _load_sounds(session, g, doc.sounds or [])


def load_layout(session: Session, g: Gallery, draft: dp.LayoutDraft) -> None:
    """Write the placement editor's placements, doors, start points and sounds into a gallery (to check them)."""
    _load_gallery(session, g, draft)


def _gallery_parts(g: Gallery) -> dict[str, Any]:
    return {f"placements/{i}/label": missing for i, p in enumerate(g.placements)
            if p.label and (missing := missing_langs(p.label))}


# --- timeline -------------------------------------------------------------------------------------------------

def _dump_era(e: Era) -> dict[str, Any]:
    return {"title": e.title, "summary": e.summary, "start_year": e.start_year, "end_year": e.end_year,
            "sample": e.sample, "position": e.position}


def _load_era(session: Session, e: Era, doc: dp.EraDocument) -> None:
    given = doc.model_fields_set
    if "start_year" in given:
        e.start_year = doc.start_year
    elif e.start_year is None:
        raise fail("/start_year", "An era gives the year it starts.", "required")
    if "end_year" in given:
        if doc.end_year is not None and doc.end_year < e.start_year:
            raise fail("/end_year", f"An era ends in or after the year it starts ({e.start_year}).", "out_of_range")
        e.end_year = doc.end_year
    _copy(e, doc, "sample", "position")


def _dump_event(ev: TimelineEvent) -> dict[str, Any]:
    return {"title": ev.title, "body": ev.body, "era_id": ev.era_id, "year": ev.year, "month": ev.month,
            "day": ev.day, "sample": ev.sample, "image_asset_id": ev.image_asset_id, "source": ev.source,
            "exhibit_ids": [x.id for x in ev.exhibits]}


def _load_event(session: Session, ev: TimelineEvent, doc: dp.EventDocument) -> None:
    given = doc.model_fields_set
    if "year" in given:
        ev.year = doc.year
    elif ev.year is None:
        raise fail("/year", "An event gives its year.", "required")
    _copy(ev, doc, "month", "day", "sample")
    if ev.day is not None and ev.month is None:
        raise fail("/day", "A day needs a month.")
    if "era_id" in given:
        ev.era_id = _ref(session, Era, doc.era_id, "/era_id")
    if "image_asset_id" in given:
        ev.image_asset_id = _asset(session, doc.image_asset_id, "/image_asset_id", "image")
    if "source" in given:
        ev.source = doc.source or ""
    if "exhibit_ids" in given:
        ids = [_ref(session, Exhibit, x, f"/exhibit_ids/{i}") for i, x in enumerate(doc.exhibit_ids or [])]
        ev.exhibits = [session.get(Exhibit, i) for i in dict.fromkeys(ids) if i is not None]  # type: ignore[misc]


# --- tours ----------------------------------------------------------------------------------------------------

def _dump_tour(t: Tour) -> dict[str, Any]:
    return {"title": t.title, "summary": t.summary,
            "stops": [{"id": s.id, "gallery_id": s.gallery_id, "exhibit_id": s.exhibit_id,
                       "hotspot_id": s.hotspot_id, "viewpoint": s.viewpoint, "title": s.title, "text": s.text,
                       "narration": s.narration, "narration_asset_id": s.narration_asset_id,
                       "captions_asset_id": s.captions_asset_id, "duration_s": s.duration_s} for s in t.stops]}


def _load_tour(session: Session, t: Tour, doc: dp.TourDocument) -> None:
    if "stops" not in doc.model_fields_set:
        return
    existing = {s.id: s for s in t.stops}
    kept: list[TourStop] = []
    for i, item in enumerate(doc.stops or []):
        at = f"/stops/{i}"
        stop = existing.get(item.id or 0) or TourStop()
        gallery_id = _ref(session, Gallery, item.gallery_id, f"{at}/gallery_id")
        if gallery_id is None:
            raise fail(f"{at}/gallery_id", "A stop is in a gallery.", "required")
        stop.gallery_id = gallery_id
        stop.exhibit_id = _ref(session, Exhibit, item.exhibit_id, f"{at}/exhibit_id")
        stop.hotspot_id = _ref(session, Hotspot, item.hotspot_id, f"{at}/hotspot_id")
        stop.viewpoint = item.viewpoint.model_dump(exclude_none=True) if item.viewpoint else {}
        stop.title, stop.text, stop.narration = _text(item.title), _text(item.text), _text(item.narration)
        stop.narration_asset_id = _asset(session, item.narration_asset_id, f"{at}/narration_asset_id", "audio")
        stop.captions_asset_id = _asset(session, item.captions_asset_id, f"{at}/captions_asset_id", "captions")
        stop.duration_s = item.duration_s
        stop.position = i
        kept.append(stop)
    t.stops = kept


def _tour_parts(t: Tour) -> dict[str, Any]:
    return {f"stops/{i}/{name}": missing for i, s in enumerate(t.stops)
            for name in ("title", "text") if (missing := missing_langs(getattr(s, name)))}


# --- photo templates ------------------------------------------------------------------------------------------

def _dump_template(p: PhotoTemplate) -> dict[str, Any]:
    return {"title": p.title, "caption": p.caption, "frame_sha256": p.frame_sha256, "spec": p.spec}


def _load_template(session: Session, p: PhotoTemplate, doc: dp.PhotoTemplateDocument) -> None:
    _copy(p, doc, "frame_sha256", "spec")


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("exhibits", Exhibit, ("title", "summary", "body"), dp.ExhibitDocument, _dump_exhibit, _load_exhibit,
         _exhibit_parts),
    Kind("galleries", Gallery, ("title", "summary"), dp.GalleryDocument, _dump_gallery, _load_gallery,
         _gallery_parts),
    Kind("eras", Era, ("title", "summary"), dp.EraDocument, _dump_era, _load_era),
    Kind("events", TimelineEvent, ("title", "body"), dp.EventDocument, _dump_event, _load_event),
    Kind("tours", Tour, ("title", "summary"), dp.TourDocument, _dump_tour, _load_tour, _tour_parts),
    Kind("photo-templates", PhotoTemplate, ("title", "caption"), dp.PhotoTemplateDocument, _dump_template,
         _load_template),
)}
KIND_BY_TYPE = {k.target_type: k for k in KINDS.values()}
