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

from museum.db import get_db
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


class ResponseCache:
    """One worker's cache of serialised anonymous responses."""

    def __init__(self, check_seconds: float) -> None:
        self.check_seconds = check_seconds
        self._entries: dict[str, CachedBody] = {}
        self._version: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def _read_version(self) -> int:
        with get_db().read() as session:
            value = session.scalar(select(Counter.value).where(Counter.name == CATALOGUE))
        return int(value or 0)

    def version(self) -> int:
        """Return the catalogue version, re-reading it when the last check is older than check_seconds."""
        now = time.monotonic()
        if self._version is None or now - self._checked_at >= self.check_seconds:
            current = self._read_version()
            with self._lock:
                if current != self._version:
                    self._entries.clear()
                    self._version = current
                self._checked_at = now
        return self._version or 0

    def invalidate(self) -> None:
        """Drop every entry now (this worker changed the catalogue)."""
        with self._lock:
            self._entries.clear()
            self._version = None

    def get(self, key: str) -> CachedBody | None:
        """Return the cached response for a key, if current."""
        self.version()
        return self._entries.get(key)

    def put(self, key: str, value: CachedBody) -> None:
        """Remember a response."""
        with self._lock:
            if len(self._entries) >= _MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = value


def cache() -> ResponseCache:
    """Return this app's response cache."""
    return current_app.extensions["museum.cache"]


def init_app(app: Flask) -> None:
    """Attach the response cache."""
    app.extensions["museum.cache"] = ResponseCache(float(app.config["MUSEUM_CACHE_CHECK_SECONDS"]))


def is_anonymous_request() -> bool:
    """Return whether the request carries no credentials (so a shared, cacheable answer fits)."""
    return "Authorization" not in request.headers and "museum_session" not in request.cookies and \
        "session" not in request.cookies


VARY = "Accept-Language, Authorization, Cookie"


def _respond(entry: CachedBody, public: bool, vary: str = VARY) -> Response:
    headers = {
        "ETag": entry.etag,
        "Cache-Control": "public, no-cache" if public else "private, no-cache",
        "Vary": vary,
    }
    match = request.headers.get("If-None-Match")
    if match and (match.strip() == "*" or entry.etag in [m.strip() for m in match.split(",")]):
        return Response(status=304, headers=headers)
    return Response(entry.body, status=200, headers=headers, content_type=entry.media_type)


def serialised(data: Any, media_type: str = "application/json") -> CachedBody:
    """Serialise data to a cacheable body with its ETag."""
    body = dumps(data)
    return CachedBody(body=body, etag=make_etag(body), media_type=media_type)


def cached_json(key_extra: Callable[[], str] | None = None, media_type: str = "application/json",
                vary: str = VARY) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Serve a view's JSON from the cache for anonymous visitors, with ETag and 304 on revalidation.

    The view returns plain data; `key_extra` adds what the URL does not say (the negotiated language).
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Response]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            anonymous = is_anonymous_request()
            if anonymous:
                key = request.full_path + "|" + (key_extra() if key_extra else "")
                store = cache()
                hit = store.get(key)
                if hit is not None:
                    return _respond(hit, public=True, vary=vary)
                entry = serialised(view(*args, **kwargs), media_type)
                store.put(key, entry)
                return _respond(entry, public=True, vary=vary)
            return _respond(serialised(view(*args, **kwargs), media_type), public=False, vary=vary)

        return wrapper

    return decorator
