"""The catalogue's JSON objects that other features answer with too (model tiers, films), declared once.

The rest of the catalogue's replies are still described by hand in museum/core/openapi.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, RootModel

from museum.core.payloads import Reply

Tier = Literal["phone", "desktop", "vr", "original"]
FilmSize = Literal["small", "large"]


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


MODELS = (ModelFile, PlacedModel, Models, Film)
