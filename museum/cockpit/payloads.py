"""The cockpit's payloads, each declared once (museum.core.payloads): the visitors' events the pages send, a
manager's tiles, and the figures and alerts the cockpit answers with.

One model per type of event: a view names what was viewed, a tour step its tour and step. A field sent empty or
null counts as absent, and a whole number may come as 183.0 (JSON has one kind of number).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from annotated_types import Interval, MaxLen
from pydantic import BeforeValidator, ConfigDict, Field, RootModel, StringConstraints

from museum.catalogue.payloads import Number
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


ISO = "ISO 8601"
DAY = "A local day, YYYY-MM-DD"


class CockpitAlert(Reply):
    """An alert: a figure that left its normal band, or a condition checked now, and who acknowledged it."""

    id: int | None = Field(description="null for a condition checked now that fires and is not stored yet (the "
                                       "next check stores it); such an alert cannot be acknowledged yet")
    code: str = Field(description="visits_drop, booth_failures, compose_slow, queue_stalled or disk_filling")
    message: str = Field(description="What the code means, in English")
    started_at: str = Field(description=f"{ISO}: when the condition first held (the start of an hour for a figure "
                                        "checked by hour)")
    last_seen_at: str = Field(description=f"{ISO}: when it last held")
    ended_at: str | None = Field(description=f"{ISO}: when it no longer held; null while it holds")
    value: Number = Field(description="The figure: visitors or failed photos in the hour, the hour's median "
                                      "composition time (ms), seconds the oldest due job has waited, or the percent "
                                      "of the file store's disk that is free")
    low: float | None = Field(description="The normal band's low edge; null without a band")
    high: float | None = Field(description="The normal band's high edge; null without a band")
    median: Number | None = Field(description="The normal band's median; null without a band")
    acknowledged_at: str | None = Field(description=f"{ISO}; null until a manager acknowledges the alert")
    acknowledged_by: int | None = Field(description="The id of the user who acknowledged it; null until then, or "
                                                    "once that user is deleted")


class _KeyFigures(Reply):
    """The key figures, of a range of days (CockpitPeriod) or of one day (CockpitDay)."""

    views: int = Field(description="Exhibit and gallery views")
    visitors: int = Field(description="Each day's unique visitors, added up over the days (one person on two days "
                                      "counts twice; visitors sending GPC or DNT are never counted)")
    vr_sessions: int
    ar_sessions: int
    photos_taken: int = Field(description="Photos the booth took")
    zero_result_searches: int = Field(description="Searches that found nothing")


class CockpitPeriod(_KeyFigures):
    """The key figures of a range of local days."""

    # `from` is a Python keyword: the field is `from_`, written as "from".
    model_config = ConfigDict(serialize_by_alias=True)

    from_: str = Field(serialization_alias="from", description=f"{DAY}: the first of the range")
    to: str = Field(description=f"{DAY}: the last of the range")


class CockpitDay(_KeyFigures):
    """The figures of one local day (a day without events has zeros)."""

    date: str = Field(description=DAY)
    exhibit_views: int
    gallery_views: int
    timeline_views: int
    tour_steps: int = Field(description="Steps of guided tours reached")
    searches: int
    photos_composed: int
    photos_shared: int
    photos_deleted: int
    photos_failed: int
    inquiry_sessions: int = Field(description="Sessions at the inquiry kiosk")
    film_plays: int
    sounds_heard: int = Field(description="Times a gallery's sounds were heard")


class CockpitHourOfWeek(Reply):
    """One local hour of the week, added up over the range's weeks."""

    weekday: int = Field(description="0 Monday .. 6 Sunday")
    hour: int = Field(description="The local hour, 0 .. 23")
    views: int
    visitors: int = Field(description="Visitors active in the hour, added up over the hours")


