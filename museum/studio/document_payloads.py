"""Each kind's studio document declared once: what a curator may send, what the studio answers, and its schema.

A document is a piece of content's own fields and its parts (an exhibit's hotspots and files, a gallery's
placements, doors, start points and sounds, a tour's stops). The models check every value's shape, range and
language here; `museum.studio.documents` then checks what only the database knows (that an id names a row of the
right kind) and writes the row. Every field may be left out of a save (it is then kept as it is), and the fields
the server alone sets (`id`, `version`, `status`, ...) may be sent back as they were read: they are ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from annotated_types import Len, MaxLen
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from museum.core.bounds import MAX_INT
from museum.core.i18n import Lang
from museum.core.payloads import Request
from scenes.plinth import LIMITS as PLINTH_LIMITS

MAX_COORD_M = 500.0
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,119}$"

# The default of a field that has no null: left out of a save, it keeps its value (it is never read then).
ABSENT: Any = None

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Mount = Literal["pedestal", "wall", "floor", "showcase"]
Lighting = Literal["warm", "gallery", "cool"]
SoundKind = Literal["ambient", "spot"]  # ambient: heard in the whole room; spot: within its radius, louder nearer
# What a file is used as ("": as its kind says, a video being the film).
MediaRole = Literal["", "image", "audio", "captions", "film", "film_captions"]
LangOrNone = Literal["", "zh-Hans", "zh-Hant", "en"]
Finish = Literal["walnut", "white"]  # the keys of scenes.plinth.FINISHES


def _kept_languages(text: dict[str, str | None] | None) -> dict[str, str]:
    """Keep the languages that say something: a blank or null translation is a missing one."""
    return {lang: value for lang, value in (text or {}).items() if value is not None and value.strip()}


def _about_text(max_len: int) -> Any:
    return Field(description=f"A text per language (at most {max_len} characters each); a missing, empty or null "
                             "language is untranslated")


def _within(low: float, high: float) -> Any:
    """Return the bounds of a finite number."""
    return Field(ge=low, le=high, allow_inf_nan=False)


Text = Annotated[dict[Lang, Annotated[str, MaxLen(20000)] | None] | None, AfterValidator(_kept_languages),
                 _about_text(20000)]
Label = Annotated[dict[Lang, Annotated[str, MaxLen(300)] | None] | None, AfterValidator(_kept_languages),
                  _about_text(300)]
Title = Annotated[dict[Lang, Annotated[str, MaxLen(200)] | None] | None, AfterValidator(_kept_languages),
                  _about_text(200)]
Coord = Annotated[float, _within(-MAX_COORD_M, MAX_COORD_M)]
Vec3 = Annotated[list[Coord], Len(3, 3)]
Vec2 = Annotated[list[Coord], Len(2, 2)]
Yaw = Annotated[float, _within(-360.0, 360.0)]
Tag = Annotated[str, MaxLen(60)]
Angles = Annotated[list[Annotated[float, _within(-360.0, 360.0)]], Len(3, 3)]
Anchor = Annotated[list[Annotated[float, _within(-50.0, 50.0)]], Len(3, 3)]  # on a model, in its metres


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _three_or_none(size: list[float] | None) -> list[float]:
    if size and len(size) != 3:
        raise ValueError("a room's size is [width, height, depth] in metres, or empty")
    return size or []


def _polygon(floor: list[list[float]] | None) -> list[list[float]]:
    if floor and len(floor) < 3:
        raise ValueError("a floor is a polygon of at least 3 [x, z] points")
    return floor or []


Version = Annotated[int, Field(ge=1, le=MAX_INT), BeforeValidator(_whole)]  # JSON has one number: 3.0 is 3


class Versioned(Request):
    """A delete or a revert: only the version it is based on (or none, with If-Match)."""

    version: Version = Field(ABSENT, description="The version the change is based on (or send If-Match)")


class Part(Request):
    """A part of a document: sent back with its `id` it is changed, without one it is new."""

    id: Id | None = Field(None, description="The part's id as read (none for a new part)")


class Document(Request):
    """What every document carries: the slug, and the fields the server sets (ignored when sent)."""

    error_codes: ClassVar[dict[str, str]] = {
        "missing": "required", "greater_than_equal": "out_of_range", "less_than_equal": "out_of_range"}

    slug: Slug | None = Field(None, description="The name in links, e.g. heart-model")
    id: Id | None = Field(None, description="Set by the server")
    kind: str | None = Field(None, description="Set by the server: the kind's name in URLs")
    status: Literal["draft", "review", "published"] | None = Field(
        None, description="Set by the server: where the content is in the workflow (its pending changes' state "
                          "for published content being edited)")
    version: Version = Field(
        ABSENT, description="The version a change is based on (or send If-Match); the server's current one when read")
    created_at: str | None = Field(None, description="Set by the server")
    updated_at: str | None = Field(None, description="Set by the server")
    published_at: str | None = Field(None, description="Set by the server")
    untranslated: dict[str, list[Lang]] | None = Field(
        None, description="Set by the server: the texts still missing a language, by field path")
    live: bool | None = Field(None, description="Set by the server: whether visitors see this content")


# --- exhibits -------------------------------------------------------------------------------------------------

class HotspotPart(Part):
    """A point (or volume) on an exhibit's model that tells something when opened."""

    slug: Slug
    kind: Literal["point", "volume"] = "point"
    anchor: Anchor = Field(description="Where on the model, in the model's metres")
    radius_m: Annotated[float, _within(0.001, 10.0)] = 0.05
    title: Text = None
    text: Text = None
    image_asset_id: Id | None = Field(None, description="An image asset")
    image_alt: Text = None
    image_credit: Text = None
    audio_asset_id: Id | None = Field(None, description="An audio asset")
    captions_asset_id: Id | None = Field(None, description="A captions (WebVTT) asset")


