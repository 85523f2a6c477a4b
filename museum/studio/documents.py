"""Each kind of curated content as one JSON document: what the studio reads, saves, snapshots and reverts.

A document holds the content's own fields and its parts (an exhibit's hotspots, a gallery's placements, doors and
spawn points, a tour's stops), so one version number guards all of it and one revision restores all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.bounds import MAX_INT
from museum.core.errors import Conflict
from museum.core.i18n import LANGS, missing_langs
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
    SoundZone,
    TimelineEvent,
    Tour,
    TourStop,
)
from museum.studio import fields as f
from scenes.plinth import FINISHES as PLINTH_FINISHES
from scenes.plinth import LIMITS as PLINTH_LIMITS

# Fields every document carries that the server alone sets; a client may send them back and they are ignored.
READ_ONLY = frozenset({"id", "kind", "status", "version", "created_at", "updated_at", "published_at", "untranslated",
                       "live"})
MOUNTS = ("pedestal", "wall", "floor", "showcase")
LIGHTING = ("warm", "gallery", "cool")


def _ref(session: Session, model: Any, value: Any, pointer: str) -> int | None:
    """Return the id of an existing row, or None; refuse an id that names nothing."""
    if value is None:
        return None
    ident = f.integer(value, pointer, 1, MAX_INT)
    if session.get(model, ident) is None:
        raise f.fail(pointer, f"No {model.__name__.lower()} with id {ident}.", "unknown_reference")
    return ident


def _asset(session: Session, value: Any, pointer: str, kind: str) -> int | None:
    """Return the id of an existing asset of one kind (model, image, audio, captions), or None."""
    ident = _ref(session, Asset, value, pointer)
    if ident is not None:
        asset = session.get(Asset, ident)
        if asset is not None and asset.kind != kind:
            raise f.fail(pointer, f"Asset {ident} is a {asset.kind} file; a {kind} file is needed here.", "wrong_kind")
    return ident


def _id(item: dict[str, Any]) -> int:
    """Return the id a part of a document claims (0 for a new part)."""
    value = item.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _untranslated(row: Any, names: tuple[str, ...]) -> dict[str, list[str]]:
    return {name: missing for name in names if (missing := missing_langs(getattr(row, name)))}


@dataclass(frozen=True)
class Kind:
    """One kind of curated content: its model, URL name, text fields, and how to read and write its document."""

    name: str  # in URLs: /api/v1/studio/<name>
    model: Any
    texts: tuple[str, ...]
    dump_fields: Callable[[Any], dict[str, Any]]
    load_fields: Callable[[Session, Any, dict[str, Any]], None]
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

    def load(self, session: Session, row: Any, data: dict[str, Any]) -> None:
        """Check a document (or part of one) and write it into a row; refuse unknown fields."""
        allowed = set(self.dump_fields(row)) | {"slug"}
        for key in data:
            if key not in allowed and key not in READ_ONLY:
                raise f.fail(f"/{key}", f"{self.name} have no field {key!r}.", "unknown_field")
        if "slug" in data:
            slug = f.slug(data["slug"], "/slug")
            clash = session.scalar(select(self.model).where(self.model.slug == slug, self.model.id != row.id))
            if clash is not None:
                raise Conflict(f"Another {self.target_type[:-1]} has the slug {slug!r}.", code="slug_taken",
                               pointer="/slug")
            row.slug = slug
        for name in self.texts:
            if name in data:
                setattr(row, name, f.text(data[name], f"/{name}"))
        self.load_fields(session, row, {k: v for k, v in data.items() if k not in self.texts})


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


def _load_media(session: Session, e: Exhibit, value: Any) -> None:
    """Replace the exhibit's pictures, audio, captions and film (a role must match its asset's kind)."""
    existing = {m.id: m for m in e.media}
    kept: list[ExhibitMedia] = []
    seen: set[tuple[str, str | None]] = set()
    for i, raw in enumerate(f.items(value, "/media", 50)):
        at = f"/media/{i}"
        item = f.mapping(raw, at)
        media = existing.get(_id(item)) or ExhibitMedia()
        asset_id = _ref(session, Asset, item.get("asset_id"), f"{at}/asset_id")
        asset = session.get(Asset, asset_id) if asset_id is not None else None
        if asset is None:
            raise f.fail(f"{at}/asset_id", "Choose or upload the file.", "required")
        role = _MEDIA_ROLE_OF_KIND.get(asset.kind, asset.kind) if item.get("role") in (None, "") else item["role"]
        media.role = f.choice(role, f"{at}/role", tuple(MEDIA_ROLES))
        if MEDIA_ROLES[media.role] != asset.kind:
            raise f.fail(f"{at}/asset_id", f"Asset {asset_id} is a {asset.kind} file; {media.role} takes a "
                                           f"{MEDIA_ROLES[media.role]} file.", "wrong_kind")
        media.asset_id = asset.id
        lang = item.get("lang")
        media.lang = None if lang in (None, "") else f.choice(lang, f"{at}/lang", LANGS)
        if media.role == "film_captions" and media.lang is None:
            raise f.fail(f"{at}/lang", "Say which language these film captions are in.", "required")
        once = (media.role, media.lang if media.role == "film_captions" else None)
        if media.role in ("film", "film_captions") and once in seen:
            raise f.fail(f"{at}/role", "An exhibit shows one film, with one caption track per language.", "duplicate")
        seen.add(once)
        media.caption = f.text(item.get("caption"), f"{at}/caption")
        media.alt = f.text(item.get("alt"), f"{at}/alt")
        media.credit = f.text(item.get("credit"), f"{at}/credit")
        media.synthetic = f.boolean(item.get("synthetic", False), f"{at}/synthetic")
        media.position = i
        kept.append(media)
    e.media = kept


def _load_hotspots(session: Session, e: Exhibit, value: Any) -> None:
    existing = {h.id: h for h in e.hotspots}
    kept: list[Hotspot] = []
    seen: set[str] = set()
    for i, raw in enumerate(f.items(value, "/hotspots", 100)):
        at = f"/hotspots/{i}"
        item = f.mapping(raw, at)
        hotspot = existing.get(_id(item))
        hotspot = hotspot or Hotspot()
        hotspot.slug = f.slug(item.get("slug"), f"{at}/slug")
        if hotspot.slug in seen:
            raise f.fail(f"{at}/slug", f"Two hotspots are called {hotspot.slug!r}.", "duplicate")
        seen.add(hotspot.slug)
        hotspot.kind = f.choice(item.get("kind", "point"), f"{at}/kind", ("point", "volume"))
        hotspot.anchor = f.vector(item.get("anchor"), f"{at}/anchor", 3, 50.0)
        hotspot.radius_m = f.number(item.get("radius_m", 0.05), f"{at}/radius_m", 0.001, 10.0)
        hotspot.title = f.text(item.get("title"), f"{at}/title")
        hotspot.text = f.text(item.get("text"), f"{at}/text")
        hotspot.image_asset_id = _asset(session, item.get("image_asset_id"), f"{at}/image_asset_id", "image")
        hotspot.image_alt = f.text(item.get("image_alt"), f"{at}/image_alt")
        hotspot.image_credit = f.text(item.get("image_credit"), f"{at}/image_credit")
        hotspot.audio_asset_id = _asset(session, item.get("audio_asset_id"), f"{at}/audio_asset_id", "audio")
        hotspot.captions_asset_id = _asset(session, item.get("captions_asset_id"), f"{at}/captions_asset_id",
                                           "captions")
        hotspot.position = i
        kept.append(hotspot)
    e.hotspots = kept


def _load_exhibit(session: Session, e: Exhibit, data: dict[str, Any]) -> None:
    for name in ("object_date", "narration_text"):
        if name in data:
            setattr(e, name, f.text(data[name], f"/{name}"))
    if "sample" in data:
        e.sample = f.boolean(data["sample"], "/sample")
    if "model_asset_id" in data:
        e.model_asset_id = _asset(session, data["model_asset_id"], "/model_asset_id", "model")
    if "era_id" in data:
        e.era_id = _ref(session, Era, data["era_id"], "/era_id")
    if "rights_id" in data:
        from museum.models import Rights

        e.rights_id = _ref(session, Rights, data["rights_id"], "/rights_id")
    if "real_height_m" in data:
        e.real_height_m = f.optional_number(data["real_height_m"], "/real_height_m", 0.001, 100.0)
    if "triangle_budget" in data:
        e.triangle_budget = f.optional_integer(data["triangle_budget"], "/triangle_budget", 100, 10_000_000)
    if "tags" in data:
        tags = [f.string(t, f"/tags/{i}", 60).strip().lower() for i, t in enumerate(f.items(data["tags"], "/tags", 50))]
        current = {t.tag: t for t in e.tags}
        e.tags = [current.get(tag) or ExhibitTag(tag=tag) for tag in sorted({t for t in tags if t})]
    if "hotspots" in data:
        _load_hotspots(session, e, data["hotspots"])
    if "media" in data:
        _load_media(session, e, data["media"])


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


def _load_placements(session: Session, g: Gallery, value: Any) -> None:
    existing = {p.id: p for p in g.placements}
    kept: list[Placement] = []
    for i, raw in enumerate(f.items(value, "/placements", 300)):
        at = f"/placements/{i}"
        item = f.mapping(raw, at)
        placement = existing.get(_id(item))
        placement = placement or Placement()
        exhibit_id = _ref(session, Exhibit, item.get("exhibit_id"), f"{at}/exhibit_id")
        if exhibit_id is None:
            raise f.fail(f"{at}/exhibit_id", "A placement names the exhibit it shows.", "required")
        placement.exhibit_id = exhibit_id
        placement.translation = f.vector(item.get("translation", [0, 0, 0]), f"{at}/translation")
        placement.rotation_deg = f.vector(item.get("rotation_deg", [0, 0, 0]), f"{at}/rotation_deg", 3, 360.0)
        placement.scale = f.number(item.get("scale", 1.0), f"{at}/scale", 0.01, 100.0)
        placement.target_size_m = f.optional_number(item.get("target_size_m"), f"{at}/target_size_m", 0.01, 50.0)
        placement.mount = f.choice(item.get("mount", "floor"), f"{at}/mount", MOUNTS)
        placement.label = f.text(item.get("label"), f"{at}/label", 300)
        placement.plinth = _plinth(item.get("plinth"), f"{at}/plinth")
        placement.position = i
        kept.append(placement)
    g.placements = kept


def _plinth(value: Any, pointer: str) -> dict[str, Any] | None:
    """Return a placement's plinth as stored ({width_m, depth_m, height_m, case_height_m, finish}), or None."""
    if value is None:
        return None
    item = f.mapping(value, pointer)
    for key in item:
        if key not in PLINTH_LIMITS and key != "finish":
            raise f.fail(f"{pointer}/{key}", f"A plinth has no field {key!r}.", "unknown_field")
    out: dict[str, Any] = {}
    for key, (low, high) in PLINTH_LIMITS.items():
        if key == "case_height_m" and item.get(key) is None:
            out[key] = 0.0
            continue
        if key not in item:
            raise f.fail(f"{pointer}/{key}", f"A plinth gives its {key}.", "required")
        out[key] = f.number(item[key], f"{pointer}/{key}", low, high)
    out["finish"] = f.choice(item.get("finish", "walnut"), f"{pointer}/finish", tuple(PLINTH_FINISHES))
    return out


