"""Checking curators' images, audio narration and WebVTT captions before they are stored.

Images are decoded only after their header's size is checked (a decompression bomb is refused unread), bounded to
4096 px, turned upright and re-encoded as WebP, so nothing a camera wrote (GPS, maker notes) is kept. Decoding is
what costs memory (a 40-megapixel picture is 160 MB decoded), so a web process decodes pictures within one pixel
budget (`DECODE_BUDGET`: uploads beyond it wait their turn), a JPEG is decoded at the scale it is kept at, and the
picture is scaled down before any other copy of it is made. Audio is
kept as uploaded once its container is recognised by its first bytes and its stream read as audio of some length
(mutagen, which reads headers and frames, never decodes the sound); captions must be UTF-8 WebVTT whose every cue
has a readable timing that does not run backwards.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import mutagen
from PIL import Image, ImageOps

from ar_photo.normalize import register_heif
from assets.memory import MemoryBudget
from assets.textures import BYTES_PER_PIXEL
from museum.core.errors import PayloadTooLarge, Unprocessable, UnsupportedMedia

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif"})
AUDIO_TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".wav": "audio/wav"}
CAPTION_SUFFIXES = frozenset({".vtt"})
MEDIA_SUFFIXES = IMAGE_SUFFIXES | frozenset(AUDIO_TYPES) | CAPTION_SUFFIXES
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 4096
MAX_CAPTION_BYTES = 1024 * 1024
DECODE_BUDGET = 512 << 20  # bytes one web process spends on pictures at once (a 40-megapixel one takes 481 MB)
_decoding = MemoryBudget(DECODE_BUDGET)
# What mutagen makes of each kind of file; anything else (an MP3 named .ogg, say) is refused.
AUDIO_CONTAINERS = {".mp3": {"MP3", "EasyMP3"}, ".ogg": {"OggVorbis", "OggOpus", "OggFLAC", "OggSpeex", "OggTheora"},
                    ".m4a": {"MP4", "EasyMP4"}, ".wav": {"WAVE"}}
_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t].*)?$")
_BLOCK_GAP = re.compile(r"\n[ \t]*\n")


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
            if data[4:8] == b"ftyp":
                register_heif()
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise PayloadTooLarge(f"The image claims {width}x{height} pixels; the limit is "
                                      f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.", code="IMAGE_TOO_LARGE",
                                      pointer="/file")
            # MPO: a phone's JPEG with extra frames (the first is the picture); HEIF: an iPhone's photo.
            if image.format not in ("PNG", "JPEG", "WEBP", "MPO", "HEIF"):
                raise UnsupportedMedia(f"{image.format} images are not accepted; upload PNG, JPEG, WebP or HEIC.",
                                       code="UNSUPPORTED_FILE_TYPE", pointer="/file")
            with _decoding.hold(_working_set(width, height)):
                return CheckedMedia("image", _webp(_bounded_upright(image)), "image/webp")
    except (PayloadTooLarge, UnsupportedMedia):
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PayloadTooLarge(str(exc), code="IMAGE_TOO_LARGE", pointer="/file") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedMedia(f"This is not a readable image: {exc}", code="IMAGE_UNREADABLE",
                               pointer="/file") from exc


def _working_set(width: int, height: int) -> int:
    """Return the bytes a picture takes while it is made a WebP: decoded, the resize's intermediate (new width x
    old height) and result, and the WebP encoder's own copy and planes of that result."""
    side = min(max(width, height), MAX_IMAGE_SIDE)
    return (width * height + side * max(width, height) + 3 * side * side) * BYTES_PER_PIXEL


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()


def _bounded_upright(image: Image.Image) -> Image.Image:
    """Decode a picture at most MAX_IMAGE_SIDE on a side (a JPEG at a reduced scale straight away), upright."""
    box = (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", box)  # the decoder scales by 1/2, 1/4 or 1/8 as it reads: no full-size picture
    image.load()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    wanted = "RGBA" if has_alpha else "RGB"
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(wanted)  # palettes and 16-bit greys scale well only once converted
    image.thumbnail(box, Image.Resampling.LANCZOS)  # in place: the decoded picture is the only full-size copy
    if image.mode != wanted:
        image = image.convert(wanted)
    ImageOps.exif_transpose(image, in_place=True)  # turned by its EXIF orientation, once it is small
    return image


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
    try:
        parsed = mutagen.File(io.BytesIO(data))
        seconds = float(parsed.info.length) if parsed is not None else 0.0
    except Exception as exc:  # noqa: BLE001 - mutagen raises many kinds of error on a damaged file; all mean "unreadable"
        raise UnsupportedMedia(f"This {suffix} file cannot be read as audio: {str(exc)[:120]}",
                               code="AUDIO_UNREADABLE", pointer="/file") from exc
    if parsed is None or type(parsed).__name__ not in AUDIO_CONTAINERS[suffix] or not 0 < seconds < 24 * 3600:
        raise UnsupportedMedia(f"This {suffix} file holds no audio stream that can be played.",
                               code="AUDIO_UNREADABLE", pointer="/file")
    return CheckedMedia("audio", data, AUDIO_TYPES[suffix])


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _check_cues(text: str) -> None:
    """Refuse captions with no cue, or with a cue whose timing cannot be read or ends before it starts."""
    cues = 0
    for block in _BLOCK_GAP.split(text.replace("\r\n", "\n").replace("\r", "\n"))[1:]:
        lines = block.strip("\n").split("\n")
        timing = next((line for line in lines[:2] if "-->" in line), None)
        if timing is None:
            continue  # NOTE, STYLE and REGION blocks, or a stray line of text between cues
        match = _TIMING.match(timing.strip())
        if match is None:
            raise Unprocessable(f"Cue {cues + 1} has a timing WebVTT cannot read: {timing.strip()[:80]!r} (write "
                                "00:01.000 --> 00:04.000).", code="CAPTIONS_BAD_TIMING", pointer="/file")
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:8])
        if end < start:
            raise Unprocessable(f"Cue {cues + 1} ends before it starts: {timing.strip()[:80]!r}.",
                                code="CAPTIONS_BAD_TIMING", pointer="/file")
        cues += 1
    if cues == 0:
        raise Unprocessable("These captions hold no cue (a line like 00:01.000 --> 00:04.000 and its text).",
                            code="CAPTIONS_NO_CUES", pointer="/file")


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
    _check_cues(text.lstrip("\ufeff"))
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
