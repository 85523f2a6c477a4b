"""`DemoModel`: one generated exhibit model and how it is finished into a GLB."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scenes.demo.geometry import Part
from scenes.demo.glb import Material, Texture, write_glb
from scenes.demo.materials import PALETTE

Point = tuple[float, float, float]


@dataclass(frozen=True)
class DemoModel:
    """A generated exhibit: GLB bytes, height in metres, named anchor points and bounds (model space)."""

    slug: str
    glb: bytes
    height_m: float
    anchors: dict[str, Point]
    bounds: tuple[Point, Point] = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    triangles: int = 0


def finish(slug: str, parts: Sequence[Part], anchors: Mapping[str, ArrayLike],
           textures: Mapping[str, Texture] | None = None,
           materials: Mapping[str, Material] | None = None) -> DemoModel:
    """Return the model standing on y=0 and centred on x/z=0 (anchors moved alike), written as GLB."""
    lo = np.min([p.positions.min(axis=0) for p in parts], axis=0)
    hi = np.max([p.positions.max(axis=0) for p in parts], axis=0)
    shift = np.array([-(lo[0] + hi[0]) / 2, -lo[1], -(lo[2] + hi[2]) / 2])
    moved = [p.moved(shift) for p in parts]
    points = {k: _point(np.asarray(v, dtype=np.float64) + shift) for k, v in anchors.items()}
    palette = {**PALETTE, **(materials or {})}
    glb = write_glb(slug, moved, palette, textures, points)
    return DemoModel(
        slug=slug,
        glb=glb,
        height_m=round(float(hi[1] - lo[1]), 4),
        anchors=points,
        bounds=(_point(lo + shift), _point(hi + shift)),
        triangles=int(sum(len(p.faces) for p in parts)),
    )


def _point(v: np.ndarray) -> Point:
    return (round(float(v[0]), 4), round(float(v[1]), 4), round(float(v[2]), 4))
