"""Visitors' events: validating a batch, counting visitors by a daily-salted hash, and storing nothing personal.

A visitor is `sha256(salt_of_the_day | address | user agent)`, cut to 64 bits. The salt is random, kept in the
database (so every worker and machine hashes alike) and deleted as soon as a later day's salt exists, after which
nobody, the museum included, can tell whether two days' hashes are the same person. The address and the user agent
are read from the request to compute the hash and are never written anywhere. A browser that sends Global Privacy
Control (`Sec-GPC: 1`) or Do Not Track (`DNT: 1`) gets no hash at all: its events count as views but never as a
visitor.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from museum.core.errors import BadRequest, Unprocessable
from museum.core.i18n import LANGS
from museum.models import DailySalt
from museum.models.cockpit import VISIT_EVENTS

# What visitors' pages may send; the booth's events are recorded by the server itself, never accepted from outside.
# film_play: a film was played, dwell_ms how long it was watched (sent when it stops or the page is left);
# sound_heard: a gallery's sounds were heard (sound on, in the room), dwell_ms for how long.
VISITOR_TYPES = ("exhibit_view", "gallery_view", "timeline_view", "tour_step", "vr_session", "ar_session", "search",
                 "film_play", "sound_heard")
BOOTH_TYPES = ("photo_taken", "photo_composed", "photo_shared", "photo_deleted", "photo_failed")
# The inquiry kiosk's sessions: sent by the screen with its device token to /api/v1/inquiry/sessions, not here.
KIOSK_TYPES = ("inquiry_session",)
VIEW_TYPES = ("exhibit_view", "gallery_view")
DEVICES = ("phone", "desktop", "headset", "kiosk")
MAX_BATCH = 100
MAX_BODY_BYTES = 64 * 1024
MAX_DWELL_MS = 24 * 3600 * 1000
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
_FIELDS = ("type", "exhibit", "gallery", "tour", "step", "path", "device", "lang", "dwell_ms", "query", "results")


def _text(event: dict[str, Any], name: str, pointer: str, max_len: int) -> str:
    value = event.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_len:
        raise Unprocessable(f"{name} is a string of at most {max_len} characters.", code="invalid_event",
                            pointer=f"{pointer}/{name}")
    return value


def _slug(event: dict[str, Any], name: str, pointer: str) -> str:
    value = _text(event, name, pointer, 120)
    if value and not _SLUG.fullmatch(value):
        raise Unprocessable(f"{name} is a slug (lower-case letters, digits and -).", code="invalid_event",
                            pointer=f"{pointer}/{name}")
    return value


def _int(event: dict[str, Any], name: str, pointer: str, maximum: int) -> int | None:
    value = event.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one kind of number: 183.0 is the integer 183, as the document's schema says
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise Unprocessable(f"{name} is a whole number from 0 to {maximum}.", code="invalid_event",
                            pointer=f"{pointer}/{name}")
    return value


def _choice(event: dict[str, Any], name: str, pointer: str, allowed: tuple[str, ...]) -> str:
    value = event.get(name)
    if value is None:
        return ""
    if value not in allowed:
        raise Unprocessable(f"{name} is one of {', '.join(allowed)}.", code="invalid_event",
                            pointer=f"{pointer}/{name}")
    return str(value)


def parse_event(event: Any, index: int) -> dict[str, Any]:
    """Return one visitor event as the columns it is stored in, or refuse it with a pointer to the fault."""
    pointer = f"/events/{index}"
    if not isinstance(event, dict):
        raise Unprocessable("An event is a JSON object.", code="invalid_event", pointer=pointer)
    kind = event.get("type")
    if kind not in VISITOR_TYPES:
        allowed = ", ".join(VISITOR_TYPES)
        raise Unprocessable(f"Unknown event type {kind!r}; send one of {allowed}.", code="unknown_event_type",
                            pointer=f"{pointer}/type")
    for name in event:
        if name not in _FIELDS:
            raise Unprocessable(f"Events have no field {name!r}.", code="invalid_event", pointer=f"{pointer}/{name}")
    path = _text(event, "path", pointer, 200)
    if path and not path.startswith("/"):
        raise Unprocessable("path is the page's path, starting with /.", code="invalid_event",
                            pointer=f"{pointer}/path")
    row = {
        "type": kind,
        "exhibit": _slug(event, "exhibit", pointer),
        "gallery": _slug(event, "gallery", pointer),
        "tour": _slug(event, "tour", pointer),
        "step": _int(event, "step", pointer, 999),
        "path": path,
        "device": _choice(event, "device", pointer, DEVICES),
        "lang": _choice(event, "lang", pointer, LANGS),
        "duration_ms": _int(event, "dwell_ms", pointer, MAX_DWELL_MS),
        "query": " ".join(_text(event, "query", pointer, 100).split()).lower(),
        "results": _int(event, "results", pointer, 1_000_000),
    }
    if kind in ("exhibit_view", "film_play") and not row["exhibit"]:
        raise Unprocessable(f"A {kind} names its exhibit.", code="invalid_event", pointer=f"{pointer}/exhibit")
    if kind in ("gallery_view", "sound_heard") and not row["gallery"]:
        raise Unprocessable(f"A {kind} names its gallery.", code="invalid_event", pointer=f"{pointer}/gallery")
    if kind == "tour_step" and (not row["tour"] or row["step"] is None):
        missing = "tour" if not row["tour"] else "step"
        raise Unprocessable("A tour_step names its tour and step.", code="invalid_event",
                            pointer=f"{pointer}/{missing}")
    return row


def parse_batch(data: Any) -> list[dict[str, Any]]:
    """Return every event of a batch, or refuse the whole batch (at most 100 events, all valid)."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise BadRequest('Send {"events": [...]}.', code="invalid_batch", pointer="/events")
    for name in data:
        if name != "events":
            raise Unprocessable(f"A batch has no field {name!r}; send only events.", code="invalid_batch",
                                pointer="/" + name.replace("~", "~0").replace("/", "~1"))
    events = data["events"]
    if not events:
        raise Unprocessable("The batch holds no events.", code="empty_batch", pointer="/events")
    if len(events) > MAX_BATCH:
        # A field's limit like any other (maxItems in the document): 422; 413 stays for bodies over MAX_BODY_BYTES.
        raise Unprocessable(f"A batch holds at most {MAX_BATCH} events; this one has {len(events)}.",
                            code="batch_too_large", pointer=f"/events/{MAX_BATCH}")
    return [parse_event(event, index) for index, event in enumerate(events)]


