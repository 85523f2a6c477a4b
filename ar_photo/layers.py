"""Prepare a template's frame once for fast composition: an opaque base and the window tiles to overlay; the canvases
composition draws on, kept from one photo to the next."""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock

import numpy as np
from PIL import Image

from ar_photo.kept import Kept
from ar_photo.templates import PhotoTemplate

TILE = 32
_NO_SIZE = (0, 0)


@dataclass(frozen=True)
class Canvas:
    """An RGB image whose pixels are also a numpy array: `pixels` is (height, width, 4), R, G, B and the pad byte
    Pillow keeps beside them, in the very memory `image` draws on. Pillow pastes, draws and encodes `image`;
    OpenCV writes `pixels` (a turned photo is turned straight into the window, with no image of its own)."""

    image: Image.Image
    pixels: np.ndarray


def new_canvas(size: tuple[int, int]) -> Canvas:
    """Return a canvas of `size` (width, height) whose pixels are undefined."""
    width, height = size
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    # Pillow's "RGB" is stored four bytes a pixel: the array mapped as such an image, writable (Image.frombuffer
    # maps only modes such as RGBX, and read-only).
    core = Image.core.map_buffer(pixels, size, "raw", 0, ("RGB", 0, 1))
    image = Image.new("RGB", _NO_SIZE)._new(core)
    return Canvas(image, pixels)


_CACHE_SIZE = 16
_cache: Kept[tuple[str, tuple[int, int, int, int], str], FrameLayers] = Kept(_CACHE_SIZE)


@dataclass(frozen=True)
class FrameLayers:
    """The frame flattened on the background, kept only where no photo goes: `around` holds the parts outside
    the window as (left, top, RGB patch); `overlays` are the window's non-transparent patches as (left, top, RGBA
    patch, opaque) in canvas pixels, pasted over the photo through their alpha, or copied where opaque. At a
    12-megapixel window the window's part of a flattened frame would be 48 MB kept for nothing."""

    size: tuple[int, int]
    window: tuple[int, int, int, int]
    around: tuple[tuple[int, int, Image.Image], ...]
    overlays: tuple[tuple[int, int, Image.Image, bool], ...]

    def canvas(self, photo: Image.Image) -> Image.Image:
        """Return a new canvas: `photo` (the window's size) in the window, the frame around it, the window's
        overlays on top."""
        canvas = self.frame().image
        canvas.paste(photo, self.window[:2])
        self.overlay(canvas)
        return canvas

    def frame(self) -> Canvas:
        """Return a new canvas with the frame around the window; what the window holds is undefined."""
        canvas = new_canvas(self.size)
        for left, top, patch in self.around:
            canvas.image.paste(patch, (left, top))
        return canvas

    def window_pixels(self, canvas: Canvas) -> np.ndarray:
        """Return the (h, w, 4) view of `canvas`'s pixels that the window shows."""
        left, top, right, bottom = self.window
        return canvas.pixels[top:bottom, left:right]

    def overlay(self, canvas: Image.Image) -> None:
        """Paste the frame's parts that lie over the window onto `canvas`, whose window holds the photo."""
        for left, top, patch, opaque in self.overlays:
            canvas.paste(patch, (left, top), None if opaque else patch)

    def restore(self, canvas: Image.Image, box: tuple[int, int, int, int]) -> None:
        """Paint the frame around the window back over `box` (left, top, right, bottom) of `canvas`."""
        for left, top, patch in self.around:
            x0, y0 = max(box[0], left), max(box[1], top)
            x1, y1 = min(box[2], left + patch.width), min(box[3], top + patch.height)
            if x1 > x0 and y1 > y0:
                canvas.paste(patch.crop((x0 - left, y0 - top, x1 - left, y1 - top)), (x0, y0))


ALPHA_TILE = 64  # px: tiles of a pasted layer sorted into empty, opaque and edge
_TILED_FROM = 1 << 16  # px: smaller patches are blended whole


