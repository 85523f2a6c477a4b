"""Cached catalogue responses with strong ETags, invalidated when the catalogue version moves.

Published content is read far more often than it is written, so each worker keeps the serialised bytes of the
responses it has answered to anonymous visitors. A shared counter (`counters.catalogue`) is bumped in the same
transaction as every change to published content; a worker checks it at most every CACHE_CHECK_SECONDS and drops
its entries when it has moved. The cache is never the only copy of anything.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from museum.models import Counter

CATALOGUE = "catalogue"
_MAX_ENTRIES = 4096


@dataclass(frozen=True)
class CachedBody:
    """A serialised response: its bytes, strong ETag and media type."""

    body: bytes
    etag: str
    media_type: str


def make_etag(body: bytes) -> str:
    """Return a strong ETag (quoted) for response bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def dumps(data: Any) -> bytes:
    """Serialise JSON compactly, keeping Chinese text readable."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def bump_catalogue(session: Session) -> None:
    """Move the catalogue version on, in the caller's transaction, so every worker drops its cache."""
    result = session.execute(update(Counter).where(Counter.name == CATALOGUE).values(value=Counter.value + 1))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Counter(name=CATALOGUE, value=1))
    session.info["catalogue_changed"] = True


Environ = dict[str, Any]
VARY = "Accept-Language, Authorization, Cookie"
_NOT_KEYED = {"authorization", "cookie"}  # anonymous answers only: these are absent by definition


def _vary_names(vary: str) -> tuple[str, ...]:
    return tuple(h.strip() for h in vary.split(",") if h.strip() and h.strip().lower() not in _NOT_KEYED)


def _environ_key(name: str) -> str:
    return "HTTP_" + name.upper().replace("-", "_")


def is_anonymous(environ: Environ) -> bool:
    """Return whether a request carries no credentials, so a shared cached answer fits it."""
    return "HTTP_AUTHORIZATION" not in environ and "museum_session=" not in environ.get("HTTP_COOKIE", "")


def _url_key(environ: Environ) -> str:
    return environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")


@dataclass
class _Bucket:
    """The cached variants of one URL, told apart by the request headers the response varies on."""

    vary: tuple[str, ...]
    vary_header: str
    variants: dict[tuple[str, ...], CachedBody]


class ResponseCache:
    """One worker's cache of serialised anonymous responses, keyed by URL and the headers they vary on."""

    def __init__(self, database: Any, check_seconds: float) -> None:
        self.database = database
        self.check_seconds = check_seconds
        self._buckets: dict[str, _Bucket] = {}
        self._count = 0
        self._version: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def _read_version(self) -> int:
        with self.database.read() as session:
            value = session.scalar(select(Counter.value).where(Counter.name == CATALOGUE))
        return int(value or 0)

    def version(self) -> int:
        """Return the catalogue version, re-reading it when the last check is older than check_seconds."""
        now = time.monotonic()
        if self._version is None or now - self._checked_at >= self.check_seconds:
            current = self._read_version()
            with self._lock:
                if current != self._version:
                    self._buckets.clear()
                    self._count = 0
                    self._version = current
                self._checked_at = now
        return self._version or 0

    def invalidate(self) -> None:
        """Drop every entry now (this worker changed the catalogue)."""
        with self._lock:
            self._buckets.clear()
            self._count = 0
            self._version = None

    def lookup(self, environ: Environ) -> tuple[CachedBody, str] | None:
        """Return the cached response (and its Vary header) for a request, if current."""
        self.version()
        bucket = self._buckets.get(_url_key(environ))
        if bucket is None:
            return None
        entry = bucket.variants.get(tuple(environ.get(_environ_key(h), "") for h in bucket.vary))
        return (entry, bucket.vary_header) if entry is not None else None

    def store(self, environ: Environ, entry: CachedBody, vary: str) -> None:
        """Remember a response for the request's URL and the values of the headers it varies on."""
        names = _vary_names(vary)
        values = tuple(environ.get(_environ_key(h), "") for h in names)
        with self._lock:
            if self._count >= _MAX_ENTRIES:
                self._buckets.clear()
                self._count = 0
            bucket = self._buckets.get(_url_key(environ))
            if bucket is None or bucket.vary != names:
                bucket = self._buckets[_url_key(environ)] = _Bucket(names, vary, {})
            bucket.variants[values] = entry
            self._count += 1


