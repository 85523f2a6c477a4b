"""The public URLs of a guest's photo: the share page and its QR codes, on the museum's public origin."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, request


@dataclass(frozen=True)
class ShareUrls:
    """Absolute URLs of a share link."""

    share: str
    qr_png: str
    qr_svg: str


def public_origin() -> str:
    """Return MUSEUM_BASE_URL, or the origin the request came to."""
    base = str(current_app.config.get("MUSEUM_BASE_URL") or "").rstrip("/")
    return base or request.host_url.rstrip("/")


def share_urls(token: str) -> ShareUrls:
    """Return the share page and QR code URLs of a token."""
    share = f"{public_origin()}/p/{token}"
    return ShareUrls(share, f"{share}/qr.png", f"{share}/qr.svg")


def share_link_problem(base_url: str | None) -> str | None:
    """Return why share links on `base_url` (MUSEUM_BASE_URL) would not open on a guest's phone, or None."""
    base = (base_url or "").strip()
    if not base:
        return ("MUSEUM_BASE_URL is empty: share links would name whatever address the booth used, which a "
                "guest's phone cannot reach. Set it to the museum's public address, e.g. https://museum.example.org")
    parts = urlsplit(base)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"MUSEUM_BASE_URL {base!r} is not an http(s) address a phone can open."
    if host == "localhost" or host.endswith(".localhost"):
        return f"MUSEUM_BASE_URL {base!r} names this machine (localhost): a guest's phone cannot reach it."
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified or address.is_link_local:
        return f"MUSEUM_BASE_URL {base!r} is a loopback or unroutable address: a guest's phone cannot reach it."
    return None
