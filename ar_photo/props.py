"""Props: a pose the kiosk sends, and the renderer that turns a catalogue model into a transparent image."""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from ar_photo.errors import PhotoRejected
from ar_photo.kept import Kept
from ar_photo.raster import load_glb, render_mesh

# A pose's bounds: its centre as a fraction of the photo (a prop may hang half off an edge), and its scale.
POSITION_RANGE = (-0.5, 1.5)
SCALE_RANGE = (0.05, 5.0)


@dataclass(frozen=True)
class PropPose:
    """A prop placed by a guest: `asset` (sha256 or slug), centre `x`, `y` as 0..1 of the photo,
    `scale` (1 spans about a third of the photo's shorter side), `rotation_deg` counter-clockwise in view."""

    asset: str
    x: float
    y: float
    scale: float = 1.0
    rotation_deg: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the pose as JSON-ready data."""
        return {
            "asset": self.asset,
            "x": self.x,
            "y": self.y,
            "scale": self.scale,
            "rotation_deg": self.rotation_deg,
        }

    @classmethod
    def from_dict(cls, data: Any) -> PropPose:
        """Build a pose from kiosk data, refusing anything out of range (422 PROP_POSE_INVALID)."""
        try:
            asset = data["asset"]
            values = [float(data[k]) for k in ("x", "y")]
            values += [float(data.get("scale", 1.0)), float(data.get("rotation_deg", 0.0))]
        except (KeyError, TypeError, ValueError) as exc:
            message = f"A prop pose needs asset, x and y: {exc!r}"
            raise PhotoRejected("PROP_POSE_INVALID", message, 422) from exc
        x, y, scale, rotation = values
        if not isinstance(asset, str) or not 0 < len(asset) <= 128:
            raise PhotoRejected("PROP_POSE_INVALID", "A prop's asset is a sha256 or slug string.", 422)
        low, high = POSITION_RANGE
        if not all(math.isfinite(v) for v in values) or not (low <= x <= high and low <= y <= high):
            raise PhotoRejected("PROP_POSE_INVALID", f"Prop position ({x}, {y}) is off the photo.", 422)
        if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
            raise PhotoRejected("PROP_POSE_INVALID", f"Prop scale {scale} is outside 0.05..5.", 422)
        return cls(asset, x, y, scale, rotation % 360.0)


def parse_props(raw: str | bytes | list[Any] | None, max_props: int = 32) -> list[PropPose]:
    """Parse the kiosk's `props` field (JSON list of poses) into PropPose values."""
    if raw is None or raw == "" or raw == b"":
        return []
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except ValueError as exc:
        raise PhotoRejected("PROPS_INVALID_JSON", f"The props field is not JSON: {exc}", 400) from exc
    if not isinstance(data, list):
        raise PhotoRejected("PROPS_INVALID_JSON", "The props field must be a JSON list of poses.", 400)
    if len(data) > max_props:
        raise PhotoRejected("PROPS_TOO_MANY", f"At most {max_props} props are accepted.", 422)
    return [PropPose.from_dict(item) for item in data]


PropSource = str | Path | bytes | Image.Image
"""A prop's model: a GLB path or bytes, or a pre-rendered poster (an RGBA image, or PNG/WebP bytes)."""

Sources = Mapping[str, PropSource] | Callable[[str], PropSource | None]

# Sprites are drawn once at one of these sizes per (model, rotation) and resized per request.
_CANONICAL_SIDES = (512, 1024)
_ROTATION_STEP = 0.5
_MESH_ROTATION_STEP = 15.0


