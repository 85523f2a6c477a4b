"""Parsing of query parameters shared by the API views."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request

from museum.errors import BadRequest
from museum.i18n import LANGS, negotiate, normalise_lang

MAX_PER_PAGE = 100


def lang() -> str:
    """Return the language of this response (?lang=, then Accept-Language, then the museum default)."""
    if "lang" in g:
        return g.lang
    asked = request.args.get("lang")
    if asked is not None and normalise_lang(asked) is None:
        raise BadRequest(f"Unknown language {asked!r}; use one of {', '.join(LANGS)}.",
                         code="invalid_parameter", pointer="/query/lang")
    g.lang = negotiate(asked, request.headers.get("Accept-Language"), current_app.config["MUSEUM_DEFAULT_LANG"])
    return g.lang


def int_arg(name: str, default: int, low: int, high: int | None = None) -> int:
    """Return an integer query parameter within bounds, or raise a 400 naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer.", code="invalid_parameter", pointer=f"/query/{name}") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be {bounds}.", code="invalid_parameter", pointer=f"/query/{name}")
    return value


def choice_arg(name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    """Return a query parameter that must be one of a few values."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise BadRequest(f"{name} must be one of {', '.join(choices)}.", code="invalid_parameter",
                         pointer=f"/query/{name}")
    return raw


@dataclass(frozen=True)
class Page:
    """Which page of a list was asked for."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        """Return the number of items before this page."""
        return (self.page - 1) * self.per_page


def page() -> Page:
    """Return the requested page (?page=, ?per_page= at most 100)."""
    return Page(int_arg("page", 1, 1), int_arg("per_page", 20, 1, MAX_PER_PAGE))


def cache_key() -> str:
    """Return what a cached response depends on beyond its URL: the negotiated language."""
    return lang()