def _load_doors(session: Session, g: Gallery, value: Any) -> None:
    existing = {d.id: d for d in g.doors}
    kept: list[Door] = []
    for i, raw in enumerate(f.items(value, "/doors", 50)):
        at = f"/doors/{i}"
        item = f.mapping(raw, at)
        door = existing.get(_id(item))
        door = door or Door()
        target = _ref(session, Gallery, item.get("to_gallery_id"), f"{at}/to_gallery_id")
        if target is None or target == g.id:
            raise f.fail(f"{at}/to_gallery_id", "A door leads to another gallery.", "required")
        door.to_gallery_id = target
        door.translation = f.vector(item.get("translation", [0, 0, 0]), f"{at}/translation")
        door.yaw_deg = f.number(item.get("yaw_deg", 0.0), f"{at}/yaw_deg", -360.0, 360.0)
        door.width_m = f.number(item.get("width_m", 1.6), f"{at}/width_m", 0.5, 10.0)
        door.height_m = f.number(item.get("height_m", 2.4), f"{at}/height_m", 1.5, 10.0)
        door.label = f.text(item.get("label"), f"{at}/label", 300)
        kept.append(door)
    g.doors = kept


SOUND_KINDS = ("ambient", "spot")  # ambient: heard in the whole room; spot: within its radius, louder nearer


