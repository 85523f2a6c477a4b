"""The public URLs of a guest's photo: the share page and its QR codes, on the museum's public origin."""

from __future__ import annotations

from dataclasses import dataclass

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
