"""Configuration: factory defaults, then MUSEUM_* environment variables, then the test config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Every setting the museum reads, with its default; each can be set as MUSEUM_<NAME> in the environment.
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # default: sqlite:///<instance>/museum.core.db
    "STORAGE_DIR": None,  # default: <instance>/storage
    "SECRET_KEY": None,  # default: a random key kept in <instance>/secret_key
    "BASE_URL": "",  # public origin for share links and QR codes, e.g. https://museum.example.org
    "DEFAULT_LANG": "zh-Hans",
    "TIMEZONE": "Asia/Shanghai",  # the museum's local time: share pages and the date printed on photos
    "CACHE_CHECK_SECONDS": 1.0,  # how often a worker checks that its cached catalogue is still current
    "CACHE_MAX_ENTRIES": 4096,  # cached responses per worker; the least recently used go first
    "CACHE_MAX_BYTES": 64 * 1024 * 1024,  # and at most this many bytes of their bodies
    "SQLITE_BUSY_TIMEOUT_MS": 30000,
    # Behind nginx: the internal location over the file store (e.g. /_museum_files/) that sends stored files
    # (X-Accel-Redirect) instead of a worker thread; empty: the app sends them itself.
    "ACCEL_REDIRECT": "",
    "MAX_UPLOAD_BYTES": 200 * 1024 * 1024,
    "JOB_QUEUE": "embedded",  # embedded | redis
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PHOTO_RETENTION_DAYS": 7,
    "PHOTO_LOOKUPS_PER_MINUTE": 30,  # unknown share links one client may try per minute
    "INQUIRY_IDLE_SECONDS": 90,  # the inquiry kiosk goes back to its attract loop after this long untouched
    "SESSION_COOKIE_SECURE": True,
    "HSTS_SECONDS": 0,  # on HTTPS: how long browsers must use HTTPS only (Strict-Transport-Security); 0 = off
    "TRUSTED_PROXIES": 0,  # how many reverse proxies (nginx) stand in front: their X-Forwarded-* are believed
    "WORKERS": 0,  # museum serve: 0 means one process per CPU core (2 to 8)
    "THREADS": 64,  # per process: a slow phone's download holds one
    "EVENTS_RETENTION_DAYS": 30,  # raw visitor events are purged after this; hourly and daily rollups are kept
    "COCKPIT_TIMEZONE": "Asia/Shanghai",  # the museum's local days and hours (a whole-hour UTC offset)
    "ALERT_DISK_FREE_PERCENT": 10.0,  # the cockpit warns when the file store's disk has less free space
}

_TYPES: dict[str, type] = {
    "CACHE_CHECK_SECONDS": float,
    "CACHE_MAX_ENTRIES": int,
    "CACHE_MAX_BYTES": int,
    "SQLITE_BUSY_TIMEOUT_MS": int,
    "MAX_UPLOAD_BYTES": int,
    "PHOTO_RETENTION_DAYS": int,
    "PHOTO_LOOKUPS_PER_MINUTE": int,
    "INQUIRY_IDLE_SECONDS": int,
    "HSTS_SECONDS": int,
    "TRUSTED_PROXIES": int,
    "WORKERS": int,
    "THREADS": int,
    "EVENTS_RETENTION_DAYS": int,
    "ALERT_DISK_FREE_PERCENT": float,
    "SESSION_COOKIE_SECURE": bool,
}


def _parse(name: str, raw: str) -> Any:
    kind = _TYPES.get(name, str)
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the settings given as MUSEUM_* environment variables."""
    env = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for name in DEFAULTS:
        raw = env.get(f"MUSEUM_{name}")
        if raw is not None and raw != "":
            found[name] = _parse(name, raw)
    return found


def instance_path(environ: Mapping[str, str] | None = None) -> Path:
    """Return the instance folder (MUSEUM_INSTANCE_PATH or ./instance)."""
    env = os.environ if environ is None else environ
    return Path(env.get("MUSEUM_INSTANCE_PATH") or Path.cwd() / "instance").resolve()
