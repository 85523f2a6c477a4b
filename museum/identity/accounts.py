"""Staff accounts: creation and password hashing with argon2id at OWASP's parameters."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.errors import Conflict, Unprocessable
from museum.models import Role, User

# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB of memory, 2 iterations, 1 degree of parallelism.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    """Return an argon2id hash of a password."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Return whether a password matches its stored hash (always spends the same work)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY = _HASHER.hash("not a password of anyone")


def create_user(session: Session, name: str, role: str, password: str | None) -> User:
    """Create a staff user; a password is required for studio sign-in."""
    if not _NAME.fullmatch(name):  # fullmatch: $ alone would let a final newline through
        raise Unprocessable("A user name is 2-80 letters, digits or _.@-", code="invalid_name", pointer="/name")
    if role not in {r.value for r in Role}:
        raise Unprocessable(f"Unknown role {role!r}.", code="invalid_role", pointer="/role")
    if password is not None and len(password) < MIN_PASSWORD:
        raise Unprocessable(f"A password has at least {MIN_PASSWORD} characters.", code="weak_password",
                            pointer="/password")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise Conflict(f"A user named {name!r} exists already.", code="user_exists", pointer="/name")
    user = User(name=name, role=role, password_hash=hash_password(password) if password else None)
    session.add(user)
    session.flush()
    return user


def ensure_user(session: Session, name: str, role: str) -> User:
    """Return the user with this name, creating one without a password when missing."""
    user = session.scalar(select(User).where(User.name == name))
    return user if user is not None else create_user(session, name, role, None)
