"""Recognise the image formats glTF carries (PNG, JPEG, WebP, KTX2) and read their size without decoding."""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image

MIME_BY_FORMAT = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "ktx2": "image/ktx2"}
KTX2_MAGIC = b"\xabKTX 20\xbb\r\n\x1a\n"


def sniff(data: bytes) -> str | None:
    """Return 'png', 'jpeg', 'webp' or 'ktx2' from the leading bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(KTX2_MAGIC):
        return "ktx2"
    return None


def dimensions(data: bytes, fmt: str) -> tuple[int, int]:
    """Return (width, height) read from the header; raises ValueError when it cannot be read."""
    if fmt == "ktx2":
        if len(data) < 28:
            raise ValueError("KTX2 header truncated")
        width, height = struct.unpack_from("<II", data, 20)
        return int(width), max(int(height), 1)
    with warnings.catch_warnings():
        # Pixel limits are ours to enforce (IngestLimits.max_texture_pixels), not Pillow's global default.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                return int(image.size[0]), int(image.size[1])
        except Image.DecompressionBombError as exc:
            raise ValueError(str(exc)) from None
        except OSError as exc:
            raise ValueError(str(exc)) from None
