"""Compose the booth picture: photo in the template's window, props, frame, caption, date and logo."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from PIL import Image, ImageDraw

from ar_photo.errors import PhotoRejected
from ar_photo.fonts import find_cjk_font
from ar_photo.layers import frame_layers
from ar_photo.limits import PhotoLimits
from ar_photo.normalize import decode, normalize, open_photo, orientation_of
from ar_photo.props import PropPose
from ar_photo.templates import Box, PhotoTemplate
from ar_photo.text import clean_caption, draw_text

PHONE_LONG_SIDE = 1280
THUMB_LONG_SIDE = 320
# A prop at scale 1 spans this fraction of the window's shorter side.
PROP_BASE_FRACTION = 0.35


class PropImages(Protocol):
    """Anything that renders a prop pose to a transparent RGBA image whose longer side is `long_side`."""

    def render(self, pose: PropPose, long_side: int) -> Image.Image: ...


@dataclass(frozen=True)
class Composition:
    """The finished picture as JPEG bytes in three sizes, none carrying metadata."""

    full: bytes
    phone: bytes
    thumb: bytes
    width: int
    height: int
    thumb_format: str = "JPEG"

    @property
    def thumb_mimetype(self) -> str:
        """Return the thumbnail's media type."""
        return "image/webp" if self.thumb_format == "WEBP" else "image/jpeg"


@dataclass(frozen=True)
class _Crop:
    """Which part of the upright photo fills the window: (u0, v0) and (uw, vh) as fractions of the photo."""

    u0: float
    v0: float
    uw: float
    vh: float


def _cover_crop(photo_size: tuple[int, int], window: Box) -> tuple[tuple[float, float, float, float], _Crop]:
    """Return the centred crop box (photo pixels) that fills `window` at one scale, and its fractions."""
    pw, ph = photo_size
    scale = max(window.w / pw, window.h / ph)
    cw, ch = window.w / scale, window.h / scale
    left, top = (pw - cw) / 2, (ph - ch) / 2
    return (left, top, left + cw, top + ch), _Crop(left / pw, top / ph, cw / pw, ch / ph)


def _fill_window(photo: Image.Image, window: Box) -> tuple[Image.Image, _Crop]:
    box, crop = _cover_crop(photo.size, window)
    if photo.size == (window.w, window.h):
        return photo, crop
    # Shrinking by 1.25x or more, the box filter is area averaging (no aliasing) at ~60% of bilinear's cost;
    # enlarging, or nearly 1:1, bilinear keeps it smooth. reducing_gap shrinks by an integer factor first.
    shrink = (box[2] - box[0]) / window.w
    resample = Image.Resampling.BOX if shrink >= 1.25 else Image.Resampling.BILINEAR
    return photo.resize((window.w, window.h), resample, box=box, reducing_gap=3.0), crop


def _draw_props(
    photo: Image.Image,
    crop: _Crop,
    props: Sequence[PropPose],
    renderer: PropImages | None,
    template: PhotoTemplate,
) -> None:
    if not props:
        return
    if len(props) > template.max_props:
        raise PhotoRejected("PROPS_TOO_MANY", f"At most {template.max_props} props fit this template.", 422)
    if renderer is None:
        raise PhotoRejected("PROPS_UNAVAILABLE", "Props were sent but this booth renders none.", 422)
    ww, wh = photo.size
    for pose in props:
        long_side = max(8, round(pose.scale * PROP_BASE_FRACTION * min(ww, wh)))
        sprite = renderer.render(pose, long_side)
        # Pose coordinates are fractions of the whole upright photo; the window shows only the crop.
        cx = (pose.x - crop.u0) / crop.uw * ww
        cy = (pose.y - crop.v0) / crop.vh * wh
        photo.paste(sprite, (round(cx - sprite.width / 2), round(cy - sprite.height / 2)), sprite)