def _load_sounds(session: Session, g: Gallery, value: Any) -> None:
    """Replace the gallery's sound zones: each an audio file, where it sounds from and how far it carries."""
    existing = {z.id: z for z in g.sounds}
    kept: list[SoundZone] = []
    for i, raw in enumerate(f.items(value, "/sounds", 30)):
        at = f"/sounds/{i}"
        item = f.mapping(raw, at)
        for key in item:
            if key not in ("id", "kind", "asset_id", "translation", "radius_m", "volume", "title"):
                raise f.fail(f"{at}/{key}", f"A sound zone has no field {key!r}.", "unknown_field")
        zone = existing.get(_id(item)) or SoundZone()
        asset_id = _asset(session, item.get("asset_id"), f"{at}/asset_id", "audio")
        if asset_id is None:
            raise f.fail(f"{at}/asset_id", "Choose or upload the sound (.mp3, .ogg, .m4a or .wav).", "required")
        zone.asset_id = asset_id
        zone.kind = f.choice(item.get("kind", "spot"), f"{at}/kind", SOUND_KINDS)
        zone.translation = f.vector(item.get("translation", [0, 1.5, 0]), f"{at}/translation")
        zone.radius_m = f.number(item.get("radius_m", 4.0), f"{at}/radius_m", 0.5, 100.0)
        zone.volume = f.number(item.get("volume", 0.6), f"{at}/volume", 0.0, 1.0)
        zone.title = f.text(item.get("title"), f"{at}/title", 200)
        zone.position = i
        kept.append(zone)
    g.sounds = kept


