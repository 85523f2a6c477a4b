"""Draw a line of caption text into a template text box, shrinking the font until it fits."""

from __future__ import annotations

import unicodedata

from PIL import Image, ImageColor, ImageDraw, ImageFont

from ar_photo.errors import PhotoRejected
from ar_photo.fonts import FontFace, load_font, missing_glyphs
from ar_photo.kept import Kept
from ar_photo.templates import TextStyle

MAX_CAPTION_CHARS = 120
_MIN_SIZE = 10
_ANCHORS = {"left": "lm", "center": "mm", "right": "rm"}
# Captions, dates and their sizes in use at a booth or two.
_STAMPS: Kept[tuple[FontFace, str, TextStyle], tuple[Image.Image, int, int]] = Kept(8)


def clean_caption(text: str, face: FontFace) -> str:
    """Return `text` as one trimmed line, refusing it when too long or when the font lacks a glyph."""
    # Line breaks and tabs become spaces; other control and format characters are dropped.
    line = "".join(ch for ch in " ".join(text.split()) if unicodedata.category(ch)[0] != "C")
    if len(line) > MAX_CAPTION_CHARS:
        raise PhotoRejected(
            "CAPTION_TOO_LONG", f"A caption has {len(line)} characters; at most {MAX_CAPTION_CHARS}.", 422
        )
    missing = missing_glyphs(face, line)
    if missing:
        shown = " ".join(f"U+{ord(ch):04X}" for ch in missing)
        raise PhotoRejected("CAPTION_GLYPH_MISSING", f"The caption font cannot draw: {shown}.", 422)
    return line


def fit_font(face: FontFace, text: str, style: TextStyle) -> ImageFont.FreeTypeFont:
    """Return the largest font <= style.size whose rendering of `text` fits the style's box."""
    size = min(style.size, style.box.h)
    while True:
        font = load_font(face, size)
        left, top, right, bottom = font.getbbox(text, anchor="lm")
        if (right - left <= style.box.w and bottom - top <= style.box.h) or size <= _MIN_SIZE:
            return font
        size = max(_MIN_SIZE, int(size * min(0.95, style.box.w / max(1, right - left))))


def draw_text(canvas: Image.Image, face: FontFace, text: str, style: TextStyle) -> tuple[int, int, int, int] | None:
    """Draw `text` in `style` (already cleaned) on `canvas`, vertically centred in its box; return the (left, top,
    right, bottom) it drew on (a text at the smallest size can reach past its box), None if nothing."""
    if not text:
        return None
    stamp, x, y = _stamp(face, text, style)
    canvas.paste(stamp, (x, y), stamp)
    return x, y, x + stamp.width, y + stamp.height


def _stamp(face: FontFace, text: str, style: TextStyle) -> tuple[Image.Image, int, int]:
    """Return `text` drawn in `style` as an RGBA stamp (the ink's colour, the glyphs' coverage as alpha) and where
    its top-left corner goes; kept, since a booth prints the same caption and date on photo after photo."""
    key = (face, text, style)
    found = _STAMPS.get(key)
    if found is not None:
        return found
    font = fit_font(face, text, style)
    box = style.box
    x = {"left": box.x, "center": box.x + box.w // 2, "right": box.x + box.w}[style.align]
    y, anchor = box.y + box.h // 2, _ANCHORS[style.align]
    left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor=anchor))
    stamp = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)), (*ImageColor.getrgb(style.color)[:3], 0))
    ImageDraw.Draw(stamp).text((-left, -top), text, fill=style.color, font=font, anchor=anchor)
    return _STAMPS.put(key, (stamp, x + left, y + top))
