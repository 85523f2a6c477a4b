"""Mesh parts for the demo's models: boxes, lathes, tubes and prisms with normals and UVs.

Every builder returns a `Part`: positions (n, 3), normals (n, 3), uvs (n, 2), faces (m, 3) and a material key.
Metres, Y up, counter-clockwise faces seen from outside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Part:
    """A triangle mesh with one material: positions (n, 3), normals (n, 3), uvs (n, 2), faces (m, 3)."""

    positions: Array
    normals: Array
    uvs: Array
    faces: NDArray[np.int64]
    material: str

    def transformed(self, matrix: ArrayLike) -> Part:
        """Return the part moved by a 4x4 transform (normals by its inverse transpose)."""
        m = np.asarray(matrix, dtype=np.float64)
        linear = m[:3, :3]
        positions = self.positions @ linear.T + m[:3, 3]
        normals = _unit(self.normals @ np.linalg.inv(linear))
        faces = self.faces if np.linalg.det(linear) > 0 else self.faces[:, ::-1]
        return Part(positions, normals, self.uvs, np.ascontiguousarray(faces), self.material)

    def moved(self, offset: ArrayLike) -> Part:
        """Return the part translated by an offset (3,)."""
        return Part(self.positions + np.asarray(offset, dtype=np.float64), self.normals, self.uvs,
                    self.faces, self.material)

    def with_material(self, material: str) -> Part:
        """Return the same geometry with another material key."""
        return Part(self.positions, self.normals, self.uvs, self.faces, material)

    @property
    def bounds(self) -> Array:
        """Return the axis-aligned bounds (2, 3)."""
        return np.array([self.positions.min(axis=0), self.positions.max(axis=0)])


def _unit(v: Array) -> Array:
    length = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(length > 1e-12, length, 1.0)


def translate(offset: ArrayLike) -> Array:
    """Return a 4x4 translation."""
    m = np.eye(4)
    m[:3, 3] = np.asarray(offset, dtype=np.float64)
    return m


def rotate(angle_deg: float, axis: str) -> Array:
    """Return a 4x4 rotation about the x, y or z axis (right-handed, degrees)."""
    a = np.radians(angle_deg)
    c, s = np.cos(a), np.sin(a)
    m = np.eye(4)
    i, j = {"x": (1, 2), "y": (2, 0), "z": (0, 1)}[axis]
    m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
    return m


def scale(factors: ArrayLike) -> Array:
    """Return a 4x4 scale by factors (3,) or a scalar."""
    m = np.eye(4)
    m[:3, :3] = np.diag(np.broadcast_to(np.asarray(factors, dtype=np.float64), (3,)))
    return m


def compose(*matrices: ArrayLike) -> Array:
    """Return the product of 4x4 transforms, the first applied last (like nested groups)."""
    out = np.eye(4)
    for m in matrices:
        out = out @ np.asarray(m, dtype=np.float64)
    return out


def merge(parts: Sequence[Part], material: str | None = None) -> Part:
    """Return one part holding the geometry of several (their material, or the one given)."""
    offsets = np.cumsum([0] + [len(p.positions) for p in parts[:-1]])
    return Part(
        np.concatenate([p.positions for p in parts]),
        np.concatenate([p.normals for p in parts]),
        np.concatenate([p.uvs for p in parts]),
        np.concatenate([p.faces + o for p, o in zip(parts, offsets, strict=True)]),
        material or parts[0].material,
    )


_BOX_FACES = (
    # normal, u axis, v axis
    ((1, 0, 0), (0, 0, -1), (0, 1, 0)),
    ((-1, 0, 0), (0, 0, 1), (0, 1, 0)),
    ((0, 1, 0), (1, 0, 0), (0, 0, -1)),
    ((0, -1, 0), (1, 0, 0), (0, 0, 1)),
    ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
    ((0, 0, -1), (-1, 0, 0), (0, 1, 0)),
)


def box(size: ArrayLike, center: ArrayLike = (0, 0, 0), material: str = "default",
        faces: str = "xXyYzZ") -> Part:
    """Return a flat-shaded box of size (3,) at center (3,); UVs in metres; `faces` picks the sides kept.

    Side letters: X +x, x -x, Y +y, y -y, Z +z, z -z.
    """
    half = np.asarray(size, dtype=np.float64) / 2
    c = np.asarray(center, dtype=np.float64)
    keep = {"X": 0, "x": 1, "Y": 2, "y": 3, "Z": 4, "z": 5}
    pos: list[Array] = []
    nrm: list[Array] = []
    uv: list[Array] = []
    tri: list[NDArray[np.int64]] = []
    for index in sorted(keep[f] for f in faces):
        n, u, v = (np.asarray(a, dtype=np.float64) for a in _BOX_FACES[index])
        corners = np.array([n - u - v, n + u - v, n + u + v, n - u + v]) * half
        base = len(pos) * 4
        pos.append(corners + c)
        nrm.append(np.tile(n, (4, 1)))
        uv.append(np.stack([(corners + c) @ u, (corners + c) @ v], axis=1))
        tri.append(np.array([[0, 1, 2], [0, 2, 3]]) + base)
    return Part(np.concatenate(pos), np.concatenate(nrm), np.concatenate(uv),
                np.concatenate(tri).astype(np.int64), material)


def quad(width: float, height: float, material: str) -> Part:
    """Return a rectangle in the XY plane facing +z, centred at the origin, UVs 0..1 (v up in the image)."""
    w, h = width / 2, height / 2
    pos = np.array([[-w, -h, 0], [w, -h, 0], [w, h, 0], [-w, h, 0]], dtype=np.float64)
    uv = np.array([[0, 1], [1, 1], [1, 0], [0, 0]], dtype=np.float64)
    return Part(pos, np.tile([0.0, 0.0, 1.0], (4, 1)), uv, np.array([[0, 1, 2], [0, 2, 3]]), material)


def lathe(profile: Sequence[Sequence[float]] | Array, segments: int = 24, material: str = "default",
          crease_deg: float = 35.0) -> Part:
    """Return a surface of revolution about +y from a profile (k, 2) of [radius, y] points.

    Order the profile so the outside is on the right when walking along it (bottom-outside to top for a vase);
    corners sharper than `crease_deg` get split normals.
    """
    prof = np.asarray(profile, dtype=np.float64)
    seg = np.diff(prof, axis=0)  # (k-1, 2)
    seg_len = np.linalg.norm(seg, axis=1)
    seg_n = _unit(np.stack([seg[:, 1], -seg[:, 0]], axis=1))  # outward (r, y) normals
    cos_crease = np.cos(np.radians(crease_deg))
    angles = np.linspace(0, 2 * np.pi, segments + 1)
    ca, sa = np.cos(angles), np.sin(angles)
    arc = np.concatenate([[0], np.cumsum(seg_len)])
    pos: list[Array] = []
    nrm: list[Array] = []
    uv: list[Array] = []
    tri: list[NDArray[np.int64]] = []
    count = 0
    for s in range(len(seg)):
        if seg_len[s] < 1e-9:
            continue
        ends = []
        for end, other in ((s, s - 1), (s + 1, s + 1)):
            n = seg_n[s]
            if 0 <= other < len(seg) and seg_len[other] > 1e-9 and seg_n[other] @ n > cos_crease:
                n = _unit(n + seg_n[other])
            ends.append((prof[end], n, arc[end]))
        for (r, y), (nr, ny), v in ends:
            pos.append(np.stack([r * ca, np.full_like(ca, y), -r * sa], axis=1))
            nrm.append(np.stack([nr * ca, np.full_like(ca, ny), -nr * sa], axis=1))
            uv.append(np.stack([angles / (2 * np.pi), np.full_like(ca, v)], axis=1))
        j = np.arange(segments)
        a, b = count + j, count + j + 1
        c, d = a + segments + 1, b + segments + 1
        tri.append(np.concatenate([np.stack([a, b, d], 1), np.stack([a, d, c], 1)]))
        count += 2 * (segments + 1)
    return _drop_degenerate(Part(np.concatenate(pos), np.concatenate(nrm), np.concatenate(uv),
                                 np.concatenate(tri).astype(np.int64), material))


def cylinder(radius: float, height: float, segments: int = 24, material: str = "default",
             y0: float = 0.0, caps: bool = True) -> Part:
    """Return a capped cylinder about +y from y0 to y0 + height."""
    r, top = radius, y0 + height
    if caps:
        profile = [[0, y0], [r, y0], [r, top], [0, top]]
    else:
        profile = [[r, y0], [r, top]]
    return lathe(profile, segments, material)


def sphere(radius: float, segments: int = 24, rings: int = 12, material: str = "default") -> Part:
    """Return a UV sphere centred at the origin."""
    t = np.linspace(-np.pi / 2, np.pi / 2, rings + 1)
    return lathe(np.stack([radius * np.cos(t), radius * np.sin(t)], 1), segments, material, crease_deg=90)


def tube(path: ArrayLike, radius: float | ArrayLike, sides: int = 12, material: str = "default",
         caps: bool = True) -> Part:
    """Return a smooth tube of a radius (scalar or (k,)) swept along a path (k, 3) with parallel-transport frames."""
    pts = np.asarray(path, dtype=np.float64)
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), (len(pts),))
    tangents = np.gradient(pts, axis=0)
    tangents = _unit(tangents)
    ref = np.array([0.0, 1.0, 0.0]) if abs(tangents[0, 1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    normal = _unit(np.cross(tangents[0], ref))
    frames = []
    for t in tangents:
        normal = _unit(normal - (normal @ t) * t)
        frames.append((normal, np.cross(t, normal)))
    angles = np.linspace(0, 2 * np.pi, sides + 1)
    pos, nrm = [], []
    for p, r, (n1, n2) in zip(pts, radii, frames, strict=True):
        ring = np.outer(np.cos(angles), n1) + np.outer(np.sin(angles), n2)
        pos.append(p + r * ring)
        nrm.append(ring)
    positions, normals = np.concatenate(pos), np.concatenate(nrm)
    arc = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    uvs = np.stack([np.tile(angles / (2 * np.pi), len(pts)), np.repeat(arc, sides + 1)], axis=1)
    j = np.arange(sides)
    tri = []
    for i in range(len(pts) - 1):
        a, b = i * (sides + 1) + j, i * (sides + 1) + j + 1
        c, d = a + sides + 1, b + sides + 1
        tri.append(np.concatenate([np.stack([a, b, d], 1), np.stack([a, d, c], 1)]))
    body = Part(positions, normals, uvs, np.concatenate(tri).astype(np.int64), material)
    if not caps:
        return body
    ends = []
    for idx, sign in ((0, -1.0), (len(pts) - 1, 1.0)):
        ring = pos[idx][:-1]
        centre = pts[idx]
        cap_pos = np.concatenate([[centre], ring])
        cap_n = np.tile(sign * tangents[idx], (len(cap_pos), 1))
        k = np.arange(sides)
        fan = np.stack([np.zeros(sides, dtype=np.int64), 1 + k, 1 + (k + 1) % sides], 1)
        if sign < 0:
            fan = fan[:, ::-1]
        ends.append(Part(cap_pos, cap_n, np.zeros((len(cap_pos), 2)), fan, material))
    return merge([body, *ends])


def prism(outline: ArrayLike, depth: float, material: str = "default", z0: float = 0.0) -> Part:
    """Return a flat-shaded extrusion of a simple polygon (k, 2) in XY from z0 to z0 + depth (front faces +z)."""
    poly = np.asarray(outline, dtype=np.float64)
    if _signed_area(poly) < 0:
        poly = poly[::-1]
    k = len(poly)
    cap_tri = np.asarray(triangulate(poly), dtype=np.int64)
    pos, nrm, uv, tri = [], [], [], []
    count = 0
    for z, sign in ((z0 + depth, 1.0), (z0, -1.0)):
        pos.append(np.column_stack([poly, np.full(k, z)]))
        nrm.append(np.tile([0.0, 0.0, sign], (k, 1)))
        uv.append(poly.copy())
        tri.append((cap_tri if sign > 0 else cap_tri[:, ::-1]) + count)
        count += k
    for i in range(k):
        p, q = poly[i], poly[(i + 1) % k]
        edge = q - p
        length = np.linalg.norm(edge)
        if length < 1e-9:
            continue
        n = np.array([edge[1], -edge[0], 0.0]) / length
        pos.append(np.array([[*p, z0], [*q, z0], [*q, z0 + depth], [*p, z0 + depth]]))
        nrm.append(np.tile(n, (4, 1)))
        uv.append(np.array([[0, z0], [length, z0], [length, z0 + depth], [0, z0 + depth]]))
        tri.append(np.array([[0, 1, 2], [0, 2, 3]]) + count)
        count += 4
    return Part(np.concatenate(pos), np.concatenate(nrm), np.concatenate(uv),
                np.concatenate(tri).astype(np.int64), material)


def _signed_area(poly: Array) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return float(0.5 * (x @ np.roll(y, -1) - np.roll(x, -1) @ y))


def triangulate(polygon: ArrayLike) -> list[tuple[int, int, int]]:
    """Return ear-clipping triangles (index triples) of a simple counter-clockwise polygon (k, 2)."""
    poly = np.asarray(polygon, dtype=np.float64)
    remaining = list(range(len(poly)))
    out: list[tuple[int, int, int]] = []
    guard = 0
    while len(remaining) > 3 and guard < 10_000:
        guard += 1
        for i in range(len(remaining)):
            a, b, c = remaining[i - 1], remaining[i], remaining[(i + 1) % len(remaining)]
            pa, pb, pc = poly[a], poly[b], poly[c]
            cross = (pb[0] - pa[0]) * (pc[1] - pa[1]) - (pb[1] - pa[1]) * (pc[0] - pa[0])
            if cross <= 1e-12:
                continue
            others = [poly[j] for j in remaining if j not in (a, b, c)]
            if any(_inside_triangle(p, pa, pb, pc) for p in others):
                continue
            out.append((a, b, c))
            remaining.pop(i)
            break
        else:
            break  # no ear: the polygon is not simple; keep what was clipped
    if len(remaining) == 3:
        out.append((remaining[0], remaining[1], remaining[2]))
    return out


def _inside_triangle(p: Array, a: Array, b: Array, c: Array) -> bool:
    def side(u: Array, v: Array, w: Array) -> float:
        return float((v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0]))

    return side(a, b, p) >= 0 and side(b, c, p) >= 0 and side(c, a, p) >= 0


def _drop_degenerate(part: Part) -> Part:
    tri = part.positions[part.faces]  # (m, 3, 3)
    area = np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    return Part(part.positions, part.normals, part.uvs, part.faces[area > 1e-12], part.material)


def arc_points(radius: float, start_deg: float, end_deg: float, count: int, center: ArrayLike = (0, 0)) -> Array:
    """Return points (count, 2) on a circular arc in the XY plane."""
    t = np.radians(np.linspace(start_deg, end_deg, count))
    c = np.asarray(center, dtype=np.float64)
    return np.stack([c[0] + radius * np.cos(t), c[1] + radius * np.sin(t)], axis=1)
