"""Render a poster of an asset on the CPU: a small numpy z-buffer rasteriser, lit and textured.

The default scene is posed (skins at rest, default morph weights), seen from the front-right and a little above
(glTF's +Z is the front, +Y up) with a perspective camera framed tightly around the projected model, rendered at
twice the poster size and box-filtered down for anti-aliasing. Shading is the base colour (factor x texture x
vertex colour, with KHR_texture_transform) lit by a key light, a fill light and ambient in linear light;
KHR_materials_unlit surfaces are not lit; MASK materials discard below their cutoff; BLEND keeps the nearest
surface's alpha. The background stays transparent.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from assets.gltfio import Gltf
from assets.scene import WorldPrimitive, world_primitives
from assets.textures import BYTES_PER_PIXEL, TextureEncoder

_SUPERSAMPLE = 1
_TEXTURE_SIDE = 512
_KEY_LIGHT = np.array([-0.45, 0.75, 0.5]) / np.linalg.norm([-0.45, 0.75, 0.5])
_FILL_LIGHT = np.array([0.6, 0.1, 0.4]) / np.linalg.norm([0.6, 0.1, 0.4])


@dataclass
class _Material:
    color: np.ndarray  # (4,) linear RGBA factor
    emissive: np.ndarray  # (3,)
    image: int  # image index of the base colour texture, -1 for none
    uv_matrix: np.ndarray  # (3, 3) KHR_texture_transform
    alpha_mode: str
    cutoff: float
    unlit: bool
    emissive_image: int = -1
    emissive_uv: np.ndarray | None = None
    texcoord: int = 0  # the TEXCOORD set the base colour texture reads
    emissive_texcoord: int = 0


def _uv_matrix(info: dict[str, Any]) -> np.ndarray:
    t = info.get("extensions", {}).get("KHR_texture_transform")
    if not t:
        return np.eye(3)
    ox, oy = t.get("offset", [0, 0])
    sx, sy = t.get("scale", [1, 1])
    r = float(t.get("rotation", 0.0))
    translation = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]], float)
    rotation = np.array([[np.cos(r), np.sin(r), 0], [-np.sin(r), np.cos(r), 0], [0, 0, 1]], float)
    scale = np.diag([sx, sy, 1.0])
    return translation @ rotation @ scale


def _material(doc: dict[str, Any], index: int | None) -> _Material:
    if index is None:
        return _Material(np.ones(4), np.zeros(3), -1, np.eye(3), "OPAQUE", 0.5, False)
    m = doc["materials"][index]
    pbr = m.get("pbrMetallicRoughness", {})
    image, uv, texcoord = _texture(doc, pbr.get("baseColorTexture"))
    emissive_image, emissive_uv, emissive_texcoord = _texture(doc, m.get("emissiveTexture"))
    return _Material(
        np.array(pbr.get("baseColorFactor", [1, 1, 1, 1]), float),
        np.array(m.get("emissiveFactor", [0, 0, 0]), float),
        image,
        uv,
        str(m.get("alphaMode", "OPAQUE")),
        float(m.get("alphaCutoff", 0.5)),
        "KHR_materials_unlit" in m.get("extensions", {}),
        emissive_image,
        emissive_uv,
        texcoord,
        emissive_texcoord,
    )


def _texture(doc: dict[str, Any], info: dict[str, Any] | None) -> tuple[int, np.ndarray, int]:
    """Return a texture info's image index (-1 for none), its UV transform and the TEXCOORD set it reads."""
    if info is None:
        return -1, np.eye(3), 0
    texture = doc.get("textures", [])[info["index"]]
    sources = [texture.get("source")] + [e.get("source") for e in texture.get("extensions", {}).values()]
    found = [s for s in sources if s is not None]
    # KHR_texture_transform's texCoord, when given, overrides the texture info's own.
    transform = info.get("extensions", {}).get("KHR_texture_transform", {})
    texcoord = int(transform.get("texCoord", info.get("texCoord", 0)))
    return (int(found[-1]) if found else -1), _uv_matrix(info), texcoord


def _thumbnail_size(size: tuple[int, int]) -> tuple[int, int]:
    scale = _TEXTURE_SIDE / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


