"""QR codes for a guest's share link, as PNG and SVG bytes with no metadata."""

from __future__ import annotations

import io

import numpy as np
import qrcode
from PIL import Image

from ar_photo.errors import PhotoRejected

MAX_URL_LENGTH = 2048


def qr_matrix(url: str, border: int = 4) -> np.ndarray:
    """Return the QR modules of `url` (error correction M) as an (N, N) bool array, True = dark, quiet zone
    included."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH or not url.isprintable():
        message = f"A QR code needs a printable URL of 1..{MAX_URL_LENGTH} characters."
        raise PhotoRejected("QR_URL_INVALID", message, 422)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(url)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def qr_png(url: str, box_size: int = 10, border: int = 4) -> bytes:
    """Return a black-on-white PNG QR code of `url`, `box_size` pixels per module."""
    modules = qr_matrix(url, border)
    pixels = np.where(np.kron(modules, np.ones((box_size, box_size), dtype=bool)), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).convert("1").save(buf, "PNG", optimize=True)
    return buf.getvalue()


def qr_svg(url: str, border: int = 4) -> bytes:
    """Return an SVG QR code of `url`: one path of dark runs on a white square, crisp at any size."""
    modules = qr_matrix(url, border)
    n = modules.shape[0]
    runs: list[str] = []
    for y, row in enumerate(modules):
        # Row-wise dark runs keep the path short: one "M x y h w v1 h-w z" per run.
        padded = np.concatenate(([False], row, [False]))
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            runs.append(f"M{start} {y}h{stop - start}v1h-{stop - start}z")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>'
    )
    return svg.encode("ascii")
