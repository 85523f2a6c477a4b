"""Texts and structure of the demo museum, in zh-Hans, zh-Hant and en, read from the data files beside this module.

`data/museum.json` (the museum, its rights and the galleries' order), `data/galleries/<slug>.json` (a gallery and
the exhibits in it), `data/timeline.json` (eras and events), `data/tours.json`. Each file is validated on load by
the models below: every text in all three languages, slugs in the studio's form, and every reference (an era, an
exhibit, a gallery, a hotspot) naming something that exists. A curator who edits a text edits a data file, not code.

Facts come only from one published article about Guangdong Provincial People's Hospital (the first
government-led 5G application demonstration hospital in China). The article does not cover the hospital's
founding or its earlier decades: those parts are sample content, flagged with ``"sample": true`` and
saying so in their own words ("示例文字" / "範例文字" / "Sample text"), so no invented date, name or event is
shown as fact. The article gives the conference as "July 19" without a year; it tells a story of
25 January 2021 as past, so that date is placed in 2021, the earliest possible year, and every text that
uses it says so.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from museum.core.i18n import LANGS
from museum.studio.document_payloads import Day, Lighting, Month, Tag, Year

DATA = Path(__file__).resolve().parent / "data"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
M = TypeVar("M", bound="BaseModel")


def _three_languages(text: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGS if not text.get(lang, "").strip()]
    if missing or set(text) != set(LANGS):
        raise ValueError(f"a text needs exactly {', '.join(LANGS)}, each non-empty (missing or empty: {missing})")
    return {lang: text[lang] for lang in LANGS}


Text = Annotated[dict[str, str], AfterValidator(_three_languages)]
Slug = Annotated[str, Field(pattern=SLUG, max_length=120)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Museum(_Model):
    name: Text
    tagline: Text
    description: Text
    hospital: Text
    address: Text


class Rights(_Model):
    licence: str
    credit: Text
    copyright: str


class Era(_Model):
    slug: Slug
    title: Text
    summary: Text
    start_year: Year
    end_year: Year | None
    sample: bool


class Gallery(_Model):
    slug: Slug
    title: Text
    summary: Text
    lighting: Lighting


class Hotspot(_Model):
    slug: Slug
    anchor: str
    title: Text
    text: Text
    image_alt: Text


class Exhibit(_Model):
    slug: Slug
    era: Slug
    tags: list[Tag]
    title: Text
    summary: Text
    body: Text
    object_date: Text
    sample: bool
    hotspots: list[Hotspot]
    narration: Text
    # Languages in which `museum demo` records the narration with a speech synthesizer (marked as synthetic).
    synthetic_narration: list[Literal["zh-Hans", "zh-Hant", "en"]] = []


class TimelineEvent(_Model):
    slug: Slug
    era: Slug
    year: Year
    month: Month | None
    day: Day | None
    title: Text
    body: Text
    exhibits: list[Slug]
    sample: bool


class TourStop(_Model):
    gallery: Slug
    exhibit: Slug | None
    hotspot: Slug | None
    title: Text
    text: Text
    narration: Text


class Tour(_Model):
    slug: Slug
    title: Text
    summary: Text
    stops: list[TourStop]


class MuseumFile(_Model):
    museum: Museum
    rights: Rights
    galleries: list[Slug]


class GalleryFile(_Model):
    gallery: Gallery
    exhibits: list[Exhibit]


class TimelineFile(_Model):
    eras: list[Era]
    events: list[TimelineEvent]


class ToursFile(_Model):
    tours: list[Tour]


class DemoContentInvalid(ValueError):
    """A data file of the demo is not valid: the message names the file and the field."""


def _read(model: type[M], data: Path, name: str) -> M:
    try:
        return model.model_validate(json.loads((data / name).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise DemoContentInvalid(f"{name}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        raise DemoContentInvalid(f"{name}: /{where}: {first['msg']}") from exc


def _check_references(galleries: list[GalleryFile], timeline: TimelineFile, tours: ToursFile) -> None:
    eras = {e.slug for e in timeline.eras}
    exhibits = {e.slug: e for g in galleries for e in g.exhibits}
    rooms = {g.gallery.slug for g in galleries}
    problems = [f"exhibit {e.slug}: unknown era {e.era}" for e in exhibits.values() if e.era not in eras]
    problems += [f"event {ev.slug}: unknown era {ev.era}" for ev in timeline.events if ev.era not in eras]
    problems += [f"event {ev.slug}: unknown exhibit {slug}" for ev in timeline.events for slug in ev.exhibits
                 if slug not in exhibits]
    for tour in tours.tours:
        for index, stop in enumerate(tour.stops):
            where = f"tour {tour.slug} stop {index}"
            if stop.gallery not in rooms:
                problems.append(f"{where}: unknown gallery {stop.gallery}")
            if stop.exhibit is not None and stop.exhibit not in exhibits:
                problems.append(f"{where}: unknown exhibit {stop.exhibit}")
            elif stop.hotspot is not None and (stop.exhibit is None or stop.hotspot not in
                                               {h.slug for h in exhibits[stop.exhibit].hotspots}):
                problems.append(f"{where}: unknown hotspot {stop.hotspot}")
    slugs = [e.slug for e in exhibits.values()]
    if len(slugs) != sum(len(g.exhibits) for g in galleries):
        problems.append("an exhibit slug is used twice")
    if problems:
        raise DemoContentInvalid("; ".join(problems))


@cache
def load(data: Path = DATA) -> dict[str, Any]:
    """Read and validate every data file; return plain dicts, exhibits carrying the slug of their gallery."""
    index = _read(MuseumFile, data, "museum.json")
    galleries = [_read(GalleryFile, data, f"galleries/{slug}.json") for slug in index.galleries]
    timeline = _read(TimelineFile, data, "timeline.json")
    tours = _read(ToursFile, data, "tours.json")
    _check_references(galleries, timeline, tours)
    return {
        "museum": index.museum.model_dump(),
        "rights": index.rights.model_dump(),
        "galleries": [g.gallery.model_dump() for g in galleries],
        "exhibits": [{**e.model_dump(), "gallery": g.gallery.slug} for g in galleries for e in g.exhibits],
        "eras": [e.model_dump() for e in timeline.eras],
        "events": [e.model_dump() for e in timeline.events],
        "tours": [t.model_dump() for t in tours.tours],
    }


_CONTENT = load()
MUSEUM: dict[str, Any] = _CONTENT["museum"]
RIGHTS: dict[str, Any] = _CONTENT["rights"]
ERAS: list[dict[str, Any]] = _CONTENT["eras"]
GALLERIES: list[dict[str, Any]] = _CONTENT["galleries"]
EXHIBITS: list[dict[str, Any]] = _CONTENT["exhibits"]
EVENTS: list[dict[str, Any]] = _CONTENT["events"]
TOURS: list[dict[str, Any]] = _CONTENT["tours"]