class _Textures:
    def __init__(self, encoder: TextureEncoder) -> None:
        self.encoder = encoder
        self.cache: dict[int, np.ndarray] = {}

    def get(self, index: int) -> np.ndarray | None:
        """Return image `index` as (h, w, 4) linear floats at most _TEXTURE_SIDE wide, or None."""
        if index < 0 or index not in self.encoder.images:
            return None
        if index not in self.cache:
            try:
                side = _TEXTURE_SIDE * _TEXTURE_SIDE * BYTES_PER_PIXEL
                with self.encoder.decoded(index, extra=side) as source:
                    # Scaled straight from the shared decoded image: no full-size copy of it is made.
                    image = source.copy() if max(source.size) <= _TEXTURE_SIDE else source.resize(
                        _thumbnail_size(source.size), Image.Resampling.BICUBIC, reducing_gap=2.0)
                image = image.convert("RGBA")
            except Exception:  # noqa: BLE001 - a texture the poster cannot read falls back to the factor colour
                return None
            rgba = np.asarray(image, dtype=np.float32) / 255.0  # (h, w, 4)
            rgba[..., :3] **= 2.2
            self.cache[index] = rgba
        return self.cache[index]


def _look(center: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    azimuth, elevation = np.radians(35.0), np.radians(20.0)
    direction = np.array([np.sin(azimuth) * np.cos(elevation), np.sin(elevation), np.cos(azimuth) * np.cos(elevation)])
    eye = center + direction * radius * 3.2
    forward = (center - eye) / np.linalg.norm(center - eye)
    right = np.cross(forward, [0.0, 1.0, 0.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    view = np.stack([right, up, -forward])  # (3, 3) world -> camera rows
    return view, eye


def _spans(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, for runs of the given lengths, each element's run id and its place within the run."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(int(counts.sum())) - starts[owner]


@dataclass
class _Planes:
    """Screen-space barycentric planes of each triangle: w_k = a[t, k] x + b[t, k] y + c[t, k]; each (t, 3)."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray

    def bary(self, tri: np.ndarray, px: np.ndarray, py: np.ndarray, depth: np.ndarray) -> np.ndarray:
        """Return perspective-correct barycentrics (n, 3) of fragments; depth is (t, 3) per corner."""
        cx, cy = (px + 0.5)[:, None], (py + 0.5)[:, None]
        w = np.clip(self.a[tri] * cx + self.b[tri] * cy + self.c[tri], 0.0, None) / depth[tri]
        return w / np.maximum(w.sum(axis=1, keepdims=True), 1e-30)

    def inverse_depth(self, tri: np.ndarray, px: np.ndarray, py: np.ndarray, depth: np.ndarray) -> np.ndarray:
        """Return 1/z of fragments (n,), linear in screen space."""
        inv = 1.0 / depth  # (t, 3)
        ia, ib, ic = (self.a * inv).sum(axis=1), (self.b * inv).sum(axis=1), (self.c * inv).sum(axis=1)
        return ia[tri] * (px + 0.5) + ib[tri] * (py + 0.5) + ic[tri]


def _rasterise(
    xy: np.ndarray, depth: np.ndarray, tris: np.ndarray, width: int, height: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, _Planes]:
    """Return the fragments of all triangles: pixel ids, triangle ids, pixel x and y, and the triangles' planes.

    Scanline spans: each row of a triangle's box gets the x interval where all three barycentric half-planes
    hold, so the work grows with covered pixels, not with box areas.
    """
    p = xy[tris]  # (t, 3, 2)
    z = depth[tris]  # (t, 3)
    x0, y0, x1, y1, x2, y2 = p[:, 0, 0], p[:, 0, 1], p[:, 1, 0], p[:, 1, 1], p[:, 2, 0], p[:, 2, 1]
    area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    lo = np.maximum(np.floor(p.min(axis=1) - 0.5).astype(np.int64), 0)
    hi = np.minimum(np.ceil(p.max(axis=1) - 0.5).astype(np.int64), [width - 1, height - 1])
    keep = (np.abs(area) > 1e-12) & (hi[:, 0] >= lo[:, 0]) & (hi[:, 1] >= lo[:, 1]) & (z.min(axis=1) > 0)
    ids = np.nonzero(keep)[0]
    if not len(ids):
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty, _Planes(*(np.zeros((len(tris), 3)) for _ in range(3)))
    inv = 1.0 / area[ids]
    # w_k = A_k x + B_k y + C_k for k = 0, 1; w_2 = 1 - w_0 - w_1.  (t', 3) each.
    coef_a = np.stack([(y1 - y2)[ids] * inv, (y2 - y0)[ids] * inv, np.zeros(len(ids))], axis=1)
    coef_b = np.stack([(x2 - x1)[ids] * inv, (x0 - x2)[ids] * inv, np.zeros(len(ids))], axis=1)
    coef_c = np.stack([(x1 * y2 - x2 * y1)[ids] * inv, (x2 * y0 - x0 * y2)[ids] * inv, np.zeros(len(ids))], axis=1)
    coef_a[:, 2], coef_b[:, 2] = -coef_a[:, 0] - coef_a[:, 1], -coef_b[:, 0] - coef_b[:, 1]
    coef_c[:, 2] = 1.0 - coef_c[:, 0] - coef_c[:, 1]
    rows = hi[ids, 1] - lo[ids, 1] + 1
    row_tri, row_k = _spans(rows)
    cy = (lo[ids, 1][row_tri] + row_k + 0.5)[:, None]  # (r, 1)
    a = coef_a[row_tri]
    rest = coef_b[row_tri] * cy + coef_c[row_tri]  # (r, 3): w = a x + rest
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = -rest / a
    left = np.where(a > 0, bound, -np.inf).max(axis=1)
    right = np.where(a < 0, bound, np.inf).min(axis=1)
    blocked = ((a == 0) & (rest < 0)).any(axis=1)
    start = np.maximum(np.ceil(left - 0.5), lo[ids, 0][row_tri]).astype(np.int64)
    stop = np.minimum(np.floor(right - 0.5), hi[ids, 0][row_tri]).astype(np.int64)
    counts = np.where(blocked, 0, np.maximum(stop - start + 1, 0))
    frag_row, frag_k = _spans(counts)
    px = start[frag_row] + frag_k
    py = lo[ids, 1][row_tri][frag_row] + (row_k[frag_row])
    local = row_tri[frag_row]
    planes = _Planes(np.zeros((len(tris), 3)), np.zeros((len(tris), 3)), np.zeros((len(tris), 3)))
    planes.a[ids], planes.b[ids], planes.c[ids] = coef_a, coef_b, coef_c
    return py * width + px, ids[local], px, py, planes


def render_rgba(gltf: Gltf, encoder: TextureEncoder, size: int = 512) -> np.ndarray | None:
    """Return a (size, size, 4) uint8 straight-alpha rendering of the default scene, or None if it has no triangles."""
    prims = [p for p in world_primitives(gltf) if len(p.triangles)]
    if not prims:
        return None
    doc = gltf.doc
    positions = np.concatenate([p.positions for p in prims])  # (v, 3)
    finite = np.isfinite(positions).all(axis=1)
    if not finite.any():
        return None
    lo, hi = positions[finite].min(axis=0), positions[finite].max(axis=0)
    center, radius = (lo + hi) / 2, max(float(np.linalg.norm(hi - lo)) / 2, 1e-9)
    view, eye = _look(center, radius)
    cam = (positions - eye) @ view.T  # (v, 3), camera looks down -Z
    depth = -cam[:, 2]
    safe = np.where(depth > 1e-9, depth, 1e-9)
    plane = cam[:, :2] / safe[:, None]  # (v, 2) perspective projection
    p_lo, p_hi = plane[finite].min(axis=0), plane[finite].max(axis=0)
    canvas = size * _SUPERSAMPLE
    scale = 0.9 * canvas / max(float((p_hi - p_lo).max()), 1e-12)
    mid = (p_lo + p_hi) / 2
    xy = np.empty_like(plane)
    xy[:, 0] = (plane[:, 0] - mid[0]) * scale + canvas / 2
    xy[:, 1] = canvas / 2 - (plane[:, 1] - mid[1]) * scale

    offsets = np.cumsum([0] + [len(p.positions) for p in prims])
    tris = np.concatenate([p.triangles + offsets[i] for i, p in enumerate(prims)])  # (t, 3)
    tri_prim = np.concatenate([np.full(len(p.triangles), i) for i, p in enumerate(prims)])
    bad = ~finite[tris].all(axis=1)
    tris, tri_prim = tris[~bad], tri_prim[~bad]
    materials = [_material(doc, p.material) for p in prims]
    single = np.array(
        [
            not doc.get("materials", [{}] * (m + 1))[m].get("doubleSided", False) if m is not None else True
            for m in (p.material for p in prims)
        ]
    )
    corners = xy[tris]  # (t, 3, 2); screen y points down, so a front (counter-clockwise) face has negative area
    signed = (corners[:, 1, 0] - corners[:, 0, 0]) * (corners[:, 2, 1] - corners[:, 0, 1]) - (
        corners[:, 2, 0] - corners[:, 0, 0]
    ) * (corners[:, 1, 1] - corners[:, 0, 1])
    facing = ~(single[tri_prim] & (signed > 0))
    tris, tri_prim = tris[facing], tri_prim[facing]
    corner_depth = depth[tris]  # (t, 3)
    pix, tri, px, py, planes = _rasterise(xy, depth, tris, canvas, canvas)
    textures = _Textures(encoder)
    masked = np.array([m.alpha_mode == "MASK" for m in materials])[tri_prim[tri]]
    if masked.any():
        sel = np.nonzero(masked)[0]
        bary = planes.bary(tri[sel], px[sel], py[sel], corner_depth)
        color, _ = _base_color(prims, materials, textures, offsets, tris, tri_prim, tri[sel], bary)
        cutoff = np.array([m.cutoff for m in materials])[tri_prim[tri[sel]]]
        drop = np.zeros(len(tri), bool)
        drop[sel[color[:, 3] < cutoff]] = True
        pix, tri, px, py = pix[~drop], tri[~drop], px[~drop], py[~drop]
    inv_depth = planes.inverse_depth(tri, px, py, corner_depth)
    nearest = np.full(canvas * canvas, -np.inf)
    np.maximum.at(nearest, pix, inv_depth)
    front = np.nonzero(inv_depth >= nearest[pix])[0]
    owner = np.full(canvas * canvas, -1)
    owner[pix[front]] = front
    win = owner[owner >= 0]
    pix, tri, px, py = pix[win], tri[win], px[win], py[win]
    bary = planes.bary(tri, px, py, corner_depth)
    color, glow = _base_color(prims, materials, textures, offsets, tris, tri_prim, tri, bary)  # (n, 4), (n, 3)

    normals = _normals(prims, tris, tri, bary, positions, eye)
    light = 0.3 + 0.85 * np.clip(normals @ _KEY_LIGHT, 0, None) + 0.3 * np.clip(normals @ _FILL_LIGHT, 0, None)
    unlit = np.array([m.unlit for m in materials])[tri_prim[tri]]
    light = np.where(unlit, np.float32(1.0), light.astype(np.float32))
    rgb = np.clip(color[:, :3] * light[:, None] + glow, 0, 1) ** np.float32(1 / 2.2)
    opaque = np.array([m.alpha_mode != "BLEND" for m in materials])[tri_prim[tri]]
    alpha = np.where(opaque, np.float32(1.0), color[:, 3])

    image = np.zeros((canvas * canvas, 4), np.float32)
    image[pix, :3] = rgb * alpha[:, None]  # premultiplied for the box filter
    image[pix, 3] = alpha
    s = _SUPERSAMPLE
    small = image.reshape(size, s, size, s, 4).mean(axis=(1, 3))  # (size, size, 4)
    a = small[..., 3:4]
    small[..., :3] = np.where(a > 0, small[..., :3] / np.maximum(a, 1e-9), 0)
    return np.clip(small * 255 + 0.5, 0, 255).astype(np.uint8)


def _base_color(
    prims: list[WorldPrimitive],
    materials: list[_Material],
    textures: _Textures,
    offsets: np.ndarray,
    tris: np.ndarray,
    tri_prim: np.ndarray,
    tri: np.ndarray,
    bary: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    color = np.ones((len(tri), 4), np.float32)
    emissive = np.zeros((len(tri), 3), np.float32)
    frag_prim = tri_prim[tri]
    b = bary.astype(np.float32)
    for i, (prim, material) in enumerate(zip(prims, materials, strict=True)):
        sel = np.nonzero(frag_prim == i)[0] if len(prims) > 1 else np.arange(len(tri))
        if not len(sel):
            continue
        local = tris[tri[sel]] - offsets[i]  # (n, 3) vertex ids within the primitive
        bs = b[sel]
        c = np.empty((len(sel), 4), np.float32)
        c[:] = material.color
        if prim.colors is not None:
            c *= _interpolate(prim.colors.astype(np.float32), local, bs)
        uv = prim.uvs.get(material.texcoord)
        texture = textures.get(material.image)
        if texture is not None and uv is not None:
            c *= _sample(texture, _interpolate(uv.astype(np.float32), local, bs), material.uv_matrix)
        color[sel] = c
        if material.emissive.any():
            e = np.empty((len(sel), 3), np.float32)
            e[:] = material.emissive
            glow = textures.get(material.emissive_image)
            glow_uv = prim.uvs.get(material.emissive_texcoord)
            if glow is not None and glow_uv is not None and material.emissive_uv is not None:
                e *= _sample(glow, _interpolate(glow_uv.astype(np.float32), local, bs), material.emissive_uv)[:, :3]
            emissive[sel] = e
    return color, emissive


def _interpolate(values: np.ndarray, local: np.ndarray, bary: np.ndarray) -> np.ndarray:
    """Return (n, k) values at fragments from (v, k) vertex values, (n, 3) corner ids and barycentrics."""
    return bary[:, 0:1] * values[local[:, 0]] + bary[:, 1:2] * values[local[:, 1]] + bary[:, 2:3] * values[local[:, 2]]


def _sample(texture: np.ndarray, uv: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Return nearest texels (n, 4) of an (h, w, 4) texture at (n, 2) UVs after a texture transform."""
    uv = uv @ matrix[:2, :2].T.astype(np.float32) + matrix[:2, 2].astype(np.float32)
    h, w = texture.shape[:2]
    x = np.floor(np.mod(uv[:, 0], 1.0) * w).astype(np.int64) % w
    y = np.floor(np.mod(uv[:, 1], 1.0) * h).astype(np.int64) % h
    return texture[y, x]


def _normals(
    prims: list[WorldPrimitive],
    tris: np.ndarray,
    tri: np.ndarray,
    bary: np.ndarray,
    positions: np.ndarray,
    eye: np.ndarray,
) -> np.ndarray:
    """Return (n, 3) unit shading normals of fragments, turned toward the eye (double-sided lighting)."""
    corners = positions[tris]  # (t, 3, 3)
    face = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    face /= np.maximum(np.linalg.norm(face, axis=1, keepdims=True), 1e-30)
    toward = eye - corners.mean(axis=1)  # (t, 3)
    vertex = np.concatenate(
        [p.normals if p.normals is not None else np.full((len(p.positions), 3), np.nan) for p in prims]
    ).astype(np.float32)
    b = bary.astype(np.float32)
    ids = tris[tri]
    smooth = b[:, 0:1] * vertex[ids[:, 0]] + b[:, 1:2] * vertex[ids[:, 1]] + b[:, 2:3] * vertex[ids[:, 2]]
    length = np.sqrt((smooth * smooth).sum(axis=1))
    usable = np.isfinite(length) & (length > 1e-6)
    normals = np.where(usable[:, None], smooth / np.where(usable, length, 1.0)[:, None], face[tri].astype(np.float32))
    flip = (normals * toward[tri].astype(np.float32)).sum(axis=1) < 0
    normals[flip] *= -1
    return normals


def render_poster(gltf: Gltf, out: Path, encoder: TextureEncoder, size: int = 512) -> Path | None:
    """Render a lit, textured view of the default scene to a WebP with transparent background."""
    rgba = render_rgba(gltf, encoder, size)
    if rgba is None:
        return None
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, "WEBP", quality=85, method=4)
    out.write_bytes(buffer.getvalue())
    return out
