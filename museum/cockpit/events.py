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
import secrets
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, get_args

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from museum.cockpit.payloads import EVENTS, MAX_BATCH, VisitorEvent
from museum.core import payloads
from museum.core.errors import BadRequest, Unprocessable
from museum.models import DailySalt
from museum.models.cockpit import VISIT_EVENTS

# What visitors' pages may send; the booth's events are recorded by the server itself, never accepted from outside.
# film_play: a film was played, dwell_ms how long it was watched (sent when it stops or the page is left);
# sound_heard: a gallery's sounds were heard (sound on, in the room), dwell_ms for how long.
VISITOR_TYPES: tuple[str, ...] = tuple(get_args(m.model_fields["type"].annotation)[0] for m in EVENTS)
BOOTH_TYPES = ("photo_taken", "photo_composed", "photo_shared", "photo_deleted", "photo_failed")
# The inquiry kiosk's sessions: sent by the screen with its device token to /api/v1/inquiry/sessions, not here.
KIOSK_TYPES = ("inquiry_session",)
VIEW_TYPES = ("exhibit_view", "gallery_view")
MAX_BODY_BYTES = 64 * 1024


def parse_event(event: Any, index: int) -> dict[str, Any]:
    """Return one visitor event as the columns it is stored in, or refuse it with a pointer to the fault."""
    pointer = f"/events/{index}"
    try:
        return VisitorEvent.model_validate(event).root.row()
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
    if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
        allowed = ", ".join(VISITOR_TYPES)
        raise Unprocessable(f"Unknown event type {event.get('type')!r}; send one of {allowed}.",
                            code="unknown_event_type", pointer=f"{pointer}/type")
    where = error["loc"][1:]  # after the type, which chose the event's model
    raise Unprocessable(payloads.message(error, where), code="invalid_event",
                        pointer=pointer + payloads.pointer(where))


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