def _paste_logo(canvas: Image.Image, logo: Image.Image, box: Box) -> None:
    rgba = logo if logo.mode == "RGBA" else logo.convert("RGBA")
    scale = min(box.w / rgba.width, box.h / rgba.height)
    size = (max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale)))
    if size != rgba.size:
        rgba = rgba.resize(size, Image.Resampling.LANCZOS)
    canvas.paste(rgba, (box.x + (box.w - size[0]) // 2, box.y + (box.h - size[1]) // 2), rgba)


def _scaled(img: Image.Image, long_side: int) -> Image.Image:
    """Return `img` shrunk to at most `long_side` px, by integer box reduction if that keeps >= 3/4 of it."""
    longest = max(img.size)
    if longest <= long_side:
        return img
    step = -(-longest // long_side)  # ceil: the smallest integer factor that fits
    if longest // step * 4 >= long_side * 3:
        # reduce() averages step x step blocks in one pass: 5-8x cheaper than a resampling filter.
        return img.reduce(step)
    factor = long_side / longest
    size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
    return img.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def _encode(img: Image.Image, fmt: str, quality: int) -> bytes:
    buf = io.BytesIO()
    if fmt == "WEBP":
        img.save(buf, "WEBP", quality=quality, method=2)
    else:
        # No exif=, no icc_profile=: the output carries no metadata at all (untagged JPEG is read as sRGB).
        img.save(buf, "JPEG", quality=quality, optimize=False, progressive=False)
    return buf.getvalue()


def _caption_lines(caption: Mapping[str, str] | None) -> tuple[str, str]:
    caption = caption or {}
    zh = caption.get("zh") or caption.get("zh-Hans") or caption.get("zh-Hant") or ""
    return zh, caption.get("en", "")


def compose(
    photo_bytes: bytes,
    template: PhotoTemplate,
    props: Sequence[PropPose] = (),
    caption: Mapping[str, str] | None = None,
    when: date | None = None,
    logo: Image.Image | None = None,
    prop_renderer: PropImages | None = None,
    *,
    limits: PhotoLimits | None = None,
    font_path: str | None = None,
    quality: int = 88,
    thumb_format: str = "JPEG",
) -> Composition:
    """Compose the guest's photo into `template` and return the full, phone and thumbnail JPEGs."""
    face = find_cjk_font(font_path)
    bold_face = find_cjk_font(font_path, bold=True) if font_path is None else face
    zh, en = _caption_lines(caption)
    zh = clean_caption(zh, bold_face if template.caption_zh.bold else face)
    en = clean_caption(en, bold_face if template.caption_en.bold else face)

    img = open_photo(photo_bytes, limits)
    orientation, icc = orientation_of(img), img.info.get("icc_profile")
    window = template.window
    upright = (img.height, img.width) if orientation >= 5 else img.size
    scale = max(window.w / upright[0], window.h / upright[1])
    need = (math.ceil(upright[0] * scale), math.ceil(upright[1] * scale))
    photo = normalize(decode(img, need), orientation, icc, detach=False)
    del img
    filled, crop = _fill_window(photo, window)
    del photo
    _draw_props(filled, crop, props, prop_renderer, template)

    layers = frame_layers(template)
    canvas = layers.base.copy()
    canvas.paste(filled, (window.x, window.y))
    del filled
    for left, top, patch in layers.overlays:
        canvas.paste(patch, (left, top), patch)
    draw = ImageDraw.Draw(canvas)
    draw_text(draw, bold_face if template.caption_zh.bold else face, zh, template.caption_zh)
    draw_text(draw, bold_face if template.caption_en.bold else face, en, template.caption_en)
    if when is not None:
        draw_text(draw, face, when.strftime(template.date_format), template.date)
    if logo is not None and template.logo is not None:
        _paste_logo(canvas, logo, template.logo)

    full = _encode(canvas, "JPEG", quality)
    phone_img = _scaled(canvas, PHONE_LONG_SIDE)
    phone = _encode(phone_img, "JPEG", quality)
    thumb = _encode(_scaled(phone_img, THUMB_LONG_SIDE), thumb_format, 80)
    return Composition(full, phone, thumb, canvas.width, canvas.height, thumb_format)