def _load_gallery(session: Session, g: Gallery, data: dict[str, Any]) -> None:
    if "room_asset_id" in data:
        g.room_asset_id = _asset(session, data["room_asset_id"], "/room_asset_id", "model")
    if "lighting" in data:
        g.lighting = f.choice(data["lighting"], "/lighting", LIGHTING)
    if "size_m" in data:
        g.size_m = [] if data["size_m"] in (None, []) else f.vector(data["size_m"], "/size_m", 3, 1000.0)
    if "floor" in data:
        floor = f.items(data["floor"], "/floor", 200)
        if floor and len(floor) < 3:
            raise f.fail("/floor", "A floor is a polygon of at least 3 [x, z] points.")
        g.floor = [f.vector(p, f"/floor/{i}", 2) for i, p in enumerate(floor)]
    if "spawns" in data:
        spawns = []
        for i, raw in enumerate(f.items(data["spawns"], "/spawns", 20)):
            item = f.mapping(raw, f"/spawns/{i}")
            spawns.append({"position": f.vector(item.get("position"), f"/spawns/{i}/position"),
                           "yaw_deg": f.number(item.get("yaw_deg", 0), f"/spawns/{i}/yaw_deg", -360.0, 360.0)})
        g.spawns = spawns
    if "position" in data:
        g.position = f.integer(data["position"], "/position", 0, 10_000)
    if not g.floor and g.size_m:
        # A curator who gives only the room's size gets a walkable floor filling it (centred on the origin).
        half_w, half_d = g.size_m[0] / 2, g.size_m[2] / 2
        g.floor = [[-half_w, -half_d], [half_w, -half_d], [half_w, half_d], [-half_w, half_d]]
    if "placements" in data:
        _load_placements(session, g, data["placements"])
    if "doors" in data:
        _load_doors(session, g, data["doors"])
    if "sounds" in data:
        _load_sounds(session, g, data["sounds"])


def _gallery_parts(g: Gallery) -> dict[str, Any]:
    return {f"placements/{i}/label": missing for i, p in enumerate(g.placements)
            if p.label and (missing := missing_langs(p.label))}


# --- timeline -------------------------------------------------------------------------------------------------

def _dump_era(e: Era) -> dict[str, Any]:
    return {"title": e.title, "summary": e.summary, "start_year": e.start_year, "end_year": e.end_year,
            "sample": e.sample, "position": e.position}


def _load_era(session: Session, e: Era, data: dict[str, Any]) -> None:
    if "start_year" in data or e.start_year is None:
        e.start_year = f.integer(data.get("start_year"), "/start_year", 1000, 3000)
    if "end_year" in data:
        e.end_year = f.optional_integer(data["end_year"], "/end_year", e.start_year, 3000)
    if "sample" in data:
        e.sample = f.boolean(data["sample"], "/sample")
    if "position" in data:
        e.position = f.integer(data["position"], "/position", 0, 10_000)


def _dump_event(ev: TimelineEvent) -> dict[str, Any]:
    return {"title": ev.title, "body": ev.body, "era_id": ev.era_id, "year": ev.year, "month": ev.month,
            "day": ev.day, "sample": ev.sample, "image_asset_id": ev.image_asset_id, "source": ev.source,
            "exhibit_ids": [x.id for x in ev.exhibits]}


def _load_event(session: Session, ev: TimelineEvent, data: dict[str, Any]) -> None:
    if "year" in data or ev.year is None:
        ev.year = f.integer(data.get("year"), "/year", 1000, 3000)
    if "month" in data:
        ev.month = f.optional_integer(data["month"], "/month", 1, 12)
    if "day" in data:
        ev.day = f.optional_integer(data["day"], "/day", 1, 31)
    if ev.day is not None and ev.month is None:
        raise f.fail("/day", "A day needs a month.")
    if "era_id" in data:
        ev.era_id = _ref(session, Era, data["era_id"], "/era_id")
    if "image_asset_id" in data:
        ev.image_asset_id = _asset(session, data["image_asset_id"], "/image_asset_id", "image")
    if "sample" in data:
        ev.sample = f.boolean(data["sample"], "/sample")
    if "source" in data:
        ev.source = f.string(data["source"], "/source", 300)
    if "exhibit_ids" in data:
        ids = [_ref(session, Exhibit, x, f"/exhibit_ids/{i}")
               for i, x in enumerate(f.items(data["exhibit_ids"], "/exhibit_ids", 100))]
        ev.exhibits = [session.get(Exhibit, i) for i in dict.fromkeys(ids) if i is not None]  # type: ignore[misc]


