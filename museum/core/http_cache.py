"""Cached catalogue responses with strong ETags, invalidated by what changed when the catalogue version moves.

Published content is read far more often than it is written, so each worker keeps the serialised bytes of the
responses it has answered to anonymous visitors. An entry is keyed by its URL and by what was negotiated for the
request (language, device tier, content encoding), never by raw header values: every phone model sends its own
User-Agent, but they all get the same phone manifest. The cache holds at most MUSEUM_CACHE_MAX_ENTRIES entries and
MUSEUM_CACHE_MAX_BYTES of bodies, evicting the least recently used.

A shared counter (`counters.catalogue`) is bumped in the same transaction as every change to published content,
and each bump writes the subjects it changed (`exhibit:heart-model`, and its kind `exhibit`) to
`catalogue_changes`. A worker checks the counter at most every CACHE_CHECK_SECONDS; when it has moved it drops only
the entries that depend on a changed subject (an exhibit's page depends on that exhibit, the exhibit list on every
exhibit). When the changes cannot be read in full (a bump that named no subjects, or a worker too far behind), it
drops everything. The cache is never the only copy of anything.

A dropped answer is kept aside as stale until its new one is stored: while one thread rebuilds it, the visitors asking
for it meanwhile get the stale answer at once instead of queueing behind the rebuild (stale-while-revalidate), so a
publish costs each worker one rebuild per answer it drops, not a stall of every connection that wants it. A rebuild
that fails (the content is gone: a 404) drops the stale answer too, so nothing outlives its content.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, request
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from museum.models import CatalogueChange, Counter

CATALOGUE = "catalogue"
EVERYTHING = "*"
# Changes kept for workers catching up; one further behind than this drops its whole cache instead.
CHANGES_KEPT = 2000
GZIP_MIN_BYTES = 1024

Environ = dict[str, Any]
KeyFunction = Callable[[Environ], str]


@dataclass(frozen=True)
class CachedBody:
    """A serialised response: its bytes, strong ETag, media type and content encoding ('' for none)."""

    body: bytes
    etag: str
    media_type: str
    encoding: str = ""


def make_etag(body: bytes) -> str:
    """Return a strong ETag (quoted) for response bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def dumps(data: Any) -> bytes:
    """Serialise JSON compactly, keeping Chinese text readable."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def subjects_of(kind: str, *slugs: str | None) -> set[str]:
    """Return the change subjects of a piece of content: its kind, and the kind with each of its slugs."""
    return {kind, *(f"{kind}:{slug}" for slug in slugs if slug)}


def bump_catalogue(session: Session, subjects: Iterable[str] | None = None) -> None:
    """Move the catalogue version on in the caller's transaction, recording what changed (None: anything)."""
    version = session.execute(update(Counter).where(Counter.name == CATALOGUE)
                              .values(value=Counter.value + 1).returning(Counter.value)).scalar()
    if version is None:
        version = 1
        session.add(Counter(name=CATALOGUE, value=version))
        session.flush()
    named = sorted(set(subjects)) if subjects is not None else [EVERYTHING]
    session.execute(insert(CatalogueChange).values(version=int(version), subjects=named))
    if version % 100 == 0:
        session.execute(delete(CatalogueChange).where(CatalogueChange.version <= version - CHANGES_KEPT))
    session.info["catalogue_changed"] = True


def changes_between(session: Session, old: int, new: int) -> set[str] | None:
    """Return the subjects changed after version old up to new, or None when not all of them are known."""
    if new <= old:
        return set()
    rows = session.scalars(select(CatalogueChange.subjects).where(
        CatalogueChange.version > old, CatalogueChange.version <= new)).all()
    if len(rows) != new - old:
        return None
    changed: set[str] = set()
    for subjects in rows:
        if not subjects or EVERYTHING in subjects:
            return None
        changed.update(subjects)
    return changed


VARY = "Accept-Language, Accept-Encoding, Authorization, Cookie"


def is_anonymous(environ: Environ) -> bool:
    """Return whether a request carries no credentials, so a shared cached answer fits it."""
    return "HTTP_AUTHORIZATION" not in environ and "museum_session=" not in environ.get("HTTP_COOKIE", "")


def _url_key(environ: Environ) -> str:
    return environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")