class PropRenderer:
    """Render catalogue props to transparent RGBA sprites, cached per (model hash, rotation, size)."""

    def __init__(self, sources: Sources, cache_size: int = 256, supersample: int = 2) -> None:
        self._sources = sources
        self._supersample = supersample
        self._sprites: Kept[Hashable, Any] = Kept(cache_size)
        self._canonical: Kept[Hashable, Any] = Kept(max(8, cache_size // 4))
        self._models: Kept[Hashable, Any] = Kept(16)
        self._hashes: Kept[Hashable, Any] = Kept(256)

    @property
    def cache_stats(self) -> dict[str, int]:
        """Return hit and miss counts of the sprite cache."""
        return {"hits": self._sprites.hits, "misses": self._sprites.misses, "size": len(self._sprites)}

    def _source(self, asset: str) -> PropSource:
        found = self._sources(asset) if callable(self._sources) else self._sources.get(asset)
        if found is None:
            raise PhotoRejected("PROP_UNKNOWN", f"The prop {asset!r} is not in the catalogue.", 422)
        return found

    def _identify(self, source: PropSource) -> tuple[str, Callable[[], bytes | Image.Image]]:
        """Return (sha256, payload loader): GLB/poster bytes or a poster image, read only when drawn."""
        if isinstance(source, Image.Image):
            digest = hashlib.sha256(f"{source.mode}{source.size}".encode())
            digest.update(source.tobytes())
            return digest.hexdigest(), lambda: source
        if isinstance(source, bytes):
            return hashlib.sha256(source).hexdigest(), lambda: source
        path = Path(source)
        try:
            stat = path.stat()
        except OSError as exc:
            message = f"The prop model {path.name} is missing."
            raise PhotoRejected("PROP_MODEL_UNREADABLE", message, 422) from exc
        # A catalogue file is hashed once per (path, mtime, size), not on every photo.
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        cached = self._hashes.get(key)
        if cached is None:
            data = path.read_bytes()
            cached = hashlib.sha256(data).hexdigest()
            self._hashes.put(key, cached)
            return cached, lambda: data
        return cached, path.read_bytes

    def _draw(
        self, digest: str, load: Callable[[], bytes | Image.Image], rotation: float, side: int
    ) -> Image.Image:
        mesh = self._models.get(digest)
        payload = None if mesh is not None else load()
        if mesh is not None or (isinstance(payload, bytes) and payload[:4] == b"glTF"):
            if mesh is None:
                assert isinstance(payload, bytes)
                mesh = load_glb(payload)
                self._models.put(digest, mesh)
            # Rasterise at the nearest 15 degrees and turn the rest in 2D: the light then strays at most
            # 7.5 degrees, invisibly, and a model needs at most 24 rasterisations however guests turn it.
            coarse = round(rotation / _MESH_ROTATION_STEP) * _MESH_ROTATION_STEP % 360.0
            drawn = self._canonical.get((digest, coarse, side, "mesh"))
            if drawn is None:
                drawn = render_mesh(mesh, side, coarse, self._supersample)
                self._canonical.put((digest, coarse, side, "mesh"), drawn)
            residual = (rotation - coarse + 180.0) % 360.0 - 180.0
            return drawn.rotate(residual, Image.Resampling.BICUBIC, expand=True) if residual else drawn
        assert payload is not None
        poster = payload if isinstance(payload, Image.Image) else _open_poster(payload)
        rgba = poster if poster.mode == "RGBA" else poster.convert("RGBA")
        factor = side / max(rgba.size)
        sized = rgba.resize((max(1, round(rgba.width * factor)), max(1, round(rgba.height * factor))),
                            Image.Resampling.LANCZOS)
        return sized.rotate(rotation, Image.Resampling.BICUBIC, expand=True) if rotation else sized

    def render(self, pose: PropPose, long_side: int) -> Image.Image:
        """Return the prop of `pose` as RGBA, unrotated longer side `long_side` px (shared: do not modify)."""
        digest, load = self._identify(self._source(pose.asset))
        rotation = round(pose.rotation_deg / _ROTATION_STEP) * _ROTATION_STEP % 360.0
        key = (digest, rotation, long_side)
        sprite = self._sprites.get(key)
        if sprite is not None:
            return sprite
        side = next((s for s in _CANONICAL_SIDES if s >= long_side), _CANONICAL_SIDES[-1])
        canonical = self._canonical.get((digest, rotation, side))
        if canonical is None:
            canonical = self._draw(digest, load, rotation, side)
            self._canonical.put((digest, rotation, side), canonical)
        factor = long_side / side
        size = (max(1, round(canonical.width * factor)), max(1, round(canonical.height * factor)))
        sprite = canonical if size == canonical.size else canonical.resize(size, Image.Resampling.BICUBIC,
                                                                               reducing_gap=2.0)
        self._sprites.put(key, sprite)
        return sprite


def _open_poster(data: bytes) -> Image.Image:
    try:
        poster = Image.open(io.BytesIO(data))
        poster.load()
    except (OSError, SyntaxError, ValueError) as exc:
        message = "The prop is neither a GLB nor a poster image."
        raise PhotoRejected("PROP_MODEL_UNREADABLE", message, 422) from exc
    return poster
