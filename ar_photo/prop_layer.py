"""The booth's own prop layer: the props as three.js drew them, at the capture's resolution, checked and bounded.

Why the guest's photo takes its props from the booth rather than from a renderer on the server:

- Fidelity. The preview the guests approve is three.js (GLTFLoader, PBR materials, textures, the booth's lights).
  A second renderer can only approximate it: the numpy rasteriser in `ar_photo.raster` samples textures at the
  vertices and lights with one lamp, so a textured exhibit comes out as a flat, differently lit block. The booth
  renders the same scene once more, off screen, at the photo's own pixel size, so the prop layer *is* the preview
  (what differs is JPEG coding of the result: tested on every demo prop, PSNR well above 30 dB).
- Speed. The server pastes a PNG patch of the props' bounding box (milliseconds) instead of rasterising millions
  of prop pixels in numpy; the booth's GPU draws it in one frame.
- Trust. The kiosk is an authenticated, revocable device and it already sends the photo's pixels, so a layer it
  draws can show nothing the photo could not. It is still held to what it claims: a layer is accepted only with
  prop poses of catalogue props, as a PNG exactly the size of its box, the box inside the photo, and every
  visible pixel within reach of a posed prop (a disc of `REACH` prop lengths around its centre). A request that
  breaks any of these is refused (422), never composed.

A layer is decoded and checked once, when the booth sends it; what is kept for the composition job is the checked
pixels themselves (`checked_pixels`: RGBA rows, four bytes a pixel, no header, the box giving the size), so the job
reads them back (`load_checked_layer`, checked again) instead of decoding the PNG a second time: 2 ms against 48 for
the three-megapixel layer of two large props. A layer kept as PNG (before the pixels were kept) still composes.

A client without a layer (an API script) still gets its props drawn by `ar_photo.raster` on the server.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from ar_photo.errors import PhotoRejected
from ar_photo.layers import tiles_of
from ar_photo.props import PropPose

# A prop at scale 1 spans this fraction of the shorter side of the photo's part the window shows (its crop).
PROP_BASE_FRACTION = 0.35
# The booth scales a model so its largest dimension is one prop length; any view of it fits in a disc of radius
# sqrt(3)/2 of that (a cube's half diagonal); a little more allows for antialiasing.
REACH = 0.9
_EDGE_PX = 3
REACH_TILE = 64  # px: a layer's tiles, checked whole when they lie inside a prop's reach
MAX_LAYER_BYTES = 40 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class PropLayer:
    """The props drawn over the upright photo: an RGBA `image` whose top-left corner sits at (`x`, `y`)."""

    image: Image.Image
    x: int
    y: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Return (left, top, right, bottom) in photo pixels."""
        return (self.x, self.y, self.x + self.image.width, self.y + self.image.height)


def crop_of(photo_size: tuple[int, int], window_aspect: float) -> tuple[float, float, float, float]:
    """Return (left, top, width, height) of the centred part of a photo that fills a window of `window_aspect`."""
    pw, ph = photo_size
    cw = min(float(pw), ph * window_aspect)
    ch = cw / window_aspect
    return (pw - cw) / 2, (ph - ch) / 2, cw, ch


def prop_long_side(pose: PropPose, crop_size: tuple[float, float]) -> float:
    """Return how many photo pixels a prop's largest dimension spans at its pose."""
    return pose.scale * PROP_BASE_FRACTION * min(crop_size)


def parse_box(raw: str | None) -> tuple[int, int, int, int]:
    """Parse the booth's `prop_layer_box` field "x,y,w,h" (photo pixels) into integers."""
    try:
        parts = [int(part) for part in (raw or "").split(",")]
    except ValueError as exc:
        raise PhotoRejected("PROP_LAYER_BOX_INVALID", "prop_layer_box is x,y,w,h in whole pixels.", 400) from exc
    if len(parts) != 4:
        raise PhotoRejected("PROP_LAYER_BOX_INVALID", "prop_layer_box is x,y,w,h in whole pixels.", 400)
    x, y, w, h = parts
    return x, y, w, h


