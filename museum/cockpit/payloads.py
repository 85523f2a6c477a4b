"""The visitors' events the pages send to the cockpit, each type declared once (museum.core.payloads).

One model per type of event: a view names what was viewed, a tour step its tour and step. A field sent empty or
null counts as absent, and a whole number may come as 183.0 (JSON has one kind of number).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from annotated_types import Interval, MaxLen
from pydantic import BeforeValidator, Field, RootModel, StringConstraints

from museum.core.i18n import Lang
from museum.core.payloads import Reply, Request

MAX_BATCH = 100
MAX_DWELL_MS = 24 * 3600 * 1000


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,119}$")]
SlugOrEmpty = Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9][a-z0-9-]{0,119})?$")]
Device = Literal["phone", "desktop", "headset", "kiosk"]
Step = Annotated[int, Interval(ge=0, le=999), BeforeValidator(_whole)]
Dwell = Annotated[int, Interval(ge=0, le=MAX_DWELL_MS), BeforeValidator(_whole)]
Results = Annotated[int, Interval(ge=0, le=1_000_000), BeforeValidator(_whole)]
PathOrEmpty = Annotated[str, StringConstraints(pattern=r"^(?:/|$)", max_length=200)]  # the page's path


class _Event(Request):
    """What any event may say besides its type (each type narrows `type` to its own name)."""

    type: str
    exhibit: SlugOrEmpty | None = None
    gallery: SlugOrEmpty | None = None
    tour: SlugOrEmpty | None = None
    step: Step | None = None
    path: PathOrEmpty | None = Field(None, description="The page's path")
    device: Device | None = None
    lang: Lang | None = None
    dwell_ms: Dwell | None = Field(None, description="How long it was looked at, watched or heard")
    query: Annotated[str, MaxLen(100)] | None = Field(None, description="What was searched for")
    results: Results | None = Field(None, description="How many results the search found")

    def row(self) -> dict[str, Any]:
        """Return the event as the columns it is stored in."""
        return {"type": self.type, "exhibit": self.exhibit or "", "gallery": self.gallery or "",
                "tour": self.tour or "", "step": self.step, "path": self.path or "", "device": self.device or "",
                "lang": self.lang or "", "duration_ms": self.dwell_ms,
                "query": " ".join((self.query or "").split()).lower(), "results": self.results}


class ExhibitView(_Event):
    """An exhibit was looked at (dwell_ms: for how long)."""

    type: Literal["exhibit_view"]
    exhibit: Slug


class GalleryView(_Event):
    """A gallery was entered."""

    type: Literal["gallery_view"]
    gallery: Slug


class TimelineView(_Event):
    """The timeline was opened."""

    type: Literal["timeline_view"]


class TourStep(_Event):
    """A step of a guided tour was reached."""

    type: Literal["tour_step"]
    tour: Slug
    step: Step


class VrSession(_Event):
    """A VR session began."""

    type: Literal["vr_session"]


class ArSession(_Event):
    """An AR session began."""

    type: Literal["ar_session"]


class Search(_Event):
    """A search was made (query, results)."""

    type: Literal["search"]


class FilmPlay(_Event):
    """An exhibit's film was played (dwell_ms: how long it was watched; sent when it stops or the page is left)."""

    type: Literal["film_play"]
    exhibit: Slug


class SoundHeard(_Event):
    """A gallery's sounds were heard, sound on and in the room (dwell_ms: for how long)."""

    type: Literal["sound_heard"]
    gallery: Slug


EVENTS = (ExhibitView, GalleryView, TimelineView, TourStep, VrSession, ArSession, Search, FilmPlay, SoundHeard)


class VisitorEvent(RootModel[Annotated[ExhibitView | GalleryView | TimelineView | TourStep | VrSession | ArSession
                                       | Search | FilmPlay | SoundHeard, Field(discriminator="type")]]):
    """One event of a visitor's page; its type says which fields it needs."""


class EventBatch(Request):
    """Visitors' events, as the pages send them (navigator.sendBeacon)."""

    events: list[VisitorEvent] = Field(min_length=1, max_length=MAX_BATCH)


TileName = Literal["key_figures", "alerts", "visitors_by_day", "hour_of_week", "top_exhibits", "top_galleries",
                   "films", "devices", "languages", "tour_funnel", "sessions", "booth", "zero_searches"]
TileSize = Literal["s", "m", "l"]


class Tile(Request):
    """A tile of a manager's dashboard and its size."""

    id: TileName
    size: TileSize = "m"


class TileChoice(Request):
    """The tiles a manager chose, in their order (each at most once)."""

    error_codes = {"id": "unknown_tile", "size": "invalid_tile"}

    tiles: list[Tile]


class CockpitLayout(Reply):
    """A manager's dashboard: the chosen tiles, and every tile and size there is."""

    tiles: list[Tile]
    available: list[TileName]
    sizes: list[TileSize]
