"""The catalogue's JSON replies, each declared once (museum.core.payloads): museum information, exhibits, galleries,
scene manifests, tours, the timeline and search results, with the model tiers and films other features answer with
too. The serialisers in serialize.py, manifest.py, timeline.py and search_service.py build them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, RootModel, StringConstraints, WithJsonSchema

from museum.core.i18n import Lang
from museum.core.payloads import Paged, Query, Reply, WholeNumber

Tier = Literal["phone", "desktop", "vr", "original"]
DeviceTier = Literal["phone", "desktop", "vr"]  # the tiers a device is given (scenes.tiers.TIERS)
FilmSize = Literal["small", "large"]
Status = Literal["draft", "review", "published"]  # museum.models.Status's values
Lighting = Literal["warm", "gallery", "cool"]
Mount = Literal["pedestal", "wall", "floor", "showcase"]
TierSource = Literal["query", "hints", "default"]  # how a manifest's tier was chosen
Precision = Literal["year", "month", "day"]
HotspotKind = Literal["point", "volume"]
SoundKind = Literal["ambient", "spot"]
# A JSON number, written as it is stored: a whole number kept in a JSON column stays whole (3, not 3.0).
Number = Annotated[int | float, WithJsonSchema({"type": "number"})]
Vec3 = Annotated[list[Number], Field(min_length=3, max_length=3)]
Vec2 = Annotated[list[Number], Field(min_length=2, max_length=2)]

SAMPLE = "Illustrative content, not from the museum's records (shown with a sample badge)"


def _absent(value: Any) -> bool:
    """Return whether an optional field is left out of the reply (it is written only when it has a value)."""
    return value is None


class _Sparse(Reply):
    """A reply with fields written only when they have a value (`exclude_if=_absent`): the document does not
    require those (their default is what leaves them out)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=False)


class ModelFile(Reply):
    """One device tier of a model: its GLB and what it costs to draw."""

    url: str
    bytes: int
    triangles: int
    draw_calls: int
    media_type: str


class PlacedModel(ModelFile):
    """The tier of a model a manifest places: the one chosen for the device."""

    tier: Tier


class Models(RootModel[dict[Tier, ModelFile]]):
    """A model's tiers by name."""


class FilmSource(Reply):
    """One rendition of a film."""

    size: FilmSize
    url: str
    media_type: str
    width: int
    height: int
    bytes: int


class FilmCaptions(Reply):
    """A film's WebVTT captions in one language."""

    lang: str
    url: str


class Film(Reply):
    """A film's renditions (H.264/AAC MP4 with its index first; `small` for phones, `large` at most 1080 lines),
    its poster frame and its WebVTT captions by language."""

    poster_url: str | None
    seconds: float
    width: int
    height: int
    sources: list[FilmSource]
    captions: list[FilmCaptions] = Field(default_factory=list)


class EraRef(Reply):
    """An era, named briefly."""

    slug: str
    title: str


class ExhibitSummary(Reply):
    """An exhibit for lists and cards."""

    slug: str
    title: str
    summary: str
    status: Status
    sample: bool = Field(description=SAMPLE)
    era: EraRef | None
    tags: list[str]
    poster_url: str | None = Field(description="Its model's poster, else its film's")
    models: Models
    url: str = Field(description="The exhibit in this API")
    page_url: str = Field(description="The exhibit's page")


class HotspotImage(Reply):
    """The picture a hotspot shows."""

    url: str
    alt: str
    credit: str


class Hotspot(Reply):
    """A point or small volume on an exhibit's model, with its annotation."""

    slug: str
    kind: HotspotKind
    anchor: list[Number] = Field(description="[x, y, z] in the model's space, metres")
    radius_m: Number
    title: str
    text: str
    image: HotspotImage | None
    audio_url: str | None
    captions_url: str | None


class EventRef(Reply):
    """A timeline event, named briefly."""

    slug: str
    title: str
    date: str = Field(description="ISO 8601 at its precision: YYYY, YYYY-MM or YYYY-MM-DD")
    precision: Precision
    sample: bool = Field(description=SAMPLE)


