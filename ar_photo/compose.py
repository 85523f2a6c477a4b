"""Compose the booth picture: photo in the template's window, props, frame, caption, date and logo.

The result keeps the capture's resolution: the template is drawn as many times larger as it takes for its window
to show the photo pixel for pixel (at most `MAX_PHOTO_PIXELS` of it), so a 12 MP capture gives a 12 MP window
and the full-size download carries every pixel the camera took; the phone and thumbnail sizes stay light.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeGuard

import numpy as np
from PIL import Image, ImageFile

from ar_photo.errors import PhotoRejected
from ar_photo.fonts import find_cjk_font
from ar_photo.kept import Kept
from ar_photo.layers import BufferPool, Canvas, CanvasPool, frame_layers, new_canvas, paste_through_alpha
from ar_photo.limits import PhotoLimits
from ar_photo.normalize import decode, normalize, open_photo, orient_into, orientation_of
from ar_photo.prop_layer import PROP_BASE_FRACTION, PropLayer, crop_of
from ar_photo.props import PropPose
from ar_photo.templates import MAX_CANVAS_PIXELS, MAX_CANVAS_SIDE, Box, PhotoTemplate
from ar_photo.text import clean_caption, draw_text

__all__ = [
    "PROP_BASE_FRACTION",
    "Composition",
    "compose",
    "keep_image_memory",
    "output_scale",
    "prepare_worker",
    "scaled_template",
]

PHONE_LONG_SIDE = 1280
THUMB_LONG_SIDE = 320
# The most of a capture the window keeps pixel for pixel; a larger photo is shrunk to this.
MAX_PHOTO_PIXELS = 12_000_000
# Pillow's image memory comes in blocks of 16 MiB. Kept for the next photo instead of handed back, they spare
# faulting in fresh pages (about 40 ms for a 17-megapixel canvas); one 12 MP composition uses up to 12 of them.
KEEP_BLOCKS = 12
STAND_IN_BAND = 512  # rows of the gallery's view enlarged at a time behind the guests
# A booth's camera has one resolution, so a couple of scaled layouts serve every photo it takes.
_SCALED: Kept[tuple[str, float], PhotoTemplate] = Kept(2)
# One framed canvas kept for the next photo (69 MB at 17 megapixels): clearing and framing a new one costs more
# than a fifth of Pillow's own decode + encode of the photo.
_CANVASES = CanvasPool(1)
# A turned photo (EXIF orientation 2-8) the window's size is decoded into a kept buffer as stored, then turned
# upright straight into the window: no turned image of its own to be pasted (43 ms + 7 at 12 MP; the turn 19).
_STORED = BufferPool(1)
_LOGOS: Kept[tuple[bytes, str, tuple[int, int], int, int], Image.Image] = Kept(4)


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


def keep_image_memory(blocks: int = KEEP_BLOCKS) -> None:
    """Keep up to `blocks` of Pillow's freed image blocks for reuse: a process composing photo after photo."""
    Image.core.set_blocks_max(blocks)


def prepare_worker() -> None:
    """Make a process ready to compose guests' photos: Pillow keeps its image memory for the next photo, the
    fonts are found and OpenCV is loaded. (The segmentation model loads with the first gallery photo: loading it at
    start kept a restarted photo worker from its queue for seconds on a busy machine, while the general worker took
    its photos.)"""
    keep_image_memory()
    find_cjk_font(None)
    find_cjk_font(None, bold=True)
    import cv2  # noqa: F401 - turns photos upright (ar_photo.normalize.orient_into): 43 ms and 29 MB, loaded once


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
    if abs((box[2] - box[0]) - window.w) < 0.5 and abs((box[3] - box[1]) - window.h) < 0.5:
        # The window shows the photo pixel for pixel: cut it out, no resampling.
        left, top = round(box[0]), round(box[1])
        left, top = min(max(0, left), photo.width - window.w), min(max(0, top), photo.height - window.h)
        pw, ph = photo.size
        exact = _Crop(left / pw, top / ph, window.w / pw, window.h / ph)
        return photo.crop((left, top, left + window.w, top + window.h)), exact
    # Shrinking by 1.25x or more, the box filter is area averaging (no aliasing) at ~60% of bilinear's cost;
    # enlarging, or nearly 1:1, bilinear keeps it smooth. reducing_gap shrinks by an integer factor first.
    shrink = (box[2] - box[0]) / window.w
    resample = Image.Resampling.BOX if shrink >= 1.25 else Image.Resampling.BILINEAR
    return photo.resize((window.w, window.h), resample, box=box, reducing_gap=3.0), crop