def cache() -> ResponseCache:
    """Return this app's response cache."""
    return current_app.extensions["museum.cache"]


def _headers(entry: CachedBody, public: bool, vary: str) -> list[tuple[str, str]]:
    return [
        ("ETag", entry.etag),
        ("Cache-Control", "public, no-cache" if public else "private, no-cache"),
        ("Vary", vary),
        ("X-Content-Type-Options", "nosniff"),
    ]


def _matches(if_none_match: str | None, etag: str) -> bool:
    return bool(if_none_match) and (if_none_match.strip() == "*" or  # type: ignore[union-attr]
                                    etag in [m.strip() for m in if_none_match.split(",")])  # type: ignore[union-attr]


class CachedResponses:
    """WSGI middleware answering cached anonymous GET/HEAD requests before Flask routes them.

    A hit costs a dictionary look-up and a header comparison; everything else goes to the app, whose
    `cached_json` views fill the cache.
    """

    def __init__(self, wsgi_app: Any, store: ResponseCache) -> None:
        self.wsgi_app = wsgi_app
        self.store = store

    def __call__(self, environ: Environ, start_response: Any) -> Any:
        method = environ.get("REQUEST_METHOD")
        if (method == "GET" or method == "HEAD") and is_anonymous(environ):
            hit = self.store.lookup(environ)
            if hit is not None:
                entry, vary = hit
                headers = _headers(entry, True, vary)
                if _matches(environ.get("HTTP_IF_NONE_MATCH"), entry.etag):
                    start_response("304 NOT MODIFIED", headers)
                    return [b""]
                headers += [("Content-Type", entry.media_type), ("Content-Length", str(len(entry.body)))]
                start_response("200 OK", headers)
                return [b"" if method == "HEAD" else entry.body]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Attach the response cache and its WSGI fast path."""
    store = ResponseCache(app.extensions["museum.db"], float(app.config["MUSEUM_CACHE_CHECK_SECONDS"]))
    app.extensions["museum.cache"] = store
    app.wsgi_app = CachedResponses(app.wsgi_app, store)  # type: ignore[method-assign]


def is_anonymous_request() -> bool:
    """Return whether the current request carries no credentials."""
    return is_anonymous(request.environ)


def _respond(entry: CachedBody, public: bool, vary: str = VARY) -> Response:
    headers = dict(_headers(entry, public, vary))
    if _matches(request.headers.get("If-None-Match"), entry.etag):
        return Response(status=304, headers=headers)
    return Response(entry.body, status=200, headers=headers, content_type=entry.media_type)


def serialised(data: Any, media_type: str = "application/json") -> CachedBody:
    """Serialise data to a cacheable body with its ETag."""
    body = dumps(data)
    return CachedBody(body=body, etag=make_etag(body), media_type=media_type)


def cached_json(key_extra: Callable[[], str] | None = None, media_type: str = "application/json",
                vary: str = VARY) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Serve a view's JSON from the cache for anonymous visitors, with ETag and 304 on revalidation.

    The view returns plain data. The cache key is the URL plus the request headers named in `vary` (besides
    Authorization and Cookie, which cached requests never carry); `key_extra` runs first so a bad parameter
    it checks is refused before anything is cached.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Response]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            if key_extra is not None:
                key_extra()
            if is_anonymous_request():
                store = cache()
                hit = store.lookup(request.environ)
                if hit is not None:
                    return _respond(hit[0], public=True, vary=vary)
                entry = serialised(view(*args, **kwargs), media_type)
                store.store(request.environ, entry, vary)
                return _respond(entry, public=True, vary=vary)
            return _respond(serialised(view(*args, **kwargs), media_type), public=False, vary=vary)

        return wrapper

    return decorator