class Rights(Reply):
    """Licence, credit and copyright of an exhibit."""

    licence: str = Field(description="An SPDX identifier, e.g. CC-BY-4.0")
    licence_url: str | None
    credit: str
    copyright: str
    source_url: str | None


class ExhibitImage(Reply):
    """A picture of an exhibit."""

    url: str
    alt: str
    caption: str
    credit: str


class ExhibitAudio(Reply):
    """An exhibit's narration in one language, with its WebVTT captions."""

    lang: str | None
    url: str
    captions_url: str | None
    synthetic: bool = Field(description="Made by a speech synthesizer, not recorded by a person")


class GalleryRef(Reply):
    """A gallery, named briefly."""

    slug: str
    title: str


class ExhibitDetail(ExhibitSummary):
    """An exhibit in full: texts, model tiers, media, hotspots, linked events, the galleries it stands in, rights."""

    body: str
    object_date: str
    narration: str
    real_height_m: float | None
    inspection: dict[str, Any] | None = Field(description="What the model pipeline found in its model")
    images: list[ExhibitImage]
    audio: list[ExhibitAudio]
    film: Film | None
    hotspots: list[Hotspot]
    events: list[EventRef]
    galleries: list[GalleryRef]
    rights: Rights | None
    updated_at: str = Field(description="ISO 8601")


class GallerySummary(Reply):
    """A gallery for lists."""

    slug: str
    title: str
    summary: str
    status: Status
    lighting: Lighting
    exhibit_count: int
    poster_url: str | None
    manifest_url: str
    page_url: str


class DoorRef(Reply):
    """A door to another gallery, named briefly."""

    to: str = Field(description="The slug of the gallery it leads to")
    title: str


class GalleryDetail(GallerySummary):
    """A gallery with the exhibits placed in it and its doors."""

    exhibits: list[ExhibitSummary]
    doors: list[DoorRef]


class ManifestGallery(Reply):
    """The gallery a manifest builds."""

    slug: str
    title: str
    summary: str
    size_m: list[Number] = Field(description="[width, height, depth] in metres (empty when not given)")
    page_url: str


class Spawn(_Sparse):
    """Where a visitor may enter a room: a position in metres and a heading."""

    name: str | None = Field(default=None, exclude_if=_absent, description="Written when the room names it")
    position: Vec3
    yaw_deg: Number


class Walkable(Reply):
    """The floor a visitor may stand on, as the layout rules compute it (clear of walls, furniture, cases and
    exhibits by the visitor's radius, reached from a spawn point): a grid of `width` x `height` square cells of
    `cell_m` metres, the corner of the first cell at `origin` [x, z], rows along +z and columns along +x. `runs`
    lists the cells row by row as alternating run lengths, blocked cells first (a leading 0 when the first cell is
    walkable). Null for a room without a floor polygon."""

    origin: Vec2
    cell_m: Number
    width: int
    height: int
    runs: list[int]


class ManifestDoor(Reply):
    """A door to another gallery: where it stands, its size and the manifest of the gallery it opens on."""

    to: str = Field(description="The slug of the gallery it leads to")
    title: str
    position: Vec3
    yaw_deg: Number
    width_m: Number
    height_m: Number
    manifest_url: str


class Light(Reply):
    """A light's colour and strength."""

    color: str
    intensity: Number


class KeyLight(Light):
    """The room's main light, shining along `direction`."""

    direction: Vec3


class RoomLighting(Reply):
    """How a room is lit, by its gallery's lighting preset."""

    preset: Lighting
    ambient: Light
    key: KeyLight
    exposure: Number
    background: str


class Sound(Reply):
    """Sounds that belong to the room: `ambient` loops are heard in the whole room, `spot` sounds from `position`,
    fading out at `radius_m`; `volume` is 0 to 1."""

    kind: SoundKind
    url: str
    media_type: str
    position: Vec3
    radius_m: Number
    volume: Number
    title: str


class Transform(Reply):
    """Where an exhibit stands in the room: position in metres, rotation in degrees, scale, and the height it is
    scaled to (when given)."""

    position: Vec3
    rotation_deg: Vec3
    scale: Number
    target_size_m: Number | None


