"""The JSON objects of the inquiry kiosk's API, each declared once (museum.core.payloads)."""

from __future__ import annotations

from pydantic import Field

from museum.catalogue.payloads import Film
from museum.core.i18n import Lang
from museum.core.payloads import Reply, Request

MAX_SESSION_MS = 24 * 3600 * 1000



class ExhibitFilm(Film):
    """A published exhibit's film."""

    exhibit: str = Field(description="The exhibit's slug")


class InquirySession(Request):
    """One session of a screen, from the first touch to the reset to the attract loop."""

    duration_ms: int = Field(ge=0, le=MAX_SESSION_MS, description="From the first touch to the reset")
    lang: Lang | None = Field(None, description="The language the visitor chose last")


class InquiryConfig(Reply):
    """A screen's settings: its name, the public address its QR codes name, its idle time, its scenes and films."""

    kiosk: str
    public_url: str
    public_url_problem: str | None = Field(description="Why phones could not open public_url, if so")
    idle_seconds: int
    scenes: dict[str, str] = Field(description="gallery slug -> its whole-gallery GLB (galleries with a room)")
    films: list[ExhibitFilm] = Field(
        description="the published exhibits' films, which the attract loop plays muted with captions")


class InquiryKeyboard(Reply):
    """The on-screen keyboard's keys in a language: titles to suggest and, in Chinese, their characters."""

    lang: str
    characters: list[str]
    terms: list[str]
