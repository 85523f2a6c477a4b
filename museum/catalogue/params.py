"""The language a response is in (?lang=, Accept-Language), for views and for the response cache's key.

Other query parameters are declared as models (museum.core.payloads.Query) and read with `read_query`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from flask import current_app, g, request

from museum.core.errors import BadRequest
from museum.core.i18n import LANGS, Lang, negotiate, normalise_lang


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