class MediaPart(Part):
    """A file shown with an exhibit: a picture, narration audio and its captions, a film and its captions."""

    asset_id: Id | None = Field(description="The file (an asset whose kind the role takes)")
    role: MediaRole | None = Field(None, description="What the file is used as; empty: as its kind says (a video "
                                                     "is the film)")
    lang: LangOrNone | None = Field(None, description="The language of audio or captions; film captions need one")
    caption: Text = None
    alt: Text = None
    credit: Text = None
    synthetic: bool = Field(False, description="Made by a speech synthesizer (said to visitors)")


class ExhibitDocument(Document):
    """An exhibit: its texts, its model, its era, its hotspots and its files."""

    title: Text = None
    summary: Text = None
    body: Text = None
    object_date: Text = None
    narration_text: Text = None
    sample: bool = Field(ABSENT, description="Sample content, not history (said to visitors)")
    model_asset_id: Id | None = Field(None, description="A model asset")
    era_id: Id | None = None
    rights_id: Id | None = None
    real_height_m: Annotated[float, _within(0.001, 100.0)] | None = Field(
        None, description="How tall the object really is")
    triangle_budget: Annotated[int, Field(ge=100, le=10_000_000)] | None = None
    tags: Annotated[list[Tag], MaxLen(50)] | None = Field(
        None, description="Keywords (kept in lower case, each once)")
    hotspots: Annotated[list[HotspotPart], MaxLen(100)] | None = None
    media: Annotated[list[MediaPart], MaxLen(50)] | None = None


# --- galleries ------------------------------------------------------------------------------------------------

class Plinth(Request):
    """The plinth (and glass case) an exhibit stands on, in metres."""

    width_m: Annotated[float, _within(*PLINTH_LIMITS["width_m"])]
    depth_m: Annotated[float, _within(*PLINTH_LIMITS["depth_m"])]
    height_m: Annotated[float, _within(*PLINTH_LIMITS["height_m"])]
    case_height_m: Annotated[float, _within(*PLINTH_LIMITS["case_height_m"])] | None = Field(
        None, description="The glass case's height; 0 or none: an open pedestal")
    finish: Finish = "walnut"


class PlacementPart(Part):
    """An exhibit placed in a gallery."""

    exhibit_id: Id | None = Field(description="The exhibit shown")
    translation: Vec3 = Field(default_factory=lambda: [0.0, 0.0, 0.0], description="Where, in the room's metres")
    rotation_deg: Angles = Field(default_factory=lambda: [0.0, 0.0, 0.0])
    scale: Annotated[float, _within(0.01, 100.0)] = 1.0
    target_size_m: Annotated[float, _within(0.01, 50.0)] | None = Field(
        None, description="Scale the model to this size")
    mount: Mount = "floor"
    label: Label = None
    plinth: Plinth | None = None


class DoorPart(Part):
    """A door to another gallery."""

    to_gallery_id: Id | None = Field(description="The gallery it leads to")
    translation: Vec3 = Field(default_factory=lambda: [0.0, 0.0, 0.0])
    yaw_deg: Yaw = 0.0
    width_m: Annotated[float, _within(0.5, 10.0)] = 1.6
    height_m: Annotated[float, _within(1.5, 10.0)] = 2.4
    label: Label = None


class SpawnPart(Request):
    """A start point: where a visitor enters the room, and which way they face."""

    name: Annotated[str, StringConstraints(max_length=120)] | None = Field(
        None, description="Its name (a door from another room names the start point it arrives at)")
    position: Vec3
    yaw_deg: Yaw = 0.0


