"""Security headers on every answer: a Content-Security-Policy, no framing, and HSTS when the museum is on HTTPS.

The policy lets the pages do what they do and nothing more: scripts and styles from the museum itself, WebAssembly
compiled by the Draco/Basis/meshopt decoders ('wasm-unsafe-eval'), their workers from blob: URLs, glTF buffers and
textures from data:/blob: URLs, the booth camera's MediaStream, and no page of the museum inside another site's frame
(the kiosk keeps its device token in localStorage, the share page has a delete button). Pages with stricter needs
(the studio, the cockpit) set their own policy first; this one only fills in what is missing.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, Response

POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    # three.js and the pages set element styles; inline styles cannot run code, inline scripts stay refused.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "media-src": "'self' data: blob: mediastream:",
    "font-src": "'self' data:",
    "connect-src": "'self' data: blob:",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(extra_script_src: str = "", public_origin: str = "") -> str:
    """Return the museum's Content-Security-Policy, with extra script sources (e.g. an inline script's hash).

    `public_origin` (from MUSEUM_BASE_URL) is the museum's own address as guests' phones reach it: the booth may be
    opened at another address on the exhibition centre's network and still shows QR codes served from there.
    """
    parts = dict(POLICY)
    if extra_script_src:
        parts["script-src"] = f"{parts['script-src']} {extra_script_src}"
    if public_origin:
        parts["img-src"] = f"{parts['img-src']} {public_origin}"
    return "; ".join(f"{name} {value}" for name, value in parts.items())


@lru_cache(maxsize=8)
def _policy_for(base_url: str) -> str:
    base = urlsplit(base_url)
    origin = f"{base.scheme}://{base.netloc}" if base.scheme in ("http", "https") and base.netloc else ""
    return policy(public_origin=origin)


def security_headers(app: Flask) -> list[tuple[str, str]]:
    """Return the security headers an answer of this app carries unless it set its own."""
    hsts_seconds = int(app.config.get("MUSEUM_HSTS_SECONDS", 0) or 0)
    found = [("X-Content-Type-Options", "nosniff"),
             ("Content-Security-Policy", _policy_for(str(app.config.get("MUSEUM_BASE_URL") or ""))),
             ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")]
    if hsts_seconds > 0:
        found.append(("Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains"))
    return found


def init_app(app: Flask) -> None:
    """Add the security headers to every response that has not set its own."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in security_headers(app):
            response.headers.setdefault(name, value)
        return response