def reach_mask(box: tuple[int, int, int, int], poses: Sequence[PropPose], photo_size: tuple[int, int],
               crop_size: tuple[float, float]) -> np.ndarray:
    """Return a (h, w) bool array: True where a posed prop may have drawn inside `box` (x, y, w, h)."""
    x, y, w, h = box
    pw, ph = photo_size
    cols = np.arange(w, dtype=np.float32) + np.float32(x + 0.5)  # (w,)
    rows = np.arange(h, dtype=np.float32) + np.float32(y + 0.5)  # (h,)
    allowed = np.zeros((h, w), dtype=bool)
    for pose in poses:
        radius = REACH * prop_long_side(pose, crop_size) + _EDGE_PX
        dx = (cols - np.float32(pose.x * pw)) ** 2  # (w,)
        dy = (rows - np.float32(pose.y * ph)) ** 2  # (h,)
        allowed |= dy[:, None] + dx[None, :] <= np.float32(radius * radius)
    return allowed


def _check_box(box: tuple[int, int, int, int], poses: Sequence[PropPose], photo_size: tuple[int, int],
               window_aspect: float) -> None:
    """Refuse a box outside the photo or beyond the reach of the props it claims to draw."""
    if not poses:
        raise PhotoRejected("PROP_LAYER_WITHOUT_PROPS", "A prop layer is only accepted with the props it draws.")
    x, y, w, h = box
    pw, ph = photo_size
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > pw or y + h > ph:
        raise PhotoRejected("PROP_LAYER_BOX_INVALID",
                            f"The prop layer box {list(box)} is not inside the {pw}x{ph} photo.")
    crop = crop_of(photo_size, window_aspect)
    reach = [(p.x * pw, p.y * ph, REACH * prop_long_side(p, crop[2:]) + _EDGE_PX) for p in poses]
    left, top = min(cx - r for cx, _, r in reach), min(cy - r for _, cy, r in reach)
    right, bottom = max(cx + r for cx, _, r in reach), max(cy + r for _, cy, r in reach)
    if x < math.floor(left) or y < math.floor(top) or x + w > math.ceil(right) or y + h > math.ceil(bottom):
        raise PhotoRejected("PROP_LAYER_OUTSIDE_PROPS",
                            f"The prop layer box {list(box)} reaches beyond the props it claims to draw.")


def _within_reach(rgba: Image.Image, box: tuple[int, int, int, int], poses: Sequence[PropPose],
                  photo_size: tuple[int, int], window_aspect: float) -> PropLayer:
    """Return the layer if every pixel it shows is within reach of a posed prop; raise PhotoRejected if not.

    Checked by tiles: a tile that shows nothing, or lies wholly inside a prop's reach (a disc holds a tile whose
    corners it holds), needs no pixel checked; only the tiles that show something and cross a reach's edge are
    checked pixel by pixel (the props' outlines lie well inside their reach, so for a booth's layer hardly any:
    2 ms against 9 for the three-megapixel layer of two large props)."""
    x, y, w, h = box
    pw, ph = photo_size
    crop = crop_of(photo_size, window_aspect)
    alpha = np.asarray(rgba.getchannel("A"))  # (h, w) uint8
    shows = tiles_of(alpha, REACH_TILE).max(axis=(1, 3)) > 0  # (rows, cols)
    rows, cols = shows.shape
    # Each tile's pixel centres span [left, right] x [top, bottom] in photo pixels.
    lefts = x + np.arange(cols) * REACH_TILE + 0.5
    rights = x + np.minimum(np.arange(1, cols + 1) * REACH_TILE, w) - 0.5
    tops = y + np.arange(rows) * REACH_TILE + 0.5
    bottoms = y + np.minimum(np.arange(1, rows + 1) * REACH_TILE, h) - 0.5
    inside = np.zeros((rows, cols), dtype=bool)
    for pose in poses:
        radius = REACH * prop_long_side(pose, crop[2:]) + _EDGE_PX
        dx = np.maximum(np.abs(lefts - pose.x * pw), np.abs(rights - pose.x * pw))  # the farthest corner's
        dy = np.maximum(np.abs(tops - pose.y * ph), np.abs(bottoms - pose.y * ph))
        # With a little margin for float32 rounding in reach_mask: a tile on the edge is checked pixel by pixel.
        inside |= dy[:, None] ** 2 + dx[None, :] ** 2 <= (radius - 0.5) ** 2
    for r, c in zip(*np.nonzero(shows & ~inside), strict=True):
        left, top = int(c) * REACH_TILE, int(r) * REACH_TILE
        right, bottom = min(left + REACH_TILE, w), min(top + REACH_TILE, h)
        stray = (alpha[top:bottom, left:right] > 0) & ~reach_mask(
            (x + left, y + top, right - left, bottom - top), poses, photo_size, crop[2:])
        if stray.any():
            ys, xs = np.nonzero(stray)
            raise PhotoRejected("PROP_LAYER_OUTSIDE_PROPS",
                                f"The prop layer draws pixels out of reach of any prop "
                                f"(one at {x + left + int(xs[0])},{y + top + int(ys[0])}).")
    return PropLayer(rgba, x, y)