class CockpitTopItem(Reply):
    """An exhibit or gallery with its events in the range (views, plays or times heard) and the times sent."""

    slug: str
    title: str = Field(description="In the language asked for; the slug of one that no longer exists")
    views: int = Field(description="Its events: views, plays or times heard")
    avg_dwell_ms: int | None = Field(description="The average of the times sent with them (ms; looked at, watched "
                                                 "or heard); null when none was sent")
    dwell_samples: int = Field(description="How many of them sent a time")


class CockpitTourStep(Reply):
    """A step of a guided tour: how many times it was reached."""

    step: int = Field(description="The step, from 0")
    count: int


class CockpitTour(Reply):
    """A guided tour's funnel: its steps in order."""

    slug: str
    title: str = Field(description="In the language asked for; the slug of one that no longer exists")
    steps: list[CockpitTourStep] = Field(description="The steps reached, in order (a step never reached is left "
                                                     "out)")


class CockpitSessions(Reply):
    """VR and AR sessions begun."""

    vr: int
    ar: int


class CockpitQueryCount(Reply):
    """A search that found nothing, and how often it was made."""

    query: str = Field(description="As searched for, in lower case with its spaces collapsed")
    count: int


class CockpitSearches(Reply):
    """Searches made, and those that found nothing."""

    total: int
    zero_results: int
    top_zero_result_queries: list[CockpitQueryCount] = Field(description="At most 20, the most frequent first")


class CockpitBooth(Reply):
    """What the photo booth recorded."""

    taken: int
    composed: int
    shared: int
    deleted: int
    failed: int
    compose_p95_ms: int | None = Field(description="The 95th percentile (nearest rank) of the composition times, "
                                                   "ms; null without a composed photo")


class CockpitFilms(Reply):
    """Exhibits' films played."""

    plays: int
    watched_seconds: int = Field(description="The watched times sent, added up, in whole seconds")
    top: list[CockpitTopItem] = Field(description="The exhibits whose films were played most (views: plays)")


class CockpitSounds(Reply):
    """Galleries' sounds heard."""

    heard: int
    listened_seconds: int = Field(description="The listening times sent, added up, in whole seconds")
    galleries: list[CockpitTopItem] = Field(description="The galleries heard most (views: times heard)")


class CockpitInquiry(Reply):
    """Sessions at the inquiry kiosk."""

    sessions: int
    median_seconds: int | None = Field(description="The median session length in whole seconds; null without a "
                                                   "session")
    total_seconds: int = Field(description="The session lengths added up, in whole seconds")


class CockpitSummary(CockpitPeriod):
    """Every figure of the cockpit for a range of local days, with the alerts to show."""

    timezone: str = Field(description="The time zone of the local days and hours (IANA name)")
    previous: CockpitPeriod = Field(description="The key figures of as many days just before the range")
    change: dict[str, float | None] = Field(description="Each key figure's change from the previous period, "
                                                        "(now - before) / before rounded to 4 places (0.25: a "
                                                        "quarter more); null when it was 0 before")
    by_day: list[CockpitDay] = Field(description="Every day of the range, in order")
    by_hour_of_week: list[CockpitHourOfWeek] = Field(description="All 168 hours of the week, Monday 0:00 first")
    top_exhibits: list[CockpitTopItem] = Field(description="The 10 exhibits viewed most")
    top_galleries: list[CockpitTopItem] = Field(description="The 10 galleries viewed most")
    devices: dict[str, int] = Field(description="Views by the device the page said (unknown: none said)")
    languages: dict[str, int] = Field(description="Views by the language the page said (unknown: none said)")
    tours: list[CockpitTour] = Field(description="The tours reached, the most steps reached first")
    sessions: CockpitSessions
    timeline_views: int
    searches: CockpitSearches
    booth: CockpitBooth
    films: CockpitFilms
    sounds: CockpitSounds
    inquiry: CockpitInquiry
    alerts: list[CockpitAlert] = Field(description="Alerts open or not acknowledged, and those that started in the "
                                                   "range, newest first (at most 50), after any condition checked "
                                                   "now that fires and is not stored yet")
    generated_at: str = Field(description=f"{ISO}: when the figures were read")