@dataclass
class _SaltCache:
    key: tuple[str, date] | None = None  # (database, day): a process may serve several databases (tests)
    salt: str = ""


_cache = _SaltCache()
_cache_lock = threading.Lock()


def salt_for(session: Session, day: date) -> str:
    """Return the salt of a local day, creating it (and deleting every earlier day's) when it is new."""
    key = (str(session.get_bind().engine.url), day)
    with _cache_lock:
        if _cache.key == key:
            return _cache.salt
    salt = session.scalar(select(DailySalt.salt).where(DailySalt.day == day))
    if salt is None:
        candidate = secrets.token_hex(32)
        try:
            with session.begin_nested():
                session.add(DailySalt(day=day, salt=candidate))
            salt = candidate
        except IntegrityError:  # another worker made today's salt first: use theirs
            salt = session.scalar(select(DailySalt.salt).where(DailySalt.day == day))
        session.execute(delete(DailySalt).where(DailySalt.day < day))
    assert salt is not None
    with _cache_lock:
        _cache.key, _cache.salt = key, salt
    return salt


def forget_cached_salt() -> None:
    """Drop this process's copy of the salt (its day is over, or a test wants a fresh one)."""
    with _cache_lock:
        _cache.key, _cache.salt = None, ""


def visitor_hash(salt: str, address: str, user_agent: str) -> str:
    """Return the day's pseudonym of a visitor: 64 bits of SHA-256 over the salt, address and user agent."""
    digest = hashlib.sha256(f"{salt}\x00{address}\x00{user_agent}".encode()).hexdigest()
    return digest[:16]


def opted_out(headers: Any) -> bool:
    """Return whether the browser asks not to be tracked (Global Privacy Control or Do Not Track)."""
    return headers.get("Sec-GPC", "").strip() == "1" or headers.get("DNT", "").strip() == "1"


def record(session: Session, rows: list[dict[str, Any]], visitor: str, at: datetime) -> int:
    """Store validated visitor events under one pseudonym ("" for none) at one time; return how many."""
    # Core, not the ORM: one executemany of the batch, without per-row ORM bookkeeping.
    session.execute(VISIT_EVENTS.insert(), [row | {"visitor": visitor, "at": at} for row in rows])
    return len(rows)
