"""A small CPU rasteriser for props: a GLB mesh to a transparent RGBA image, z-buffered, lit by one light.

Orthographic view down -Z (glTF's front faces +Z, +Y up), smooth vertex normals, vertex colours (textures
sampled at the vertices), supersampled and box-filtered for smooth edges.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from ar_photo.errors import PhotoRejected

# From the upper left, in front: the usual studio key light.
LIGHT = np.array([-0.45, 0.6, 0.66]) / np.linalg.norm([-0.45, 0.6, 0.66])
AMBIENT = 0.38
_MAX_CANDIDATES = 400_000  # per batch: bounds the (F, k*k) work arrays to ~20 MB
_SHADE_PIXELS = 1 << 18  # pixels shaded at a time: bounds their work arrays to ~30 MB
# Square candidate grids, about sqrt(2) apart: a triangle tests at most ~2x the pixels of its bounding box.
_BUCKETS = (1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64)  # larger triangles are filled one by one


@dataclass(frozen=True)
class PropMesh:
    """Triangles ready to draw: `vertices` (V, 3) centred, `normals` (V, 3) unit, `colors` (V, 3) in 0..1,
    `faces` (F, 3) vertex indices."""

    vertices: np.ndarray
    normals: np.ndarray
    colors: np.ndarray
    faces: np.ndarray


def load_glb(data: bytes) -> PropMesh:
    """Read every mesh of a GLB into one PropMesh in world space (422 PROP_MODEL_UNREADABLE if it cannot)."""
    import trimesh  # heavy import: only a booth that renders models pays for it

    try:
        scene: Any = trimesh.load(io.BytesIO(data), file_type="glb", force="scene")
        meshes = [g for g in scene.dump() if isinstance(g, trimesh.Trimesh) and len(g.faces)]
    except Exception as exc:  # noqa: BLE001 - trimesh raises many kinds; all mean "not drawable"
        raise PhotoRejected("PROP_MODEL_UNREADABLE", f"The prop model cannot be read: {exc}", 422) from exc
    if not meshes:
        raise PhotoRejected("PROP_MODEL_UNREADABLE", "The prop model has no triangles.", 422)
    parts_v, parts_n, parts_c, parts_f, offset = [], [], [], [], 0
    for mesh in meshes:
        try:
            visual: Any = mesh.visual
            if hasattr(visual, "to_color"):  # textures and materials: sample them at the vertices
                visual = visual.to_color()
            colors = np.asarray(visual.vertex_colors, dtype=np.float64)[:, :3] / 255.0
        except Exception:  # noqa: BLE001 - a material trimesh cannot sample: draw the shape in neutral grey
            colors = np.full((len(mesh.vertices), 3), 0.7)
        if colors.shape[0] != len(mesh.vertices):
            colors = np.full((len(mesh.vertices), 3), 0.7)
        parts_v.append(np.asarray(mesh.vertices, dtype=np.float64))
        parts_n.append(np.asarray(mesh.vertex_normals, dtype=np.float64))
        parts_c.append(colors)
        parts_f.append(np.asarray(mesh.faces, dtype=np.int64) + offset)
        offset += len(mesh.vertices)
    vertices = np.concatenate(parts_v)
    centre = (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    normals, colors, faces = np.concatenate(parts_n), np.concatenate(parts_c), np.concatenate(parts_f)
    return PropMesh(vertices - centre, normals, colors, faces)


def _roll(degrees: float) -> np.ndarray:
    """Return the (3, 3) rotation about the view axis +Z, counter-clockwise on screen."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _candidates(
    tri: np.ndarray, z: np.ndarray, ix: np.ndarray, iy: np.ndarray, k: int, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Test a k x k grid of pixel centres against F triangles.

    `tri` (F, 3, 2) pixel coordinates, `z` (F, 3) depths, ix, iy (F,) the grids' top-left pixels.

    Returns (face_row (C,), flat pixel index (C,), depth (C,)) of the covered pixel centres."""
    q0, q1, q2 = tri[:, 0], tri[:, 1], tri[:, 2]
    area = (q1[:, 0] - q0[:, 0]) * (q2[:, 1] - q0[:, 1]) - (q1[:, 1] - q0[:, 1]) * (q2[:, 0] - q0[:, 0])
    inv = (1.0 / area)[:, None].astype(np.float32)  # float64 area: the caller dropped degenerate triangles
    p0, p1, p2 = q0.astype(np.float32), q1.astype(np.float32), q2.astype(np.float32)
    dy, dx = np.divmod(np.arange(k * k), k)
    px = ix[:, None] + dx[None, :]  # (F, k*k)
    py = iy[:, None] + dy[None, :]
    cx, cy = (px + 0.5).astype(np.float32), (py + 0.5).astype(np.float32)
    w0 = ((p2[:, None, 0] - p1[:, None, 0]) * (cy - p1[:, None, 1]) - (p2[:, None, 1] - p1[:, None, 1]) *
          (cx - p1[:, None, 0])) * inv
    w1 = ((p0[:, None, 0] - p2[:, None, 0]) * (cy - p2[:, None, 1]) - (p0[:, None, 1] - p2[:, None, 1]) *
          (cx - p2[:, None, 0])) * inv
    w2 = 1.0 - w0 - w1
    eps = -1e-7
    inside = (w0 >= eps) & (w1 >= eps) & (w2 >= eps) & (px >= 0) & (py >= 0) & (px < size[0]) & (py < size[1])
    rows, cols = np.nonzero(inside)
    zf = z.astype(np.float32)
    depth = w0[rows, cols] * zf[rows, 0] + w1[rows, cols] * zf[rows, 1] + w2[rows, cols] * zf[rows, 2]
    return rows, py[rows, cols] * size[0] + px[rows, cols], depth


def _covered(tri: np.ndarray, z: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Return (flat pixel index (C,), depth (C,)) of the pixel centres one large triangle covers.

    `tri` (3, 2) pixel coordinates, `z` (3,) depths. Pillow fills the polygon in C over its bounding box, so the
    work is the triangle's area, not the square of its longest side.
    """
    x0, y0 = np.floor(tri.min(axis=0)).astype(np.int64)
    x1, y1 = np.floor(tri.max(axis=0)).astype(np.int64) + 1
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, size[0]), min(y1, size[1])
    if x1 <= x0 or y1 <= y0:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    mask = Image.new("L", (int(x1 - x0), int(y1 - y0)), 0)
    # Pillow's polygon covers pixels whose area the outline touches; expand by half a pixel to the centres test.
    ImageDraw.Draw(mask).polygon([(float(px - x0 - 0.5), float(py - y0 - 0.5)) for px, py in tri], fill=1,
                                 outline=1)
    ys, xs = np.nonzero(np.asarray(mask))
    # Depth is linear over the triangle: z = a x + b y + c, solved once from its three corners.
    a, b, c = np.linalg.solve(np.column_stack([tri, np.ones(3)]), z)
    depth = (np.float32(a) * (xs + np.float32(x0 + 0.5)) + np.float32(b) * (ys + np.float32(y0 + 0.5))
             + np.float32(c)).astype(np.float32)
    return (ys + y0) * size[0] + (xs + x0), depth


