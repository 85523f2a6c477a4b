"""Configuration: factory defaults, then MUSEUM_* environment variables, then the test config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Every setting the museum reads, with its default; each can be set as MUSEUM_<NAME> in the environment.
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # default: sqlite:///<instance>/museum.db
    "STORAGE_DIR": None,  # default: <instance>/storage
    "SECRET_KEY": None,  # default: a random key kept in <instance>/secret_key
    "BASE_URL": "",  # public origin for share links and QR codes, e.g. https://museum.example.org
    "DEFAULT_LANG": "zh-Hans",
    "CACHE_CHECK_SECONDS": 1.0,  # how often a worker checks that its cached catalogue is still current
    "SQLITE_BUSY_TIMEOUT_MS": 30000,
    "MAX_UPLOAD_BYTES": 200 * 1024 * 1024,
    "JOB_QUEUE": "embedded",  # embedded | redis
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PHOTO_RETENTION_DAYS": 7,
    "PHOTO_LOOKUPS_PER_MINUTE": 30,  # unknown share links one client may try per minute
    "SESSION_COOKIE_SECURE": True,
    "TRUSTED_PROXIES": 0,  # how many reverse proxies (nginx) stand in front: their X-Forwarded-* are believed
    "WORKERS": 0,  # museum serve: 0 means 2 x CPU cores (at most 8)
    "THREADS": 32,
}

_TYPES: dict[str, type] = {
    "CACHE_CHECK_SECONDS": float,
    "SQLITE_BUSY_TIMEOUT_MS": int,
    "MAX_UPLOAD_BYTES": int,
    "PHOTO_RETENTION_DAYS": int,
    "PHOTO_LOOKUPS_PER_MINUTE": int,
    "TRUSTED_PROXIES": int,
    "WORKERS": int,
    "THREADS": int,
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