class SoundPart(Part):
    """A sound heard in the room (ambient) or near a place (spot)."""

    kind: SoundKind = "spot"
    asset_id: Id | None = Field(description="An audio asset")
    translation: Vec3 = Field(default_factory=lambda: [0.0, 1.5, 0.0])
    radius_m: Annotated[float, _within(0.5, 100.0)] = 4.0
    volume: Annotated[float, _within(0.0, 1.0)] = 0.6
    title: Title = None


Placements = Annotated[list[PlacementPart], MaxLen(300)]
Doors = Annotated[list[DoorPart], MaxLen(50)]
Spawns = Annotated[list[SpawnPart], MaxLen(20)]
Sounds = Annotated[list[SoundPart], MaxLen(30)]


class GalleryDocument(Document):
    """A gallery: its room, its light, the exhibits placed in it, its doors, start points and sounds."""

    title: Text = None
    summary: Text = None
    room_asset_id: Id | None = Field(None, description="A model asset: the room")
    lighting: Lighting = ABSENT
    size_m: Annotated[list[Annotated[float, _within(-1000.0, 1000.0)]] | None, AfterValidator(_three_or_none)] = Field(
        None, description="[width, height, depth] in metres, or empty")
    floor: Annotated[Annotated[list[Vec2], MaxLen(200)] | None, AfterValidator(_polygon)] = Field(
        None, description="The walkable floor: [x, z] points (none: the room's size)")
    spawns: Spawns | None = None
    position: Annotated[int, Field(ge=0, le=10_000)] = Field(ABSENT, description="Its place in the museum's order")
    placements: Placements | None = None
    doors: Doors | None = None
    sounds: Sounds | None = None


class LayoutDraft(Request):
    """The placement editor's room as the curator has it now (a part left out is checked as saved)."""

    error_codes: ClassVar[dict[str, str]] = Document.error_codes
    placements: Placements | None = None
    doors: Doors | None = None
    spawns: Spawns | None = None
    sounds: Sounds | None = None


# --- timeline -------------------------------------------------------------------------------------------------

Year = Annotated[int, Field(ge=1000, le=3000)]
Month = Annotated[int, Field(ge=1, le=12)]
Day = Annotated[int, Field(ge=1, le=31)]


class EraDocument(Document):
    """An era of the hospital's history."""

    title: Text = None
    summary: Text = None
    start_year: Year = ABSENT
    end_year: Year | None = Field(None, description="None: until today")
    sample: bool = Field(ABSENT, description="Sample content, not history")
    position: Annotated[int, Field(ge=0, le=10_000)] = ABSENT


class EventDocument(Document):
    """An event of the timeline, as precise as its date is known."""

    title: Text = None
    body: Text = None
    era_id: Id | None = None
    year: Year = ABSENT
    month: Month | None = None
    day: Day | None = Field(None, description="Needs a month")
    sample: bool = Field(ABSENT, description="Sample content, not history")
    image_asset_id: Id | None = Field(None, description="An image asset")
    source: Annotated[str, MaxLen(300)] | None = Field(None, description="Where the fact comes from")
    exhibit_ids: Annotated[list[Id], MaxLen(100)] | None = Field(None, description="Exhibits it is about")


# --- tours ----------------------------------------------------------------------------------------------------

class StopViewpoint(Request):
    """Where the camera stands for a stop, and what it looks at."""

    position: Vec3 | None = None
    target: Vec3 | None = None


class StopPart(Part):
    """A stop of a guided tour: a gallery, what to look at, what is said."""

    gallery_id: Id | None = Field(description="The gallery of the stop")
    exhibit_id: Id | None = None
    hotspot_id: Id | None = None
    viewpoint: StopViewpoint | None = None
    title: Text = None
    text: Text = None
    narration: Text = None
    narration_asset_id: Id | None = Field(None, description="An audio asset")
    captions_asset_id: Id | None = Field(None, description="A captions (WebVTT) asset")
    duration_s: Annotated[float, _within(1.0, 3600.0)] = 20.0


class TourDocument(Document):
    """A guided tour: its stops in order."""

    title: Text = None
    summary: Text = None
    stops: Annotated[list[StopPart], MaxLen(200)] | None = None


# --- photo templates ------------------------------------------------------------------------------------------

class PhotoTemplateDocument(Document):
    """A frame and layout for the booth's group photos."""

    title: Text = None
    caption: Text = None
    frame_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None, description="The frame: the SHA-256 of a stored image")
    spec: dict[str, Any] = Field(ABSENT, description="The layout (see the booth's templates)")