def _weights(tri: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return barycentric weights (P, 3) of points x, y (P,) in triangles `tri` (P, 3, 2)."""
    (ax, ay), (bx, by), (cx, cy) = tri[:, 0].T, tri[:, 1].T, tri[:, 2].T
    area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    # A sliver can be flat in float32 though not in float64 (which chose it): its corners weigh alike.
    flat = area == 0
    area[flat] = 1
    w0 = ((cx - bx) * (y - by) - (cy - by) * (x - bx)) / area
    w1 = ((ax - cx) * (y - cy) - (ay - cy) * (x - cx)) / area
    w0[flat] = w1[flat] = 1 / 3
    return np.stack([w0, w1, 1.0 - w0 - w1], axis=1)


def _shade(rgba: np.ndarray, drawn: np.ndarray, face_ids: np.ndarray, width: int, tri: np.ndarray,
           faces: np.ndarray, normals: np.ndarray, colors: np.ndarray) -> None:
    """Light the `drawn` pixels (flat indices (P,), drawn by triangles `face_ids`) into `rgba` (H, W, 4) uint8:
    normals and colours interpolated at the pixel centres, one light and ambient, opaque."""
    ys, xs = np.divmod(drawn, width)
    c = faces[face_ids]  # (P, 3) vertex indices of each drawn pixel's triangle
    half = np.float32(0.5)
    w = _weights(tri[face_ids], xs.astype(np.float32) + half, ys.astype(np.float32) + half)  # (P, 3)
    # Corner by corner: gathering (P, 3, 3) at once would triple the work arrays.
    n = np.zeros((len(drawn), 3), dtype=np.float32)  # (P, 3)
    color = np.zeros((len(drawn), 3), dtype=np.float32)  # (P, 3)
    for i in range(3):
        n += w[:, i, None] * normals[c[:, i]]
        color += w[:, i, None] * colors[c[:, i]]
    n /= np.linalg.norm(n, axis=1, keepdims=True) + 1e-12
    n[n[:, 2] < 0] *= -1  # two-sided: the side the camera sees faces it
    light = AMBIENT + (1 - AMBIENT) * np.clip(n @ LIGHT.astype(np.float32), 0.0, 1.0)
    color *= light[:, None]
    color *= 255
    color += 0.5
    rgba[ys, xs, :3] = np.clip(color, 0, 255, out=color).astype(np.uint8)
    rgba[ys, xs, 3] = 255


def render_mesh(
    mesh: PropMesh, long_side: int, rotation_deg: float = 0.0, supersample: int = 2
) -> Image.Image:
    """Draw `mesh` as RGBA: its unrotated longer side spans `long_side` px; rotation grows the canvas."""
    extent = np.ptp(mesh.vertices[:, :2], axis=0).max() or 1.0
    ss = max(1, supersample)
    scale = long_side * ss / extent
    rot = _roll(rotation_deg)
    verts = mesh.vertices @ rot.T  # (V, 3)
    normals = mesh.normals @ rot.T  # (V, 3)
    lo, hi = verts[:, :2].min(axis=0), verts[:, :2].max(axis=0)
    out_w = max(1, math.ceil((hi[0] - lo[0]) * scale / ss))
    out_h = max(1, math.ceil((hi[1] - lo[1]) * scale / ss))
    size = (out_w * ss, out_h * ss)
    # Pixel coordinates: x right, y down; centre the drawing in the (rounded-up) canvas.
    pix = np.empty((len(verts), 2))
    pix[:, 0] = (verts[:, 0] - lo[0]) * scale + (size[0] - (hi[0] - lo[0]) * scale) / 2
    pix[:, 1] = (hi[1] - verts[:, 1]) * scale + (size[1] - (hi[1] - lo[1]) * scale) / 2
    tri = pix[mesh.faces]  # (F, 3, 2)
    zs = verts[mesh.faces, 2]  # (F, 3)
    area = (tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1]) - (tri[:, 1, 1] - tri[:, 0, 1]) * (
        tri[:, 2, 0] - tri[:, 0, 0]
    )
    faces = np.flatnonzero(np.abs(area) > 1e-9)
    mins = np.floor(tri[faces].min(axis=1)).astype(np.int64)  # (F', 2)
    maxs = np.floor(tri[faces].max(axis=1)).astype(np.int64)
    span = (maxs - mins + 1).max(axis=1)  # (F',)

    zbuf = np.full(size[0] * size[1], -np.inf, dtype=np.float32)  # (H*W,) nearest depth so far
    owner = np.full(size[0] * size[1], -1, dtype=np.int32)  # (H*W,) triangle drawn at each pixel
    lower = 0
    for k in (*_BUCKETS, None):
        upper = k if k is not None else int(span.max(initial=0))
        chosen = np.flatnonzero((span > lower) & (span <= upper) if k is not None else span > lower)
        lower = upper
        if not len(chosen):
            continue
        if k is None:  # large triangles, one at a time over their own area
            for face in faces[chosen]:
                flat, depth = _covered(tri[face], zs[face], size)
                nearer = depth > zbuf[flat]
                zbuf[flat[nearer]] = depth[nearer]
                owner[flat[nearer]] = face
            continue
        groups = np.array_split(chosen, max(1, len(chosen) * upper * upper // _MAX_CANDIDATES + 1))
        for group in groups:
            f = faces[group]
            rows, flat, depth = _candidates(tri[f], zs[f], mins[group, 0], mins[group, 1], upper, size)
            nearer = depth > zbuf[flat]
            rows, flat, depth = rows[nearer], flat[nearer], depth[nearer]
            # Ordered writes, farthest first: the nearest hit of a pixel in this batch is written last.
            order = np.argsort(depth, kind="stable")
            zbuf[flat[order]] = depth[order]
            owner[flat[order]] = f[rows[order]]
    del zbuf
    # Shaded band by band of rows: the per-pixel work arrays of a whole 4-megapixel sprite at once came to
    # ~400 MB; a band's are a few MB, and the pixels come out the same.
    rgba = np.zeros((size[1], size[0], 4), dtype=np.uint8)
    tri32, normals32, colors32 = tri.astype(np.float32), normals.astype(np.float32), mesh.colors.astype(np.float32)
    band = max(1, _SHADE_PIXELS // size[0])
    for y0 in range(0, size[1], band):
        start = y0 * size[0]
        drawn = np.flatnonzero(owner[start:start + band * size[0]] >= 0) + start
        if len(drawn):
            _shade(rgba, drawn, owner[drawn], size[0], tri32, mesh.faces, normals32, colors32)
    del owner
    image = Image.fromarray(rgba, "RGBA")
    # Pillow resizes RGBA with premultiplied alpha, so edge pixels do not pick up the black background.
    return image if ss == 1 else image.resize((out_w, out_h), Image.Resampling.BOX)
