"""The JSON objects of signing in and out, declared once (museum.core.payloads)."""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import Len
from pydantic import Field

from museum.core.payloads import Reply, Request


class SignIn(Request):
    """A staff member's name and password."""

    name: Annotated[str, Len(1, 80)]
    password: Annotated[str, Len(1, 1024)]


class SignedInUser(Reply):
    """Who is signed in."""

    id: int
    name: str
    role: str


class SessionState(Reply):
    """Who is signed in (or that nobody is), how, and the CSRF token a session's writes need."""

    signed_in: bool
    user: SignedInUser | None
    via: str | None = Field(description="session (the studio's cookie) or token (an API token)")
    csrf_token: str | None


class SignedIn(Reply):
    """A new studio session: the cookie is set, and writes send the CSRF token in X-CSRF-Token."""

    signed_in: Literal[True]
    user: SignedInUser
    via: Literal["session"]
    csrf_token: str
    expires_at: str


class SignedOut(Reply):
    """The session has ended."""

    signed_in: Literal[False]


MODELS = (SignIn, SessionState, SignedIn, SignedOut)