def accepts_gzip(header: str | None) -> bool:
    """Return whether an Accept-Encoding header takes gzip (not refused with q=0)."""
    if not header or "gzip" not in header:
        return False
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            quality = params.strip().replace(" ", "")
            return quality not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _variant(key: KeyFunction, environ: Environ) -> str:
    """Return the negotiated variant of a request: the view's key and the content encoding."""
    return key(environ) + ("|gzip" if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING")) else "|")


@dataclass
class _Route:
    """How the cached responses of one URL are told apart, and the Vary header they carry."""

    key: KeyFunction
    vary: str
    entries: int = 0


@dataclass
class _Entry:
    body: CachedBody
    depends: frozenset[str]


class ResponseCache:
    """One worker's cache of serialised anonymous responses, keyed by URL and what was negotiated."""

    def __init__(self, database: Any, check_seconds: float, max_entries: int = 4096,
                 max_bytes: int = 64 * 1024 * 1024) -> None:
        self.database = database
        self.check_seconds = check_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._routes: dict[str, _Route] = {}
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._stale: dict[tuple[str, str], CachedBody] = {}  # dropped answers, until rebuilt (at most max_entries)
        self._bytes = 0
        self._version: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._filling: dict[tuple[str, str], threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _read_changes(self, old: int | None) -> tuple[int, set[str] | None]:
        with self.database.read() as session:
            current = int(session.scalar(select(Counter.value).where(Counter.name == CATALOGUE)) or 0)
            changed = changes_between(session, old, current) if old is not None else None
        return current, changed

    def version(self) -> int:
        """Return the catalogue version, re-reading it (and dropping what changed) every check_seconds."""
        now = time.monotonic()
        if self._version is None or now - self._checked_at >= self.check_seconds:
            old = self._version
            current, changed = self._read_changes(old)
            with self._lock:
                if current != self._version:
                    self._drop(changed if self._version == old else None)
                    self._version = current
                self._checked_at = now
        return self._version or 0

    def _drop(self, changed: set[str] | None) -> None:
        """Drop the entries depending on the changed subjects (all of them for None); the lock is held."""
        for key, entry in list(self._entries.items()):
            if changed is None or EVERYTHING in entry.depends or not entry.depends.isdisjoint(changed):
                self._remove(key)
                self._stale[key] = entry.body
        while len(self._stale) > self.max_entries:
            del self._stale[next(iter(self._stale))]

    def _remove(self, key: tuple[str, str]) -> None:
        entry = self._entries.pop(key)
        self._bytes -= len(entry.body.body)
        route = self._routes.get(key[0])
        if route is not None:
            route.entries -= 1
            if route.entries <= 0:
                del self._routes[key[0]]

    def invalidate(self) -> None:
        """Drop every entry now."""
        with self._lock:
            self._drop(None)
            self._stale.clear()
            self._version = None

    def lookup(self, environ: Environ) -> tuple[CachedBody, str] | None:
        """Return the cached response (and its Vary header) for a request, if current."""
        self.version()
        url = _url_key(environ)
        route = self._routes.get(url)
        if route is None:
            return None
        try:
            variant = _variant(route.key, environ)
        except Exception:  # a parameter the view refuses: let the view answer with its 4xx
            return None
        with self._lock:
            entry = self._entries.get((url, variant))
            if entry is None:
                return None
            self._entries.move_to_end((url, variant))
        return entry.body, route.vary

    def store(self, environ: Environ, key: KeyFunction, entry: CachedBody, vary: str,
              depends: Iterable[str] = (EVERYTHING,)) -> None:
        """Remember a response under its URL and negotiated variant, evicting the least recently used."""
        url = _url_key(environ)
        variant = _variant(key, environ)
        size = len(entry.body)
        if size > self.max_bytes:
            return
        with self._lock:
            self._stale.pop((url, variant), None)
            if (url, variant) in self._entries:
                self._remove((url, variant))
            route = self._routes.get(url)
            if route is None or route.key is not key or route.vary != vary:
                if route is not None:  # the URL is now answered differently: forget its other variants
                    for other in [k for k in self._entries if k[0] == url]:
                        self._remove(other)
                route = self._routes[url] = _Route(key, vary)
            self._entries[(url, variant)] = _Entry(entry, frozenset(depends))
            route.entries += 1
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._remove(next(iter(self._entries)))

    def stale(self, environ: Environ, key: KeyFunction) -> CachedBody | None:
        """Return the dropped answer to a request that is being rebuilt, if there is one."""
        with self._lock:
            return self._stale.get((_url_key(environ), _variant(key, environ)))

    def forget_stale(self, environ: Environ, key: KeyFunction) -> None:
        """Drop the stale answer to a request whose rebuild failed: its content may be gone."""
        with self._lock:
            self._stale.pop((_url_key(environ), _variant(key, environ)), None)

    def filling(self, environ: Environ, key: KeyFunction) -> threading.Lock:
        """Return the lock one thread holds while it computes a missing entry, so others wait for it."""
        slot = (_url_key(environ), _variant(key, environ))
        with self._lock:
            lock = self._filling.get(slot)
            if lock is None:
                if len(self._filling) > 1024:  # forget idle locks; a busy one is simply created again
                    self._filling = {k: v for k, v in self._filling.items() if v.locked()}
                lock = self._filling[slot] = threading.Lock()
            return lock


def cache() -> ResponseCache:
    """Return this app's response cache."""
    return current_app.extensions["museum.cache"]


def _headers(entry: CachedBody, public: bool, vary: str) -> list[tuple[str, str]]:
    headers = [
        ("ETag", entry.etag),
        ("Cache-Control", "public, no-cache" if public else "private, no-cache"),
        ("Vary", vary),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if entry.encoding:
        headers.append(("Content-Encoding", entry.encoding))
    return headers


def _matches(if_none_match: str | None, etag: str) -> bool:
    return bool(if_none_match) and (if_none_match.strip() == "*" or  # type: ignore[union-attr]
                                    etag in [m.strip() for m in if_none_match.split(",")])  # type: ignore[union-attr]


class CachedResponses:
    """WSGI middleware answering cached anonymous GET/HEAD requests before Flask routes them.

    A hit costs a dictionary look-up, the negotiation of the request's variant and a header comparison;
    everything else goes to the app, whose `cached_json` views fill the cache.
    """

    def __init__(self, wsgi_app: Any, store: ResponseCache) -> None:
        self.wsgi_app = wsgi_app
        self.store = store

    def __call__(self, environ: Environ, start_response: Any) -> Any:
        method = environ.get("REQUEST_METHOD")
        if (method == "GET" or method == "HEAD") and is_anonymous(environ):
            try:
                hit = self.store.lookup(environ)
            except SQLAlchemyError:
                # The catalogue version cannot be read (database down or not initialised): let the app answer,
                # so the health endpoint can say so and errors keep the one JSON shape.
                hit = None
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
    store = ResponseCache(app.extensions["museum.db"], float(app.config["MUSEUM_CACHE_CHECK_SECONDS"]),
                          int(app.config["MUSEUM_CACHE_MAX_ENTRIES"]), int(app.config["MUSEUM_CACHE_MAX_BYTES"]))
    app.extensions["museum.cache"] = store
    app.wsgi_app = CachedResponses(app.wsgi_app, store)  # type: ignore[method-assign]


def is_anonymous_request() -> bool:
    """Return whether the current request carries no credentials."""
    return is_anonymous(request.environ)


def depends_on(*subjects: str) -> None:
    """Declare what the response being built depends on, so only changes to those subjects drop it."""
    g.cache_depends = subjects


def _respond(entry: CachedBody, public: bool, vary: str = VARY) -> Response:
    headers = dict(_headers(entry, public, vary))
    if _matches(request.headers.get("If-None-Match"), entry.etag):
        return Response(status=304, headers=headers)
    return Response(entry.body, status=200, headers=headers, content_type=entry.media_type)


def serialised(data: Any, media_type: str = "application/json", encoding: str = "") -> CachedBody:
    """Serialise data to a cacheable body with its ETag, gzip-compressed when encoding is 'gzip'."""
    body = dumps(data)
    if encoding == "gzip" and len(body) >= GZIP_MIN_BYTES:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        # A strong ETag names one representation: the compressed bytes get their own.
        return CachedBody(body=body, etag=make_etag(body), media_type=media_type, encoding="gzip")
    return CachedBody(body=body, etag=make_etag(body), media_type=media_type)


def cached_json(key: KeyFunction, media_type: str = "application/json",
                vary: str = VARY) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Serve a view's JSON from the cache for anonymous visitors, with ETag and 304 on revalidation.

    The view returns plain data. `key` turns the request's WSGI environ into what was negotiated for it (the
    language, a device tier) and raises the view's 4xx for a bad parameter; it runs first, so nothing is cached
    for a refused request, and its result with the content encoding is the cache key beside the URL. `vary`
    names the request headers that negotiation reads, for shared caches downstream. A view may call
    `depends_on` to say which changes make its answer stale; otherwise any change does.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Response]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            environ = request.environ
            key(environ)
            encoding = "gzip" if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING")) else ""
            if not is_anonymous_request():
                return _respond(serialised(view(*args, **kwargs), media_type, encoding), public=False, vary=vary)
            store = cache()
            hit = store.lookup(environ)
            if hit is None:
                # One thread computes a missing answer; the others asking for it meanwhile get its stale answer
                # if a change just dropped one, or else wait and reuse the new one.
                filling = store.filling(environ, key)
                if not filling.acquire(blocking=False):
                    stale = store.stale(environ, key)
                    if stale is not None:
                        return _respond(stale, public=True, vary=vary)
                    filling.acquire()
                try:
                    hit = store.lookup(environ)
                    if hit is None:
                        version = store.version()
                        g.pop("cache_depends", None)
                        try:
                            entry = serialised(view(*args, **kwargs), media_type, encoding)
                        except Exception:
                            store.forget_stale(environ, key)
                            raise
                        if store.version() == version:  # not built across a change it may have missed
                            store.store(environ, key, entry, vary, g.pop("cache_depends", (EVERYTHING,)))
                        return _respond(entry, public=True, vary=vary)
                finally:
                    filling.release()
            return _respond(hit[0], public=True, vary=vary)

        return wrapper

    return decorator