# --- tours ----------------------------------------------------------------------------------------------------

def _dump_tour(t: Tour) -> dict[str, Any]:
    return {"title": t.title, "summary": t.summary,
            "stops": [{"id": s.id, "gallery_id": s.gallery_id, "exhibit_id": s.exhibit_id,
                       "hotspot_id": s.hotspot_id, "viewpoint": s.viewpoint, "title": s.title, "text": s.text,
                       "narration": s.narration, "narration_asset_id": s.narration_asset_id,
                       "captions_asset_id": s.captions_asset_id, "duration_s": s.duration_s} for s in t.stops]}


def _load_tour(session: Session, t: Tour, data: dict[str, Any]) -> None:
    if "stops" not in data:
        return
    existing = {s.id: s for s in t.stops}
    kept: list[TourStop] = []
    for i, raw in enumerate(f.items(data["stops"], "/stops", 200)):
        at = f"/stops/{i}"
        item = f.mapping(raw, at)
        stop = existing.get(_id(item))
        stop = stop or TourStop()
        gallery_id = _ref(session, Gallery, item.get("gallery_id"), f"{at}/gallery_id")
        if gallery_id is None:
            raise f.fail(f"{at}/gallery_id", "A stop is in a gallery.", "required")
        stop.gallery_id = gallery_id
        stop.exhibit_id = _ref(session, Exhibit, item.get("exhibit_id"), f"{at}/exhibit_id")
        stop.hotspot_id = _ref(session, Hotspot, item.get("hotspot_id"), f"{at}/hotspot_id")
        viewpoint = f.mapping(item.get("viewpoint") or {}, f"{at}/viewpoint")
        stop.viewpoint = {k: f.vector(viewpoint[k], f"{at}/viewpoint/{k}") for k in ("position", "target")
                          if k in viewpoint}
        stop.title = f.text(item.get("title"), f"{at}/title")
        stop.text = f.text(item.get("text"), f"{at}/text")
        stop.narration = f.text(item.get("narration"), f"{at}/narration")
        stop.narration_asset_id = _asset(session, item.get("narration_asset_id"), f"{at}/narration_asset_id", "audio")
        stop.captions_asset_id = _asset(session, item.get("captions_asset_id"), f"{at}/captions_asset_id", "captions")
        stop.duration_s = f.number(item.get("duration_s", 20.0), f"{at}/duration_s", 1.0, 3600.0)
        stop.position = i
        kept.append(stop)
    t.stops = kept


def _tour_parts(t: Tour) -> dict[str, Any]:
    return {f"stops/{i}/{name}": missing for i, s in enumerate(t.stops)
            for name in ("title", "text") if (missing := missing_langs(getattr(s, name)))}


# --- photo templates ------------------------------------------------------------------------------------------

def _dump_template(p: PhotoTemplate) -> dict[str, Any]:
    return {"title": p.title, "caption": p.caption, "frame_sha256": p.frame_sha256, "spec": p.spec}


def _load_template(session: Session, p: PhotoTemplate, data: dict[str, Any]) -> None:
    if "frame_sha256" in data:
        value = data["frame_sha256"]
        if value is not None and (not isinstance(value, str) or len(value) != 64):
            raise f.fail("/frame_sha256", "The frame is named by the SHA-256 (64 hex digits) of a stored image.")
        p.frame_sha256 = value
    if "spec" in data:
        p.spec = f.mapping(data["spec"], "/spec")


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("exhibits", Exhibit, ("title", "summary", "body"), _dump_exhibit, _load_exhibit, _exhibit_parts),
    Kind("galleries", Gallery, ("title", "summary"), _dump_gallery, _load_gallery, _gallery_parts),
    Kind("eras", Era, ("title", "summary"), _dump_era, _load_era),
    Kind("events", TimelineEvent, ("title", "body"), _dump_event, _load_event),
    Kind("tours", Tour, ("title", "summary"), _dump_tour, _load_tour, _tour_parts),
    Kind("photo-templates", PhotoTemplate, ("title", "caption"), _dump_template, _load_template),
)}
KIND_BY_TYPE = {k.target_type: k for k in KINDS.values()}