def paste_through_alpha(canvas: Image.Image, patch: Image.Image, at: tuple[int, int],
                        mask: Image.Image | None = None) -> None:
    """Paste RGBA `patch` onto `canvas` at `at` through its alpha, or any `patch` through the 'L' `mask` of its size:
    what `canvas.paste(patch, at, mask or patch)` gives.

    Blending costs ten times a copy (27 ms against 3 for a 3-megapixel layer), and a layer of props is mostly
    either empty or opaque: the patch is cut into tiles (`alpha_runs`); runs of opaque tiles are copied, empty ones
    skipped and only the tiles on the props' edges blended. Blending by alpha 255 gives the patch's pixel and by 0
    the canvas's, exactly, so the result is the same to the byte.
    """
    through = patch if mask is None else mask
    if patch.width * patch.height < _TILED_FROM:
        canvas.paste(patch, at, through)
        return
    x, y = at
    alpha = np.asarray(through if mask is not None else patch.getchannel("A"))
    for left, top, right, bottom, opaque in alpha_runs(alpha, ALPHA_TILE):
        box = (left, top, right, bottom)
        piece = patch.crop(box)
        canvas.paste(piece, (x + left, y + top), None if opaque else piece if mask is None else mask.crop(box))


class CanvasPool:
    """Canvases kept from one photo to the next, with their frame drawn: a 17-megapixel canvas costs about 10 ms
    to allocate and 3 ms to frame, and a booth's photos come one template after another.
    A canvas is taken for one composition and given back with the boxes it drew on outside the window; those are
    painted back from the frame, so the next photo finds the frame as it was. At most `size` canvases are kept."""

    def __init__(self, size: int = 1) -> None:
        self._size = size
        self._kept: list[tuple[FrameLayers, Canvas]] = []
        self._lock = Lock()

    def take(self, layers: FrameLayers) -> Canvas:
        """Return a canvas of `layers` with its frame, kept or new; only the caller holds it."""
        with self._lock:
            for i, (owner, canvas) in enumerate(self._kept):
                if owner is layers:
                    del self._kept[i]
                    return canvas
        return layers.frame()

    def give_back(self, layers: FrameLayers, canvas: Canvas, drawn: list[tuple[int, int, int, int]]) -> None:
        """Keep `canvas` for the next photo, once the `drawn` boxes are painted back from the frame."""
        if self._size <= 0:
            return
        for box in drawn:
            layers.restore(canvas.image, box)
        with self._lock:
            self._kept.insert(0, (layers, canvas))
            del self._kept[self._size:]

    def clear(self) -> None:
        """Drop every kept canvas."""
        with self._lock:
            self._kept.clear()


class BufferPool:
    """Canvases of one size kept for the next photo of that size, for a stored photo to be decoded into before it
    is turned upright into the window (48 MB at 12 megapixels, faulted in afresh for every photo otherwise)."""

    def __init__(self, size: int = 1) -> None:
        self._size = size
        self._kept: list[Canvas] = []
        self._lock = Lock()

    def take(self, size: tuple[int, int]) -> Canvas:
        """Return a canvas of `size` (width, height), kept or new, with undefined pixels; only the caller holds it."""
        with self._lock:
            for i, canvas in enumerate(self._kept):
                if canvas.image.size == size:
                    del self._kept[i]
                    return canvas
        return new_canvas(size)

    def give_back(self, canvas: Canvas) -> None:
        """Keep `canvas` for the next photo of its size."""
        with self._lock:
            self._kept.insert(0, canvas)
            del self._kept[self._size:]

    def clear(self) -> None:
        """Drop every kept canvas."""
        with self._lock:
            self._kept.clear()


