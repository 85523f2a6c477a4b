"""Credentials: the token formats, how a token is stored, and the principal a request acts as."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "mus_"
SESSION_COOKIE = "museum_session"
KIOSK_PREFIX = "kio_"


def hash_token(token: str) -> str:
    """Return the SHA-256 under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(prefix: str) -> str:
    """Return a new random token (256 bits from the OS CSPRNG) with a recognisable prefix."""
    return prefix + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Principal:
    """A signed-in person (by session or API token)."""

    user_id: int
    name: str
    role: str
    via: str  # token | session
