"""Photo fixtures built in code: JPEGs with EXIF, odd pixel modes, a hand-written ICC profile."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

# sRGB primaries adapted to D50, as an ICC matrix/TRC profile stores them (X, Y, Z).
_SRGB_RED = (0.4361, 0.2225, 0.0139)
_SRGB_GREEN = (0.3851, 0.7169, 0.0971)
_SRGB_BLUE = (0.1431, 0.0606, 0.7141)
_D50 = (0.9642, 1.0, 0.8249)


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _xyz(v: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(c) for c in v)


def _desc(text: str) -> bytes:
    raw = text.encode("ascii") + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(raw)) + raw + b"\0" * 8 + b"\0" * 3 + b"\0" * 67


def swapped_primaries_icc() -> bytes:
    """Return an RGB ICC profile whose red and green primaries are sRGB's green and red (linear curves)."""
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 256) + b"\0\0"  # gamma 1.0 (u8Fixed8)
    tags = [
        (b"desc", _desc("Swapped red/green test profile")),
        (b"wtpt", _xyz(_D50)),
        (b"rXYZ", _xyz(_SRGB_GREEN)),
        (b"gXYZ", _xyz(_SRGB_RED)),
        (b"bXYZ", _xyz(_SRGB_BLUE)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0test\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size) + b"\0\0\0\0" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + b"".join(_s15(c) for c in _D50)
        + b"\0" * 4 + b"\0" * 16 + b"\0" * 28
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    """Return `img` saved in `fmt` with Pillow save parameters."""
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def halves(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Return an RGB image whose left half is red and right half blue."""
    img = Image.new("RGB", size, (0, 0, 255))
    img.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return img


def exif_jpeg(img: Image.Image, orientation: int = 1, gps: bool = False) -> bytes:
    """Return a JPEG of `img` carrying an EXIF orientation, a maker and optionally a GPS block."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "ExampleCam"
    exif[0x927C] = b"maker-note-secret"
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    return encode(img, "JPEG", exif=exif, quality=95)


@pytest.fixture
def icc_swapped() -> bytes:
    """An ICC profile that swaps red and green relative to sRGB."""
    return swapped_primaries_icc()