class LabelPlate(Reply):
    """Where the exhibit's title goes on its plinth's label plate, in the placement's frame."""

    position: Vec3 = Field(description="The centre of the plate's front face")
    rotation_deg: Vec3
    rotation_order: Literal["YXZ"]
    size_m: Vec2 = Field(description="Width and height")


class PlacedPlinth(Reply):
    """The plinth an exhibit stands on, as the viewer draws it: its size, finish and where its label plate goes."""

    width_m: float
    depth_m: float
    height_m: float
    case_height_m: float = Field(description="The glass case's height (0: no case)")
    finish: str = Field(description="One of scenes.plinth.FINISHES: walnut, white")
    label_plate: LabelPlate | None = Field(description="Null when the plinth is too low to carry a plate")


class ManifestExhibit(Reply):
    """An exhibit placed in the room: its texts, transform, plinth, the model tier chosen, its film and hotspots."""

    placement_id: int
    slug: str
    title: str
    summary: str
    label: str
    mount: Mount
    transform: Transform
    plinth: PlacedPlinth | None
    model: PlacedModel | None
    film: Film | None
    poster_url: str | None
    hotspots: list[Hotspot]
    narration: str
    sample: bool = Field(description=SAMPLE)
    api_url: str
    page_url: str


class TierCost(Reply):
    """What drawing a gallery costs: bytes to load, triangles and draw calls."""

    bytes: int
    triangles: int
    draw_calls: int


class TierFallback(Reply):
    """An exhibit given another tier than the one asked for, and why."""

    exhibit: str
    wanted: DeviceTier
    used: Tier
    reason: Literal["tier_missing", "over_budget"]


class GalleryManifest(Reply):
    """Everything the front end needs to build a gallery at a device tier."""

    gallery: ManifestGallery
    lang: Lang
    tier: DeviceTier
    tier_source: TierSource
    room: PlacedModel | None
    spawns: list[Spawn]
    floor: list[Vec2] = Field(description="The room's floor polygon, [x, z] points")
    walkable: Walkable | None
    doors: list[ManifestDoor]
    lighting: RoomLighting
    sounds: list[Sound]
    exhibits: list[ManifestExhibit]
    totals: TierCost
    budget: TierCost = Field(description="The tier's budget")
    within_budget: bool
    fallbacks: list[TierFallback]


class TourSummary(Reply):
    """A guided tour for lists."""

    slug: str
    title: str
    summary: str
    status: Status
    stop_count: int
    galleries: list[str] = Field(description="The slugs of the galleries it visits, in order")
    url: str
    page_url: str


class TourGallery(Reply):
    """A gallery a tour visits, with its manifest."""

    slug: str
    manifest_url: str


class StopView(_Sparse):
    """Where the camera stands at a stop and what it looks at ([x, y, z] metres; either may be missing)."""

    position: Vec3 | None = Field(default=None, exclude_if=_absent)
    target: Vec3 | None = Field(default=None, exclude_if=_absent)


class TourStop(Reply):
    """One stop of a tour: a gallery, the exhibit and hotspot it shows, and what the guide says there."""

    index: int
    gallery: str
    exhibit: str | None
    hotspot: str | None
    viewpoint: StopView | None
    title: str
    text: str
    narration: str
    duration_s: Number
    page_url: str
    gallery_title: str
    manifest_url: str
    exhibit_title: str | None
    anchor: list[Number] | None = Field(description="The hotspot's anchor, in the exhibit model's space")


class TourDetail(Reply):
    """A guided tour with its stops in order, across galleries."""

    slug: str
    title: str
    summary: str
    status: Status
    stop_count: int
    galleries: list[TourGallery]
    url: str
    page_url: str
    lang: Lang
    stops: list[TourStop]


class Era(Reply):
    """An era of the timeline."""

    slug: str
    title: str
    summary: str
    start_year: int
    end_year: int | None
    sample: bool = Field(description=SAMPLE)


class EventExhibit(Reply):
    """An exhibit a timeline event links to."""

    slug: str
    title: str
    page_url: str


class Event(EventRef):
    """A timeline event with its text, picture and linked exhibits."""

    year: int
    month: int | None
    day: int | None
    era: str | None = Field(description="The slug of its era")
    body: str
    image_url: str | None
    exhibits: list[EventExhibit]
    page_url: str