def _stand_in(canvas: Canvas, window: Box, background: Image.Image, behind: PropLayer | None, crop: _Crop,
              upright: tuple[int, int]) -> None:
    """Stand the people of the photo in the window of `canvas` in front of a background (cover-fitted to the
    window): the museum where the booth's backdrop was; the booth's drawing of the props behind them, `behind`,
    between. The canvas is changed in place."""
    import cv2

    from ar_photo.segment import person_mask, scaled

    clear = person_mask(canvas.image, window.ltrb, background=True)  # 255 where the gallery shows
    (left, top, right, bottom), _ = _cover_crop(background.size, Box(0, 0, window.w, window.h))
    rgb = background if background.mode == "RGB" else background.convert("RGB")  # no copy of an RGB view
    view = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2RGBA)  # four bytes a pixel, as the canvas keeps them
    layer = _layer_patch(Box(0, 0, window.w, window.h), crop, behind, upright) if behind else None
    # Band by band: the view enlarged under a band of the window, the props behind pasted on it, and the band
    # pasted where the guests are not (tiles of people skipped, of gallery copied, only their edges blended). A
    # whole 12-megapixel scene beside the photo would add 48 MB to the composition's peak. Each band samples the
    # view exactly where the whole enlargement would.
    band = new_canvas((window.w, STAND_IN_BAND))
    ky = (bottom - top) / window.h
    for y0 in range(0, window.h, STAND_IN_BAND):
        y1 = min(window.h, y0 + STAND_IN_BAND)
        rows = y1 - y0
        scaled(view, (window.w, rows), (left, top + y0 * ky, right, top + y1 * ky), out=band.pixels[:rows])
        if layer is not None:
            patch, (x, y) = layer
            _paste_clipped(band.image, patch, (x, y - y0), (0, 0, window.w, rows))
        strip = band.image if rows == STAND_IN_BAND else band.image.crop((0, 0, window.w, rows))
        paste_through_alpha(canvas.image, strip, (window.x, window.y + y0), clear.crop((0, y0, window.w, y1)))


def _paste_clipped(canvas: Image.Image, patch: Image.Image, at: tuple[int, int],
                   clip: tuple[int, int, int, int]) -> None:
    """Paste RGBA `patch` at `at` on `canvas` through its alpha, cut to `clip` (left, top, right, bottom)."""
    x, y = at
    left, top = max(x, clip[0]), max(y, clip[1])
    right, bottom = min(x + patch.width, clip[2]), min(y + patch.height, clip[3])
    if right <= left or bottom <= top:
        return
    if (left, top, right, bottom) != (x, y, x + patch.width, y + patch.height):
        patch = patch.crop((left - x, top - y, right - x, bottom - y))
    paste_through_alpha(canvas, patch, (left, top))


def _paste_layer(canvas: Image.Image, window: Box, crop: _Crop, layer: PropLayer, upright: tuple[int, int]) -> None:
    """Paste the booth's prop layer (photo pixels) over the window's part of the photo, cut and scaled alike."""
    found = _layer_patch(window, crop, layer, upright)
    if found is not None:
        _paste_clipped(canvas, found[0], found[1], window.ltrb)


def _layer_patch(window: Box, crop: _Crop, layer: PropLayer, upright: tuple[int, int]
                 ) -> tuple[Image.Image, tuple[int, int]] | None:
    """Return the part of the booth's prop layer the window shows, scaled as the photo is, and where it goes on the
    canvas; None when every prop was dragged out of the window."""
    pw, ph = upright
    left, top = crop.u0 * pw, crop.v0 * ph
    scale = window.w / (crop.uw * pw)
    x0, y0 = max(layer.x, math.floor(left)), max(layer.y, math.floor(top))
    x1 = min(layer.box[2], math.ceil(left + crop.uw * pw))
    y1 = min(layer.box[3], math.ceil(top + crop.vh * ph))
    if x1 <= x0 or y1 <= y0:
        return None
    patch = layer.image.crop((x0 - layer.x, y0 - layer.y, x1 - layer.x, y1 - layer.y))
    at = ((x0 - left) * scale, (y0 - top) * scale)
    if abs(scale - 1.0) > 1e-3:
        size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
        # Pillow resamples RGBA with premultiplied alpha: no dark fringe around the props.
        patch = patch.resize(size, Image.Resampling.BOX if scale < 0.8 else Image.Resampling.BICUBIC)
    return patch, (window.x + round(at[0]), window.y + round(at[1]))