def checked_pixels(layer: PropLayer) -> bytes:
    """Return a checked layer's pixels as kept for the composition job: RGBA rows, no header."""
    return layer.image.tobytes()


def load_checked_layer(data: bytes, box: tuple[int, int, int, int], poses: Sequence[PropPose],
                       photo_size: tuple[int, int], window_aspect: float) -> PropLayer:
    """Read back a layer kept as `checked_pixels` (or, kept before those were, as the booth's PNG) and check it
    again; raise PhotoRejected if it is not what `box` and `poses` say."""
    if data[:len(PNG_SIGNATURE)] == PNG_SIGNATURE:
        return load_prop_layer(data, box, poses, photo_size, window_aspect)
    _check_box(box, poses, photo_size, window_aspect)
    _, _, w, h = box
    if len(data) != w * h * 4:
        raise PhotoRejected("PROP_LAYER_SIZE", f"The kept prop layer holds {len(data)} bytes; its box {w}x{h} "
                            f"takes {w * h * 4}.")
    # Mapped, not copied: the image reads the bytes where they are (read-only, as a layer is only pasted from).
    rgba = Image.frombuffer("RGBA", (w, h), data, "raw", "RGBA", 0, 1)
    return _within_reach(rgba, box, poses, photo_size, window_aspect)


def load_prop_layer(data: bytes, box: tuple[int, int, int, int], poses: Sequence[PropPose],
                    photo_size: tuple[int, int], window_aspect: float) -> PropLayer:
    """Decode and check the booth's prop layer against the poses it claims to draw; raise PhotoRejected if not."""
    if not poses:
        raise PhotoRejected("PROP_LAYER_WITHOUT_PROPS", "A prop layer is only accepted with the props it draws.")
    if not data:
        raise PhotoRejected("PROP_LAYER_EMPTY", "The prop layer is empty.", 400)
    if len(data) > MAX_LAYER_BYTES:
        raise PhotoRejected("PROP_LAYER_TOO_LARGE", f"The prop layer is over {MAX_LAYER_BYTES} bytes.", 413)
    _check_box(box, poses, photo_size, window_aspect)
    _, _, w, h = box
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            img = Image.open(io.BytesIO(data))
            if img.format != "PNG":
                raise PhotoRejected("PROP_LAYER_FORMAT", f"The prop layer must be a PNG, not {img.format}.", 415)
            if img.size != (w, h):
                raise PhotoRejected("PROP_LAYER_SIZE",
                                    f"The prop layer is {img.width}x{img.height}; its box says {w}x{h}.")
            img.load()
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise PhotoRejected("PROP_LAYER_FORMAT", "The prop layer is not a readable PNG.", 415) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoRejected("PROP_LAYER_CORRUPT", f"The prop layer is damaged: {exc}") from exc
    rgba = img if img.mode == "RGBA" else img.convert("RGBA")
    return _within_reach(rgba, box, poses, photo_size, window_aspect)