class Timeline(Reply):
    """The timeline's eras and events in one language."""

    lang: Lang
    eras: list[Era]
    events: list[Event]


class TimelineJSText(Reply):
    """A TimelineJS headline and text (the text is HTML)."""

    headline: str
    text: str


class TimelineJSTitle(Reply):
    """The TimelineJS title slide."""

    text: TimelineJSText


class TimelineJSDate(_Sparse):
    """A TimelineJS date, as precise as it is known."""

    year: int
    month: int | None = Field(default=None, exclude_if=_absent)
    day: int | None = Field(default=None, exclude_if=_absent)


class TimelineJSMedia(Reply):
    """An event's picture."""

    url: str


class TimelineJSEvent(_Sparse):
    """A TimelineJS event slide."""

    unique_id: str
    start_date: TimelineJSDate
    text: TimelineJSText
    group: str = Field(description="Its era's title")
    media: TimelineJSMedia | None = Field(default=None, exclude_if=_absent)


class TimelineJSEra(Reply):
    """A TimelineJS era band."""

    start_date: TimelineJSDate
    end_date: TimelineJSDate
    text: TimelineJSText


class TimelineJS(Reply):
    """The timeline in the JSON format TimelineJS reads as is."""

    title: TimelineJSTitle
    events: list[TimelineJSEvent]
    eras: list[TimelineJSEra]


class _Found(Reply):
    """Something a search found."""

    type: str
    slug: str
    title: str
    summary: str = Field(description="At most 200 characters")
    score: float
    url: str
    page_url: str


class FoundItem(_Found):
    """An exhibit, gallery or tour a search found."""

    type: Literal["exhibit", "gallery", "tour"]


class FoundEvent(_Found):
    """A timeline event a search found, with its date."""

    type: Literal["event"]
    date: str = Field(description="ISO 8601 at its precision: YYYY, YYYY-MM or YYYY-MM-DD")


Found = Annotated[FoundItem | FoundEvent, Field(discriminator="type")]


class SearchResults(Reply):
    """What a search found, best first."""

    query: str
    lang: Lang
    items: list[Found]
    total: int


class MuseumCounts(Reply):
    """How many of each kind of content are published."""

    exhibits: int
    galleries: int
    tours: int
    events: int


class MuseumLinks(Reply):
    """Where the API's parts are."""

    exhibits: str
    galleries: str
    tours: str
    timeline: str
    search: str
    openapi: str


class MuseumInfo(Reply):
    """The museum: its name and texts, its languages and what it holds."""

    name: str
    tagline: str
    description: str
    hospital: str
    lang: Lang
    languages: list[Lang]
    counts: MuseumCounts
    links: MuseumLinks


MODELS = (ModelFile, PlacedModel, Models, Film, MuseumInfo, ExhibitSummary, ExhibitDetail, GallerySummary,
          GalleryDetail, GalleryManifest, TourSummary, TourDetail, Timeline, TimelineJS, SearchResults)


# --- query parameters -----------------------------------------------------------------------------------------

SearchType = Literal["exhibit", "event", "gallery", "tour"]


class ExhibitFilter(Paged):
    """Which exhibits to list (a filter naming nothing that exists lists nothing; it is no error)."""

    gallery: str | None = Field(None, description="Only the exhibits placed in this gallery (its slug)")
    era: str | None = Field(None, description="Only the exhibits of this era (its slug)")
    tag: str | None = Field(None, description="Only the exhibits with this keyword")


class TimelineQuery(Query):
    """Which timeline, in which shape."""

    format: Literal["json", "timelinejs"] = Field("json", description="timelinejs: the TimelineJS3 shape")
    era: str | None = Field(None, description="Only this era's events (an era that does not exist: none)")


class SearchQuery(Query):
    """What to search for."""

    q: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")] = Field(
        description="What to search for: at least one character that is not a space")
    type: SearchType | None = Field(None, description="Only this kind of result")
    limit: Annotated[int, Field(ge=1, le=100), WholeNumber] = Field(20, description="At most this many results")


class SceneQuery(Query):
    """Which tier of a gallery's scene."""

    tier: Literal["phone", "desktop", "vr"] = Field("desktop", description="The device tier of the models")