def _draw_props(
    canvas: Image.Image,
    window: Box,
    crop: _Crop,
    props: Sequence[PropPose],
    renderer: PropImages | None,
    template: PhotoTemplate,
    layer: PropLayer | None = None,
    upright: tuple[int, int] = (1, 1),
) -> None:
    if not props:
        return
    if len(props) > template.max_props:
        raise PhotoRejected("PROPS_TOO_MANY", f"At most {template.max_props} props fit this template.", 422)
    if layer is not None:
        _paste_layer(canvas, window, crop, layer, upright)
        return
    if renderer is None:
        raise PhotoRejected("PROPS_UNAVAILABLE", "Props were sent but this booth renders none.", 422)
    ww, wh = window.w, window.h
    for pose in props:
        long_side = max(8, round(pose.scale * PROP_BASE_FRACTION * min(ww, wh)))
        sprite = renderer.render(pose, long_side)
        # Pose coordinates are fractions of the whole upright photo; the window shows only the crop.
        cx = (pose.x - crop.u0) / crop.uw * ww
        cy = (pose.y - crop.v0) / crop.vh * wh
        at = (window.x + round(cx - sprite.width / 2), window.y + round(cy - sprite.height / 2))
        _paste_clipped(canvas, sprite, at, window.ltrb)


def _paste_logo(canvas: Image.Image, logo: Image.Image, box: Box) -> tuple[int, int, int, int]:
    """Paste `logo` fitted and centred in `box`; return the box."""
    rgba = _fitted_logo(logo, box.w, box.h)
    canvas.paste(rgba, (box.x + (box.w - rgba.width) // 2, box.y + (box.h - rgba.height) // 2), rgba)
    return box.ltrb


def _fitted_logo(logo: Image.Image, width: int, height: int) -> Image.Image:
    """Return `logo` as RGBA fitted into width x height, kept for the next photo with the same logo and box."""
    key = (hashlib.blake2b(logo.tobytes(), digest_size=16).digest(), logo.mode, logo.size, width, height)
    found = _LOGOS.get(key)
    if found is not None:
        return found
    rgba = logo if logo.mode == "RGBA" else logo.convert("RGBA")
    scale = min(width / rgba.width, height / rgba.height)
    size = (max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale)))
    if size != rgba.size:
        rgba = rgba.resize(size, Image.Resampling.LANCZOS)
    return _LOGOS.put(key, rgba)


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


def _decodes_in_place(img: Image.Image, upright: tuple[int, int], icc: bytes | None,
                      window: Box) -> TypeGuard[ImageFile.ImageFile]:
    """Whether `img` can be decoded straight into the window (turned on the way if EXIF says so): an sRGB JPEG
    whose upright size is the window's."""
    return (
        isinstance(img, ImageFile.ImageFile) and img.format in ("JPEG", "MPO") and img.mode == "RGB"
        and icc is None
        and upright == (window.w, window.h) and len(img.tile) == 1 and img.tile[0][0] == "jpeg"
    )


def _decode_into(img: ImageFile.ImageFile, data: bytes, canvas: Image.Image, window: Box) -> None:
    """Decode JPEG `img` (opened from `data`) into `window` of `canvas`: no image of its own, no copy."""
    # What ImageFile.load does for the file's one tile, with the window of the canvas as the tile's place.
    name, _, offset, args = img.tile[0]
    decoder = Image._getdecoder(img.mode, name, args, img.decoderconfig)
    try:
        decoder.setimage(canvas.im, window.ltrb)
        consumed, error = decoder.decode(data[offset:])
    finally:
        decoder.cleanup()
    if consumed >= 0:  # it asks for more than the file holds
        raise PhotoRejected("PHOTO_TRUNCATED", "The photo file is incomplete (truncated); send it again.", 400)
    if error < 0:
        raise PhotoRejected("PHOTO_CORRUPT", f"The photo cannot be decoded: decoder error {error}", 422)


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


def output_scale(template: PhotoTemplate, upright: tuple[int, int]) -> float:
    """Return how many times larger than `template` to draw so its window shows the photo at its own resolution."""
    window = template.window
    _, _, cw, ch = crop_of(upright, window.w / window.h)
    k = cw / window.w
    if cw * ch > MAX_PHOTO_PIXELS:
        k *= math.sqrt(MAX_PHOTO_PIXELS / (cw * ch))
    width, height = template.size
    k = min(k, MAX_CANVAS_SIDE / max(width, height), math.sqrt(MAX_CANVAS_PIXELS / (width * height)))
    # Never below the curator's own size; snap near-equal scales to it, so nothing is resampled for nothing.
    return 1.0 if k < 1.002 else k


