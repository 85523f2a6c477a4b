"""Parsing of query parameters shared by the API views."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from flask import current_app, g, request

from museum.core.bounds import parse_int
from museum.core.errors import BadRequest
from museum.core.i18n import LANGS, Lang, negotiate, normalise_lang

MAX_PER_PAGE = 100


def lang() -> Lang:
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
    """Return an integer query parameter within bounds, or raise a 400 naming it (an empty value is no integer)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    return parse_int(raw, name, low, high)


def choice_arg(name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    """Return a query parameter that must be one of a few values (as documented: an empty value is none of them)."""
    raw = request.args.get(name)
    if raw is None:
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


def text_arg(name: str) -> str | None:
    """Return a query parameter's text, or None when it is absent or empty."""
    return request.args.get(name) or None


def page() -> Page:
    """Return the requested page (?page=, ?per_page= at most 100)."""
    return Page(int_arg("page", 1, 1), int_arg("per_page", 20, 1, MAX_PER_PAGE))


def query_value(environ: dict[str, Any], name: str) -> str | None:
    """Return the first value of a query parameter from a WSGI environ (None when absent)."""
    query = environ.get("QUERY_STRING", "")
    if name + "=" not in query:
        return None
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == name:
            return value
    return None


@lru_cache(maxsize=1024)
def negotiated_lang(asked: str | None, accept_language: str | None) -> str:
    """Return the language negotiated from ?lang= and Accept-Language ('' for the museum default); 400 if bad."""
    if asked is not None and normalise_lang(asked) is None:
        raise BadRequest(f"Unknown language {asked!r}; use one of {', '.join(LANGS)}.",
                         code="invalid_parameter", pointer="/query/lang")
    return negotiate(asked, accept_language, "")


def cache_key(environ: dict[str, Any]) -> str:
    """Return what a cached response depends on beyond its URL: the negotiated language, not the raw header."""
    return negotiated_lang(query_value(environ, "lang"), environ.get("HTTP_ACCEPT_LANGUAGE"))