def tiles_of(alpha: np.ndarray, tile: int) -> np.ndarray:
    """Return (H, W) uint8 `alpha` cut into `tile`-sized tiles, (rows, tile, cols, tile), zero past its edges."""
    h, w = alpha.shape
    rows, cols = -(-h // tile), -(-w // tile)
    padded = np.zeros((rows * tile, cols * tile), dtype=np.uint8)
    padded[:h, :w] = alpha
    return padded.reshape(rows, tile, cols, tile)


def alpha_runs(alpha: np.ndarray, tile: int = TILE) -> list[tuple[int, int, int, int, bool]]:
    """Return (left, top, right, bottom, opaque) boxes of `tile`-sized tiles covering where `alpha` (H, W) uint8 is
    not zero: runs of tiles of one kind (opaque: alpha 255 throughout; or not) along each row of tiles, and runs
    of the same columns and kind in the rows below joined into one box (a window's sides are one tall box each,
    not one a row). Tiles past the edges are cut to them (and count as not opaque)."""
    h, w = alpha.shape
    tiles = tiles_of(alpha, tile)
    rows, cols = tiles.shape[0], tiles.shape[2]
    # 0: empty, 1: opaque, 2: edge (some alpha between, or cut by the image's edge).
    kinds = np.where(tiles.max(axis=(1, 3)) == 0, 0, np.where(tiles.min(axis=(1, 3)) == 255, 1, 2)).tolist()
    boxes: list[list[int]] = []
    open_runs: dict[tuple[int, int, int], list[int]] = {}  # runs of the row above, by columns and kind
    for r in range(rows):
        runs: dict[tuple[int, int, int], list[int]] = {}
        row, c = kinds[r], 0
        while c < cols:
            kind, start = row[c], c
            while c < cols and row[c] == kind:
                c += 1
            if not kind:
                continue
            box = open_runs.get((start, c, kind))
            if box is None:  # a new box; the same columns and kind as a box of the row above make that one taller
                box = [start * tile, r * tile, min(c * tile, w), 0, kind]
                boxes.append(box)
            box[3] = min((r + 1) * tile, h)
            runs[(start, c, kind)] = box
        open_runs = runs
    return [(b[0], b[1], b[2], b[3], b[4] == 1) for b in boxes]


def _part(frame: Image.Image, size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    """Return the frame's pixels under `box` of a canvas of `size`: cut out, or resampled where the canvas is
    larger than the frame, as resizing the whole frame would give them (resize(box=) filters across the box's
    edges). A frame with alpha comes premultiplied ("RGBa", as Pillow resizes RGBA) and goes back as RGBA."""
    if size == frame.size:
        return frame.crop(box)
    kx, ky = frame.width / size[0], frame.height / size[1]
    source = (box[0] * kx, box[1] * ky, box[2] * kx, box[3] * ky)
    part = frame.resize((box[2] - box[0], box[3] - box[1]), Image.Resampling.LANCZOS, box=source)
    return part.convert("RGBA") if part.mode == "RGBa" else part


def _prepare(template: PhotoTemplate) -> FrameLayers:
    size = template.size
    # Resized part by part, the frame is premultiplied once, not once a part (Pillow converts the whole source).
    frame = template.frame if size == template.frame.size else template.frame.convert("RGBa")
    width, height = size
    left, top, right, bottom = template.window.ltrb
    around = []
    for box in ((0, 0, width, top), (0, bottom, width, height), (0, top, left, bottom), (right, top, width, bottom)):
        if box[2] > box[0] and box[3] > box[1]:
            # Over an opaque background, a paste through the frame's alpha is the alpha composite.
            part = _part(frame, size, box)
            flat = Image.new("RGB", part.size, template.background)
            flat.paste(part, mask=part.getchannel("A"))
            around.append((box[0], box[1], flat))
    window_alpha = _part(template.frame.getchannel("A"), size, template.window.ltrb)
    overlays = tuple(
        (left + l, top + t, _part(frame, size, (left + l, top + t, left + r, top + b)), opaque)
        for l, t, r, b, opaque in alpha_runs(np.asarray(window_alpha))  # noqa: E741
    )
    return FrameLayers(size, template.window.ltrb, tuple(around), overlays)


def frame_layers(template: PhotoTemplate) -> FrameLayers:
    """Return the prepared layers of `template`, cached by frame content, window and background."""
    key = (template.frame_sha256, template.window.ltrb, template.background)
    found = _cache.get(key)
    if found is not None:
        return found
    prepared = _cache.put(key, _prepare(template))
    # Preparing a 17-megapixel frame leaves about 60 MB of freed image blocks in Pillow's keeping, where the
    # canvases (numpy memory) cannot reuse them: handed back once a template, not kept beside them.
    Image.core.clear_cache()
    return prepared