def scaled_template(template: PhotoTemplate, k: float) -> PhotoTemplate:
    """Return `template` drawn `k` times larger, cached for the next photo of the same camera."""
    if k == 1.0:
        return template
    key = (json.dumps(template.to_dict(embed_frame=False), sort_keys=True), round(k, 6))
    found = _SCALED.get(key)
    return found if found is not None else _SCALED.put(key, template.scaled(k))


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
    prop_layer: PropLayer | None = None,
    background: Image.Image | None = None,
    behind_layer: PropLayer | None = None,
) -> Composition:
    """Compose the guest's photo into `template` and return the full, phone and thumbnail JPEGs.

    `prop_layer`, when given, is the booth's own drawing of `props` (see `ar_photo.prop_layer`) and is pasted
    instead of rendering the props here. `background`, when given, replaces what is behind the guests (found by
    `ar_photo.segment`): the booth's view of a gallery, so the guests stand inside the museum, props in front;
    `behind_layer`, the booth's drawing of the props they put behind themselves, goes between (only with one).
    """
    face = find_cjk_font(font_path)
    bold_face = find_cjk_font(font_path, bold=True) if font_path is None else face
    zh, en = _caption_lines(caption)
    zh = clean_caption(zh, bold_face if template.caption_zh.bold else face)
    en = clean_caption(en, bold_face if template.caption_en.bold else face)

    img = open_photo(photo_bytes, limits)
    orientation, icc = orientation_of(img), img.info.get("icc_profile")
    upright = (img.height, img.width) if orientation >= 5 else img.size
    template = scaled_template(template, output_scale(template, upright))
    window = template.window
    if behind_layer is not None and background is None:
        raise PhotoRejected("BEHIND_WITHOUT_BACKGROUND", "Props behind the guests need a gallery behind them.", 422)
    layers = frame_layers(template)
    if _decodes_in_place(img, upright, icc, window):
        # The window shows the whole photo pixel for pixel: the decoder writes it where it goes, or a turned one
        # where it is turned from.
        _, crop = _cover_crop(upright, window)
        kept = _CANVASES.take(layers)
        if orientation == 1:
            _decode_into(img, photo_bytes, kept.image, window)
        else:
            stored = _STORED.take(img.size)
            _decode_into(img, photo_bytes, stored.image, Box(0, 0, *img.size))
            orient_into(stored.pixels, orientation, layers.window_pixels(kept))
            _STORED.give_back(stored)
    else:
        scale = max(window.w / upright[0], window.h / upright[1])
        need = (math.ceil(upright[0] * scale), math.ceil(upright[1] * scale))
        photo = normalize(decode(img, need), orientation, icc, detach=False)
        del img  # a turned photo's stored image goes before the canvas comes
        filled, crop = _fill_window(photo, window)
        del photo
        kept = _CANVASES.take(layers)  # only now: the photo's own image is gone, unless the window is it
        kept.image.paste(filled, (window.x, window.y))
        del filled
    if background is not None:
        _stand_in(kept, window, background, behind_layer, crop, upright)
    canvas = kept.image
    if prop_layer is not None or behind_layer is None:  # with only a layer behind, every prop is behind the guests
        _draw_props(canvas, window, crop, props, prop_renderer, template, prop_layer, upright)
    layers.overlay(canvas)

    drawn = [
        draw_text(canvas, bold_face if template.caption_zh.bold else face, zh, template.caption_zh),
        draw_text(canvas, bold_face if template.caption_en.bold else face, en, template.caption_en),
    ]
    if when is not None:
        drawn.append(draw_text(canvas, face, when.strftime(template.date_format), template.date))
    if logo is not None and template.logo is not None:
        drawn.append(_paste_logo(canvas, logo, template.logo))

    full = _encode(canvas, "JPEG", quality)
    phone_img = _scaled(canvas, PHONE_LONG_SIDE)  # the canvas itself when it is no larger than a phone's
    phone = _encode(phone_img, "JPEG", quality)
    thumb = _encode(_scaled(phone_img, THUMB_LONG_SIDE), thumb_format, 80)
    width, height = canvas.size
    del phone_img
    _CANVASES.give_back(layers, kept, [box for box in drawn if box is not None])
    return Composition(full, phone, thumb, width, height, thumb_format)
