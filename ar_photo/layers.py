"""Prepare a template's frame once for fast composition: an opaque base and the window tiles to overlay."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

import numpy as np
from PIL import Image

from ar_photo.templates import PhotoTemplate

TILE = 32
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, tuple[int, int, int, int], str], FrameLayers] = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class FrameLayers:
    """`base` is the frame flattened on the background (RGB, canvas size); `overlays` are the window's
    non-transparent patches as (left, top, RGBA patch) in canvas pixels, pasted over the photo with a mask."""

    base: Image.Image
    overlays: tuple[tuple[int, int, Image.Image], ...]


def _overlay_boxes(alpha: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Return (left, top, right, bottom) runs of TILE-sized tiles where `alpha` (H, W) uint8 is not zero."""
    h, w = alpha.shape
    rows, cols = -(-h // TILE), -(-w // TILE)
    padded = np.zeros((rows * TILE, cols * TILE), dtype=np.uint8)
    padded[:h, :w] = alpha
    busy = padded.reshape(rows, TILE, cols, TILE).max(axis=(1, 3)) > 0  # (rows, cols)
    boxes = []
    for r in range(rows):
        c = 0
        while c < cols:
            if not busy[r, c]:
                c += 1
                continue
            start = c
            while c < cols and busy[r, c]:
                c += 1
            boxes.append((start * TILE, r * TILE, min(c * TILE, w), min((r + 1) * TILE, h)))
    return boxes


def _prepare(template: PhotoTemplate) -> FrameLayers:
    # Over an opaque background, a paste through the frame's alpha is the alpha composite, without a
    # second canvas-sized RGBA image.
    base = Image.new("RGB", template.size, template.background)
    base.paste(template.frame, mask=template.frame.getchannel("A"))
    window = template.frame.crop(template.window.ltrb)
    boxes = _overlay_boxes(np.asarray(window.getchannel("A")))
    wx, wy = template.window.x, template.window.y
    overlays = tuple((wx + l, wy + t, window.crop((l, t, r, b))) for l, t, r, b in boxes)  # noqa: E741
    return FrameLayers(base, overlays)


def frame_layers(template: PhotoTemplate) -> FrameLayers:
    """Return the prepared layers of `template`, cached by frame content, window and background."""
    key = (template.frame_sha256, template.window.ltrb, template.background)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    layers = _prepare(template)
    with _lock:
        _cache[key] = layers
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return layers
