"""Checking curators' images, audio narration and WebVTT captions before they are stored.

Images are decoded only after their header's size is checked (a decompression bomb is refused unread), turned
upright, bounded to 4096 px and re-encoded as WebP, so nothing a camera wrote (GPS, maker notes) is kept. Audio is
kept as uploaded once its container is recognised by its first bytes; captions must be UTF-8 WebVTT.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from museum.errors import PayloadTooLarge, Unprocessable, UnsupportedMedia

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})
AUDIO_TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".wav": "audio/wav"}
CAPTION_SUFFIXES = frozenset({".vtt"})
MEDIA_SUFFIXES = IMAGE_SUFFIXES | frozenset(AUDIO_TYPES) | CAPTION_SUFFIXES
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 4096
MAX_CAPTION_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CheckedMedia:
    """A media upload ready to store: its kind, bytes and media type."""

    kind: str  # image | audio | captions
    data: bytes
    media_type: str


def _image(data: bytes) -> CheckedMedia:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise PayloadTooLarge(f"The image claims {width}x{height} pixels; the limit is "
                                      f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.", code="IMAGE_TOO_LARGE",
                                      pointer="/file")
            if image.format not in ("PNG", "JPEG", "WEBP"):
                raise UnsupportedMedia(f"{image.format} images are not accepted; upload PNG, JPEG or WebP.",
                                       code="UNSUPPORTED_FILE_TYPE", pointer="/file")
            image.load()
    except (PayloadTooLarge, UnsupportedMedia):
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PayloadTooLarge(str(exc), code="IMAGE_TOO_LARGE", pointer="/file") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedMedia(f"This is not a readable image: {exc}", code="IMAGE_UNREADABLE",
                               pointer="/file") from exc
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, "WEBP", quality=85, method=4)
    return CheckedMedia("image", out.getvalue(), "image/webp")


def _audio(data: bytes, suffix: str) -> CheckedMedia:
    head = data[:12]
    known = {
        ".mp3": head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0),
        ".ogg": head.startswith(b"OggS"),
        ".wav": head.startswith(b"RIFF") and head[8:12] == b"WAVE",
        ".m4a": head[4:8] == b"ftyp",
    }
    if not known[suffix]:
        raise UnsupportedMedia(f"This file does not start like {suffix} audio.", code="AUDIO_UNRECOGNISED",
                               pointer="/file")
    return CheckedMedia("audio", data, AUDIO_TYPES[suffix])


def _captions(data: bytes) -> CheckedMedia:
    if len(data) > MAX_CAPTION_BYTES:
        raise PayloadTooLarge("Captions are limited to 1 MB.", code="CAPTIONS_TOO_LARGE", pointer="/file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable("Captions must be UTF-8 text.", code="CAPTIONS_NOT_UTF8", pointer="/file") from exc
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise Unprocessable("A WebVTT file begins with the line WEBVTT.", code="CAPTIONS_NOT_WEBVTT",
                            pointer="/file")
    return CheckedMedia("captions", text.encode("utf-8"), "text/vtt")


def check_media(data: bytes, suffix: str) -> CheckedMedia:
    """Check an image, audio or captions upload by its file suffix; raise a 4xx naming the problem."""
    if suffix in IMAGE_SUFFIXES:
        return _image(data)
    if suffix in AUDIO_TYPES:
        return _audio(data, suffix)
    if suffix in CAPTION_SUFFIXES:
        return _captions(data)
    raise UnsupportedMedia(f"Files ending {suffix} are not accepted.", code="UNSUPPORTED_FILE_TYPE", pointer="/file")
